export { parallelMap, defaultWorkers, task } from "./parallel/pool";
export type { TaskRef, Task, PoolOptions } from "./parallel/pool";
