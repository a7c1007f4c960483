import { requireInteger } from "../util/validate";
import { defaultWorkers, loadTask, task, type Task } from "./task";
import {
  ACTIVE,
  DONE,
  ERROR,
  GEN,
  ITEMS,
  JOB,
  MESSAGE_BYTES,
  NEXT,
  STOP,
  WORDS,
  recordGangError,
  startWorkers,
  type GangMemory,
} from "./threads";

/**
 * The work of one item of a gang job: item `item` (0 … items − 1) of job kind `job`, reading its
 * inputs from and writing its outputs to shared memory that the gang's configuration carries.
 * Items of one job must not depend on each other's outputs, nor on which thread runs them.
 */
export type GangItem = (item: number, job: number) => void;

/**
 * A gang of threads that run synchronous jobs together: `run(items, job)` hands items 0 … items − 1
 * to this thread and to workers − 1 helper threads (each takes the next free item from a shared
 * counter) and returns when all are done, without leaving this thread's stack. It is the
 * synchronous sibling of `openWorkerPool`, for the inner loop of a computation that is itself
 * synchronous (a `TangentSystem`'s step inside `lyapunovSpectrum`), where a promise per step is not
 * available and a message per item would cost more than it saves.
 *
 * How: inputs and outputs live in SharedArrayBuffers that the configuration carries (shared, not
 * copied, with every thread); a small Int32Array of control words (job generation, next item, items
 * done, threads inside a job) is driven by Atomics: helpers sleep in `Atomics.wait` between jobs,
 * this thread wakes them with `Atomics.notify`, works through items like them, then sleeps until the
 * last item is done. The generation is even while a job is open and odd while this thread writes
 * the next one: it first makes the generation odd, then waits until no helper is inside the
 * previous job (ACTIVE), and only then resets the counters and writes the job, and makes the
 * generation even again. A helper counts itself in (ACTIVE) and then checks that the generation is
 * still the even one it woke for, so a late helper either joins a job whose parameters are already
 * written, or, if it was counted in before they were overwritten, finds the previous job's items
 * all taken and leaves before this thread goes on. (Without the odd step a helper that woke late
 * could count itself in after the wait on ACTIVE and read the previous job's item count and kind
 * with the new job's counter: it took items of the wrong job, and the counts could stall the gang;
 * test/parallel/gang.test.ts runs the 200 000 tiny jobs that showed it.) Helpers are started, and
 * serve, by lib/parallel/threads, like the workers of `openWorkerPool`.
 *
 * Since items write to their own outputs, a job's result does not depend on the number of threads
 * or on which thread ran which item. With workers = 1 there are no helpers and everything runs here.
 */
export interface WorkerGang {
  /** Threads that work on a job, this one included. */
  readonly workers: number;
  /**
   * Runs items 0 … items − 1 of job kind `job` (default 0) on the gang and returns when all are
   * done. Errors: the first error recorded (in time, not the lowest item), rethrown here with its
   * item number (the gang stays usable); a RangeError for an item count or job kind that is not an
   * integer or does not fit the control words (2³¹ − 1 − workers, 2³¹ − 1); an Error after `close`.
   * Do not call `run` or `close` from inside an item.
   */
  run(items: number, job?: number): void;
  /** Stops the helper threads; later runs are refused. */
  close(): Promise<void>;
}

/**
 * Opens a gang: `factory.run(config)` is called once in this thread and once in each helper, and
 * the function it returns runs the items (`task("nn/tangent-shards", tangentShardWorker)`).
 * `config` is structured-cloned to each helper once: put inputs and outputs in SharedArrayBuffers
 * inside it. Options: workers (default `defaultWorkers()`), counting this thread.
 * Errors: a RangeError for a bad worker count or task handle; a factory that throws in a helper,
 * reported before any job runs.
 */
export async function openWorkerGang<C>(
  factory: Task<C, GangItem>,
  config: C,
  o: { workers?: number } = {},
): Promise<WorkerGang> {
  const workers = o.workers ?? defaultWorkers();
  requireInteger("workers", workers, 1);
  const fn = loadTask<C, GangItem>(factory)(config); // fails fast, here, on a wrong handle or config
  const memory: GangMemory = {
    control: new Int32Array(new SharedArrayBuffer(4 * WORDS)),
    message: new Uint8Array(new SharedArrayBuffer(MESSAGE_BYTES)),
  };
  const { control, message } = memory;
  const helpers = await startWorkers(factory, config, workers - 1, { role: "helper thread", gang: memory });
  for (const w of helpers) w.unref(); // a gang left open does not keep the process alive
  let closed = false;
  const waitWhile = (word: number, busy: (v: number) => boolean) => {
    for (let v = Atomics.load(control, word); busy(v); v = Atomics.load(control, word))
      Atomics.wait(control, word, v, 1000);
  };
  return {
    workers,
    run(items, job = 0) {
      if (closed) throw new Error("WorkerGang: the gang is closed");
      // both travel through Int32 control words to the helpers (NEXT may overshoot items by the workers)
      requireInteger("items", items, 0, 2 ** 31 - 1 - workers);
      requireInteger("job", job, 0, 2 ** 31 - 1);
      if (items === 0) return;
      // close the previous generation (odd: no helper joins it from now on), wait until no helper
      // is inside it, write the job, then open it (even) and wake the helpers
      Atomics.add(control, GEN, 1);
      waitWhile(ACTIVE, (v) => v > 0);
      Atomics.store(control, NEXT, 0);
      Atomics.store(control, DONE, 0);
      Atomics.store(control, ITEMS, items);
      Atomics.store(control, JOB, job);
      Atomics.store(control, ERROR, 0);
      Atomics.add(control, GEN, 1);
      if (helpers.length) Atomics.notify(control, GEN);
      for (;;) {
        const i = Atomics.add(control, NEXT, 1);
        if (i >= items) break;
        try {
          fn(i, job);
        } catch (e) {
          recordGangError(memory, i, e);
        }
        Atomics.add(control, DONE, 1);
      }
      waitWhile(DONE, (v) => v < items);
      const failed = Atomics.load(control, ERROR);
      if (failed) {
        const text = Buffer.from(message).toString("utf8").replace(/\0+$/, "");
        throw new Error(`gang task ${factory.fn} failed on item ${failed - 1} (job ${job}): ${text}`);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      Atomics.store(control, STOP, 1);
      Atomics.add(control, GEN, 2); // a new even generation: helpers join it and see STOP
      Atomics.notify(control, GEN);
      await Promise.all(helpers.map((w) => w.terminate()));
    },
  };
}

/**
 * A gang task for tests and the bench: item i of job j adds j + 1 to counts[i] (Int32Array over
 * `counts`), and throws for job 99 at item 3 (a RangeError) and for job 98 at item 3 (a value with
 * no string form). It shows that every item runs exactly once per job.
 */
export function gangCounter(config: { counts: SharedArrayBuffer }): GangItem {
  const counts = new Int32Array(config.counts);
  return (item, job) => {
    if (job === 99 && item === 3) throw new RangeError("item 3 refuses job 99");
    if (job === 98 && item === 3) throw Object.create(null);
    Atomics.add(counts, item, job + 1);
  };
}

/** Gang task handle of `gangCounter`. */
export const gangCounterTask = task("parallel/gang", gangCounter);
