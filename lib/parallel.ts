export { parallelMap, defaultWorkers, task } from "./parallel/pool";
export type { TaskRef, Task, PoolOptions } from "./parallel/pool";
export { openWorkerPool } from "./parallel/worker-pool";
export type { WorkerPool } from "./parallel/worker-pool";
export { openWorkerGang, gangCounter, gangCounterTask } from "./parallel/gang";
export type { WorkerGang, GangItem } from "./parallel/gang";
export {
  storedEnsemble,
  ensembleKey,
  taskSources,
  readStoredEnsemble,
  writeStoredEnsemble,
  requestFile,
  StoredEnsembleMissingError,
} from "./parallel/stored-ensemble";
export type { StoredEnsemble, StoredEnsembleFile, StoredEnsembleRequest } from "./parallel/stored-ensemble";
