import { requireInteger } from "../util/validate";
import { defaultWorkers, loadTask, taskFunctionTask, type Task, type TaskRef } from "./task";
import { openPool } from "./worker-pool";

// Where the pieces live: task handles and their loading in ./task, worker threads (both ends) in
// ./threads, the persistent pool in ./worker-pool, the synchronous gang in ./gang. Older imports of
// the public task helpers from this file keep working (the internal ones, loadTask, modulePath and
// workerPrelude, are imported from ./task and ./threads: the package's declarations leave them out).
export { task, defaultWorkers } from "./task";
export type { TaskRef, Task } from "./task";

/** Options of `parallelMap`: number of workers (default `defaultWorkers()`), progress callback. */
export interface PoolOptions {
  /** Number of worker threads (default: the machine's parallelism; 1 = run in this thread). */
  workers?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Runs a pure task over many inputs on worker threads and returns the outputs in input order.
 *
 * The task is a typed handle made beside its function, `export const splittingTask =
 * task("rqf/tasks", splittingRun)`, so that `parallelMap(splittingTask, inputs)` type-checks its
 * inputs and outputs; workers load the function by the handle's module and name. Each input must
 * carry everything its result depends on, including its random stream's (seed, index): then the
 * results are identical whatever the number of workers (tested), and a run with workers = 1
 * (in-process, no threads) gives the same numbers bit for bit.
 *
 * A task may be asynchronous (a training run that opens its own pool): each worker then awaits
 * one input's promise before it takes the next, and the output is the promise's value.
 *
 * It is an `openWorkerPool` opened for this one call (min(workers, inputs) threads), whose factory
 * loads the task from its reference, and closed when the call ends.
 * Errors: the first task error, rethrown with the input's position; a wrong task handle, before
 * any thread starts.
 */
export async function parallelMap<I, O>(task: Task<I, O>, inputs: I[], o: PoolOptions = {}): Promise<Awaited<O>[]> {
  const workers = Math.min(o.workers ?? defaultWorkers(), Math.max(1, inputs.length));
  requireInteger("workers", workers, 1);
  loadTask(task); // fail fast, in this thread, on a wrong module or name
  const ref: TaskRef = { module: task.module, fn: task.fn };
  const pool = await openPool(taskFunctionTask as unknown as Task<TaskRef, (input: I) => O>, ref, workers, task.fn);
  try {
    return await pool.map(inputs, o.onProgress);
  } finally {
    await pool.close();
  }
}
