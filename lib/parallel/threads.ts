import { Worker, parentPort, workerData } from "worker_threads";
import { COMPILED, loadTask, modulePath, type TaskRef } from "./task";

/**
 * Both ends of every worker thread the project starts: one program (`workerPrelude` and a call to
 * `serveWorker`), one start-up handshake (`startWorkers`), and the two ways a worker then serves:
 * messages (`openWorkerPool`, and `parallelMap` built on it) or a gang's shared control words
 * (`openWorkerGang`). A worker calls its factory's function on the configuration once, reports
 * ready (or the factory's error), and serves the function it got.
 */

/**
 * @internal The first line of a worker's program: registers tsx's CommonJS hook when lib/ is
 * TypeScript, nothing when it is the compiled package (which needs no tsx).
 */
export function workerPrelude(): string {
  return COMPILED ? "" : `require(${JSON.stringify(require.resolve("tsx/cjs/api"))}).register();\n`;
}

/** The one program of every worker thread. */
function workerProgram(): string {
  return `${workerPrelude()}require(${JSON.stringify(modulePath({ module: "parallel/threads", fn: "serveWorker" }))}).serveWorker();\n`;
}

/** @internal A gang's shared memory: the control words and the first error's text. */
export interface GangMemory {
  control: Int32Array;
  message: Uint8Array;
}

/** @internal What a worker is started with (its workerData). */
interface WorkerStart {
  factory: TaskRef;
  config: unknown;
  gang?: GangMemory;
}

// A gang's control words (Int32Array indices) and the size of its error message buffer.
/** @internal */ export const GEN = 0,
  NEXT = 1,
  DONE = 2,
  ITEMS = 3,
  JOB = 4,
  ACTIVE = 5,
  STOP = 6,
  ERROR = 7,
  WORDS = 8;
/** @internal */ export const MESSAGE_BYTES = 4096;

/**
 * @internal Starts `count` worker threads that each call `factory.run(config)` once, and resolves
 * when every one has reported ready. `config` is structured-cloned to each (SharedArrayBuffers in
 * it are shared). With `gang`, the workers serve the gang's control words instead of messages.
 * Errors: the first factory error, naming the factory and `role` ("worker", "helper thread");
 * every started thread is terminated first.
 */
export async function startWorkers(
  factory: TaskRef,
  config: unknown,
  count: number,
  o: { role: string; gang?: GangMemory },
): Promise<Worker[]> {
  const start: WorkerStart = {
    factory: { module: factory.module, fn: factory.fn },
    config,
    ...(o.gang ? { gang: o.gang } : {}),
  };
  const program = workerProgram();
  const workers = Array.from(
    { length: count },
    () => new Worker(program, { eval: true, execArgv: [], workerData: start }),
  );
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.once("message", (m: { ready: boolean; error?: string }) =>
              m.ready ? resolve() : reject(new Error(`${factory.fn}(config) failed in a ${o.role}: ${m.error}`)),
            );
            w.once("error", reject);
          }),
      ),
    );
  } catch (e) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw e;
  }
  return workers;
}

// never throws: a thrown value with no string form (Object.create(null)) or a throwing stack getter
// would otherwise escape a helper's loop and leave the gang waiting for an item that never ends
const errorText = (e: unknown): string => {
  try {
    return String((e as Error)?.stack ?? e);
  } catch {
    return "an error that cannot be turned into text";
  }
};

/**
 * @internal The worker's side (called by the worker program, never in the main thread): build the
 * function from the factory, report ready, then serve messages { i, input } → { i, out } or
 * { i, error }, or the gang's jobs.
 */
export function serveWorker(): void {
  const port = parentPort;
  if (!port) throw new Error("serveWorker runs in a worker thread");
  const start = workerData as WorkerStart;
  let fn: (...args: never[]) => unknown;
  try {
    fn = loadTask<unknown, (...args: never[]) => unknown>(start.factory)(start.config);
  } catch (e) {
    port.postMessage({ ready: false, error: errorText(e) });
    return;
  }
  port.postMessage({ ready: true });
  if (start.gang) {
    serveGang(fn as unknown as (item: number, job: number) => void, start.gang);
    return;
  }
  const item = fn as unknown as (input: unknown) => unknown;
  // a task may return a promise (an asynchronous run, such as trainGpt's): its value is posted when
  // it settles; the pool sends a worker its next input only after this reply, so runs never overlap
  port.on("message", (m: { i: number; input: unknown }) => {
    new Promise((resolve) => resolve(item(m.input))).then(
      (out) => port.postMessage({ i: m.i, out }),
      (e: unknown) => port.postMessage({ i: m.i, error: errorText(e) }),
    );
  });
}

/** @internal Records item i's error in the gang's memory unless an earlier one is there (any thread). */
export function recordGangError(gang: GangMemory, item: number, e: unknown): void {
  if (Atomics.compareExchange(gang.control, ERROR, 0, item + 1) === 0) {
    const b = Buffer.from(errorText(e)).subarray(0, MESSAGE_BYTES - 1);
    gang.message.fill(0);
    gang.message.set(b);
  }
}

/**
 * A helper's loop (lib/parallel/gang explains the protocol): sleep until the generation changes;
 * an odd generation means the main thread is writing the next job's parameters, so sleep on; at
 * an even one, count itself in (ACTIVE) and join unless the generation moved meanwhile, take
 * items from the shared counter until none are left, record the first error, leave; stop when
 * STOP is set.
 */
function serveGang(fn: (item: number, job: number) => void, gang: GangMemory): void {
  const ctl = gang.control;
  let seen = 0;
  for (;;) {
    Atomics.wait(ctl, GEN, seen);
    const gen = Atomics.load(ctl, GEN);
    if (gen === seen) continue;
    if (gen & 1) {
      seen = gen; // the next job is being written: its even generation will be notified
      continue;
    }
    Atomics.add(ctl, ACTIVE, 1);
    if (Atomics.load(ctl, GEN) !== gen) {
      Atomics.sub(ctl, ACTIVE, 1);
      Atomics.notify(ctl, ACTIVE);
      continue;
    }
    seen = gen;
    if (Atomics.load(ctl, STOP)) {
      Atomics.sub(ctl, ACTIVE, 1);
      break;
    }
    const items = Atomics.load(ctl, ITEMS),
      job = Atomics.load(ctl, JOB);
    for (;;) {
      const i = Atomics.add(ctl, NEXT, 1);
      if (i >= items) break;
      try {
        fn(i, job);
      } catch (e) {
        recordGangError(gang, i, e);
      }
      if (Atomics.add(ctl, DONE, 1) + 1 === items) Atomics.notify(ctl, DONE);
    }
    Atomics.sub(ctl, ACTIVE, 1);
    Atomics.notify(ctl, ACTIVE);
  }
}
