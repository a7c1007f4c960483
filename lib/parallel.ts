export { parallelMap, defaultWorkers } from "./parallel/pool";
export type { TaskRef, PoolOptions } from "./parallel/pool";
