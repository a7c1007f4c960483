import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * Worker tasks: a typed handle names a pure, synchronous function by its module and export, so
 * that a worker thread can load it (`parallelMap`, `openWorkerPool`, `openWorkerGang`).
 *
 * From the TypeScript sources (a checkout: tsx, plain node, the tslab kernel) task modules load
 * through tsx's CommonJS hook; from the installed package (lib/ compiled to JavaScript) they are
 * required as they are, so tasks resolve wherever the package is installed.
 */
export interface TaskRef {
  /** Module path relative to lib/, without extension. */
  module: string;
  /** Name of the exported function: (input) => output, pure; it may return a promise (an asynchronous run), whose value is the output. */
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

const LIB = path.resolve(__dirname, "..");

/**
 * @internal Whether this copy of lib/ is compiled JavaScript (the installed package) rather than
 * the TypeScript sources of a checkout: then task modules are required as they are, with no tsx hook.
 */
export const COMPILED = fs.existsSync(path.join(LIB, "parallel", "task.js"));

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
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (!COMPILED && !require.extensions[".ts"]) require("tsx/cjs/api").register();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(modulePath(task));
  const fn = mod[task.fn];
  if (typeof fn !== "function") throw new RangeError(`lib/${task.module} has no exported function "${task.fn}"`);
  return fn;
}

/**
 * @internal The factory that turns a task reference into its function: `parallelMap` is a worker
 * pool (`openWorkerPool`) whose factory is this one and whose configuration is the task's reference.
 */
export function taskFunction(ref: TaskRef): (input: unknown) => unknown {
  return loadTask(ref);
}

/** @internal Task handle of `taskFunction`. */
export const taskFunctionTask = task("parallel/task", taskFunction);
