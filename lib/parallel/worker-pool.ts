import type { Worker } from "worker_threads";
import { requireInteger } from "../util/validate";
import { defaultWorkers, loadTask, type Task } from "./task";
import { startWorkers } from "./threads";

/**
 * A pool of worker threads that stay alive between calls, each holding the state that a factory
 * built once from a configuration (a training set, a model spec): for work that repeats thousands
 * of times on the same data, such as the minibatch gradients of a training run, where a fresh
 * thread per call would cost more than the work. `parallelMap` is such a pool, opened for one call.
 *
 * `map(inputs)` returns the outputs in input order, whatever the number of workers; with
 * workers = 1 everything runs in this thread. Close the pool when done (`close()`).
 */
export interface WorkerPool<I, O> {
  readonly workers: number;
  /** Runs the factory's function on every input; outputs in input order. Errors: the first failure, with the input's position (it closes the pool: replies still in flight would otherwise reach the next call). */
  map(inputs: I[], onProgress?: (done: number, total: number) => void): Promise<Awaited<O>[]>;
  /** Stops the threads; later calls to map are refused. */
  close(): Promise<void>;
}

/**
 * Opens a pool whose workers each call `factory.run(config)` once and keep the function it returns.
 * The factory is a task handle (`task("nn/data-parallel", mlpShardEvaluator)`), so workers load it
 * by module and name; `config` is structured-cloned to each worker once. Options: workers (default
 * `defaultWorkers()`). Errors: a wrong handle or a factory that throws, reported before any input runs.
 */
export async function openWorkerPool<C, I, O>(
  factory: Task<C, (input: I) => O>,
  config: C,
  o: { workers?: number } = {},
): Promise<WorkerPool<I, O>> {
  return openPool(factory, config, o.workers ?? defaultWorkers(), factory.fn);
}

/**
 * @internal `openWorkerPool` with the name that errors give the function (`parallelMap` names its
 * task, not the factory that loads it).
 */
export async function openPool<C, I, O>(
  factory: Task<C, (input: I) => O>,
  config: C,
  workers: number,
  name: string,
): Promise<WorkerPool<I, O>> {
  requireInteger("workers", workers, 1);
  const make = loadTask<C, (input: I) => O>(factory); // fail fast, in this thread, on a wrong module or name
  let closed = false;
  const refuse = () => {
    if (closed) throw new Error("WorkerPool: the pool is closed");
  };
  if (workers === 1) {
    const fn = make(config);
    return {
      workers,
      async map(inputs, onProgress) {
        refuse();
        const outs: Awaited<O>[] = [];
        // one input after another, each awaited: an asynchronous task (a training run) never overlaps itself
        for (const [i, x] of inputs.entries()) {
          outs.push(await fn(x));
          onProgress?.(i + 1, inputs.length);
        }
        return outs;
      },
      async close() {
        closed = true;
      },
    };
  }
  const pool: Worker[] = await startWorkers(factory, config, workers, { role: "worker" });
  let busy = false;
  return {
    workers,
    async map(inputs, onProgress) {
      refuse();
      if (busy) throw new Error("WorkerPool: map called while another map is running");
      busy = true;
      const results: Awaited<O>[] = new Array(inputs.length);
      try {
        if (inputs.length === 0) return results;
        await new Promise<void>((resolve, reject) => {
          let next = 0,
            done = 0;
          const listeners: ((m: { i: number; out?: O; error?: string }) => void)[] = [];
          const onError = (e: Error) => settle(e);
          const settle = (err?: Error) => {
            pool.forEach((w, k) => {
              w.off("message", listeners[k]);
              w.off("error", onError);
            });
            if (err) {
              closed = true;
              void Promise.all(pool.map((w) => w.terminate()));
              reject(err);
            } else resolve();
          };
          const feed = (w: Worker) => {
            if (next < inputs.length) {
              const i = next++;
              w.postMessage({ i, input: inputs[i] });
            }
          };
          pool.forEach((w) => {
            const on = (m: { i: number; out?: O; error?: string }) => {
              if (m.error !== undefined) {
                settle(new Error(`task ${name} failed on input ${m.i}: ${m.error}`));
                return;
              }
              results[m.i] = m.out as Awaited<O>;
              done++; // not inside onProgress?.(…): optional chaining would skip the increment
              onProgress?.(done, inputs.length);
              if (done === inputs.length) settle();
              else feed(w);
            };
            listeners.push(on);
            w.on("message", on);
            w.on("error", onError);
          });
          pool.forEach(feed);
        });
      } finally {
        busy = false;
      }
      return results;
    },
    async close() {
      closed = true;
      await Promise.all(pool.map((w) => w.terminate()));
    },
  };
}
