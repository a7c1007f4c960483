import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Worker } from "worker_threads";
import { requireInteger } from "../util/validate";

/**
 * Run a pure task over many inputs on worker threads, results in input order.
 *
 * The task is a typed handle made beside its function, `export const splittingTask =
 * task("rqf/tasks", splittingRun)`, so that `parallelMap(splittingTask, inputs)` type-checks its
 * inputs and outputs; workers load the function by the handle's module and name.
 * Each input must carry everything its result depends on, including its random stream's
 * (seed, index): then the results are identical whatever the number of workers (tested), and a
 * run with workers = 1 (in-process, no threads) gives the same numbers bit for bit.
 *
 * From the TypeScript sources (a checkout: tsx, plain node, the tslab kernel) workers load the task's
 * module through tsx's CommonJS hook; from the installed package (lib/ compiled to JavaScript) they
 * require the compiled module beside this one, so tasks resolve wherever the package is installed.
 */
export interface TaskRef {
  /** Module path relative to lib/, without extension. */
  module: string;
  /** Name of the exported function: (input) => output, synchronous and pure. */
  fn: string;
}

/** A typed handle on a worker task: the function and where workers find it. Make it with `task`. */
export interface Task<I, O> extends TaskRef {
  readonly run: (input: I) => O;
}

/**
 * The handle of a task `fn`, a named export of lib/`module`.ts: (input) => output, synchronous and
 * pure (everything its result depends on, its streams' seed and index included, is in the input).
 * A test checks that every handle in lib/ resolves to its own function.
 * @throws TypeError for an anonymous function
 */
export function task<I, O>(module: string, fn: (input: I) => O): Task<I, O> {
  if (!fn.name) throw new TypeError("task: the function must be a named export (it has no name)");
  return { module, fn: fn.name, run: fn };
}

/** Options of `parallelMap`: number of workers (default `defaultWorkers()`), progress callback. */
export interface PoolOptions {
  /** Number of worker threads (default: the machine's parallelism; 1 = run in this thread). */
  workers?: number;
  onProgress?: (done: number, total: number) => void;
}

const LIB = path.resolve(__dirname, "..");

/**
 * Whether this copy of lib/ is compiled JavaScript (the installed package) rather than the
 * TypeScript sources of a checkout: then task modules are required as they are, with no tsx hook.
 */
const COMPILED = fs.existsSync(path.join(LIB, "parallel", "pool.js"));

/**
 * @internal The first line of a worker's program: registers tsx's CommonJS hook when lib/ is
 * TypeScript, nothing when it is the compiled package (which needs no tsx).
 */
export function workerPrelude(): string {
  return COMPILED ? "" : `require(${JSON.stringify(require.resolve("tsx/cjs/api"))}).register();\n`;
}

/** Workers used by default: the available parallelism (CPUs) of this machine, at least 1. */
export function defaultWorkers(): number {
  const o = os as unknown as { availableParallelism?: () => number };
  return Math.max(1, o.availableParallelism ? o.availableParallelism() : os.cpus().length);
}

/** @internal The file of a task's module (validated: a path under lib/). */
export function modulePath(task: TaskRef): string {
  if (!/^[a-z0-9][a-z0-9/_-]*$/i.test(task.module) || task.module.includes("..")) {
    throw new RangeError(`task.module must be a path under lib/ like "rqf/tasks", got "${task.module}"`);
  }
  return path.join(LIB, task.module);
}

/** @internal The task's function, loaded in this thread (errors name a wrong module or function). */
export function loadTask<I, O>(task: TaskRef): (input: I) => O {
  // Inside the tslab kernel (plain node) require() has no .ts hook: lib/ modules there are
  // compiled by tslab itself. Register tsx's CommonJS hook once so task modules load here too.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  if (!COMPILED && !require.extensions[".ts"]) require("tsx/cjs/api").register();
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const mod = require(modulePath(task));
  const fn = mod[task.fn];
  if (typeof fn !== "function") throw new RangeError(`lib/${task.module} has no exported function "${task.fn}"`);
  return fn;
}

/**
 * Runs `task` on every input on worker threads and returns the outputs in input order. Results do not
 * depend on the number of workers (each input carries its stream). Errors: the first task error,
 * rethrown with the input's position.
 */
export async function parallelMap<I, O>(task: Task<I, O>, inputs: I[], o: PoolOptions = {}): Promise<O[]> {
  const workers = Math.min(o.workers ?? defaultWorkers(), Math.max(1, inputs.length));
  requireInteger("workers", workers, 1);
  const results: O[] = new Array(inputs.length);
  if (workers === 1) {
    const fn = loadTask<I, O>(task);
    inputs.forEach((input, i) => {
      results[i] = fn(input);
      o.onProgress?.(i + 1, inputs.length);
    });
    return results;
  }
  const file = modulePath(task);
  const code =
    `const { parentPort } = require("worker_threads");\n` +
    workerPrelude() +
    `const fn = require(${JSON.stringify(file)})[${JSON.stringify(task.fn)}];\n` +
    `parentPort.on("message", (m) => {\n` +
    `  try { parentPort.postMessage({ i: m.i, out: fn(m.input) }); }\n` +
    `  catch (e) { parentPort.postMessage({ i: m.i, error: String(e && e.stack || e) }); }\n` +
    `});\n`;
  loadTask(task); // fail fast, in this thread, on a wrong module or name
  let next = 0, done = 0;
  const pool: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const feed = (w: Worker) => {
        if (next < inputs.length) {
          const i = next++;
          w.postMessage({ i, input: inputs[i] });
        }
      };
      for (let k = 0; k < workers; k++) {
        const w = new Worker(code, { eval: true, execArgv: [] });
        pool.push(w);
        w.on("message", (m: { i: number; out?: O; error?: string }) => {
          if (m.error !== undefined) { reject(new Error(`task ${task.fn} failed on input ${m.i}: ${m.error}`)); return; }
          results[m.i] = m.out as O;
          done++;
          o.onProgress?.(done, inputs.length);
          if (done === inputs.length) resolve();
          else feed(w);
        });
        w.on("error", reject);
        feed(w);
      }
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}
