import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { parallelMap, type PoolOptions, type Task, type TaskRef } from "./pool";
import { requireInteger } from "../util/validate";

/**
 * An ensemble of worker-task runs kept on disk under a key, so that a notebook can read an ensemble
 * too long for its own time budget (computed once here, or split into shards by `npm run sweep --
 * --ensemble NAME`, locally or on Slurm) and run it again only when it is missing or stale.
 *
 * The key follows the runner's cache rules (tools/runner/cache.ts): a sha-256 over the inputs
 * (which carry the mode, the seed and every parameter), every file of lib/ that the task's module
 * loads, transitively (relative imports and require() calls, and the modules that `task(...)`
 * handles name), and package-lock.json. A run made by other code or for other inputs is therefore
 * never taken for the current one. The outputs are the task's, in input order; a task's result
 * does not depend on the number of workers or on how the inputs were split into shards, so the file
 * is the same bytes wherever it was computed.
 */

/** The file format: the key it was computed under and the outputs in input order. */
export interface StoredEnsembleFile<O> {
  format: 1;
  name: string;
  key: string;
  runs: O[];
}

/**
 * What a notebook asks `npm run sweep -- --stored FILE.request.json` to compute: the task, its
 * inputs and the key the result must carry (written next to FILE whenever FILE is missing or stale).
 */
export interface StoredEnsembleRequest {
  format: 1;
  name: string;
  module: string;
  fn: string;
  key: string;
  /** The result's file name, in the request's folder. */
  file: string;
  inputs: unknown[];
}

/** The request file of a result file: FILE.json → FILE.request.json. */
export function requestFile(file: string): string {
  return file.replace(/(\.json)?$/, ".request.json");
}

const LIB = path.resolve(__dirname, "..");
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']+)["']/gm;
const TASK_MODULE = /(?:\bmodule\s*:\s*|\btask\(\s*)\\?["']([a-z0-9][a-z0-9/_-]*)\\?["']/gi;

function resolveSource(fromDir: string, spec: string): string | undefined {
  const base = path.resolve(fromDir, spec);
  for (const f of [base, `${base}.ts`, `${base}.js`, path.join(base, "index.ts"), path.join(base, "index.js")])
    if (fs.existsSync(f) && fs.statSync(f).isFile()) return f;
  return undefined;
}

/**
 * The source files of lib/ that a task's module loads, itself included, transitively (relative
 * imports, require() calls and the modules named by task handles, as the runner's cache follows
 * them), sorted. Errors: a RangeError when the task's module has no file under lib/.
 */
export function taskSources(handle: TaskRef): string[] {
  const entry = resolveSource(LIB, `./${handle.module}`);
  if (!entry) throw new RangeError(`taskSources: lib/${handle.module} has no source file`);
  const seen = new Set<string>([entry]),
    queue = [entry];
  while (queue.length) {
    const f = queue.shift()!,
      text = fs.readFileSync(f, "utf8");
    const add = (g: string | undefined) => {
      if (g && g.startsWith(LIB + path.sep) && !seen.has(g)) {
        seen.add(g);
        queue.push(g);
      }
    };
    for (const m of text.matchAll(IMPORT)) add(resolveSource(path.dirname(f), m[1]));
    for (const m of text.matchAll(TASK_MODULE)) add(resolveSource(LIB, `./${m[1]}`));
  }
  return [...seen].sort();
}

/**
 * The key of an ensemble (hex sha-256): the inputs (as JSON), every lib/ file the task loads (path
 * relative to the project and bytes) and package-lock.json when present. Errors: as taskSources.
 */
export function ensembleKey(handle: TaskRef, inputs: readonly unknown[]): string {
  const root = path.dirname(LIB),
    h = createHash("sha256");
  h.update(JSON.stringify({ format: 1, module: handle.module, fn: handle.fn, inputs }));
  const files = taskSources(handle);
  const lock = path.join(root, "package-lock.json");
  if (fs.existsSync(lock)) files.push(lock);
  for (const f of files)
    h.update("\0" + path.relative(root, f).split(path.sep).join("/") + "\0").update(fs.readFileSync(f));
  return h.digest("hex");
}

/** The stored outputs when `file` holds an ensemble of `count` runs under `key`, else undefined (missing, stale, torn or foreign). */
export function readStoredEnsemble<O>(file: string, key: string, count: number): O[] | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    const s = JSON.parse(fs.readFileSync(file, "utf8")) as StoredEnsembleFile<O>;
    return s.format === 1 && s.key === key && Array.isArray(s.runs) && s.runs.length === count ? s.runs : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The first number in `value` that JSON does not keep (NaN, ±Infinity: JSON.stringify writes null,
 * which arithmetic then reads as 0) and where it is, as a path such as "runs[3].spectra[0][2]";
 * undefined when there is none. Plain data only: arrays and objects are walked, other values are
 * leaves.
 */
export function nonFiniteAt(value: unknown, at = "value"): { at: string; value: number } | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? undefined : { at, value };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = nonFiniteAt(value[i], `${at}[${i}]`);
      if (p) return p;
    }
    return undefined;
  }
  if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      const p = nonFiniteAt(v, `${at}.${k}`);
      if (p) return p;
    }
  return undefined;
}

/**
 * Throws a RangeError naming `who` and the place when `value` holds NaN or ±Infinity (see
 * nonFiniteAt): what is written to JSON for a later run must read back as the same numbers. A task
 * records a diverged run as data (null, a flag, its step), never as a non-finite number.
 */
export function requireJsonNumbers(who: string, value: unknown, at: string): void {
  const bad = nonFiniteAt(value, at);
  if (bad)
    throw new RangeError(
      `${who}: ${bad.at} is ${bad.value}, which JSON cannot store; record a diverged run as data (null or a flag), not as a non-finite number`,
    );
}

/**
 * Write an ensemble's outputs under its key, atomically (a temporary file, then a rename).
 * Errors: `requireJsonNumbers`' RangeError when an output holds NaN or ±Infinity (JSON would store
 * null, a silent 0 in a later sum).
 */
export function writeStoredEnsemble<O>(file: string, name: string, key: string, runs: O[]): void {
  requireJsonNumbers(name, runs, "runs");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const body: StoredEnsembleFile<O> = { format: 1, name, key, runs };
  fs.writeFileSync(tmp, JSON.stringify(body) + "\n");
  fs.renameSync(tmp, file);
}

/**
 * What `storedEnsemble` throws with `missing: "request"` when its file is missing or stale: a
 * RangeError whose message names the `npm run sweep -- --stored` command, and whose `request` is the
 * FILE.request.json it wrote. A caller that can go on without the ensemble catches this class, and
 * only this one.
 */
export class StoredEnsembleMissingError extends RangeError {
  constructor(
    message: string,
    readonly request: string,
  ) {
    super(message);
  }
}

/** What `storedEnsemble` returns. */
export interface StoredEnsemble<O> {
  runs: O[];
  key: string;
  /** True when the outputs were read from the file, false when they were computed (and written) now. */
  reused: boolean;
  file: string;
}

/**
 * The outputs of `handle` on every input, read from `file` when it holds them under the current
 * key (see ensembleKey), else computed with `parallelMap` (options workers and onProgress) and
 * written there. On a miss it first writes the request FILE.request.json (the task, the inputs and
 * the key), from which `npm run sweep -- --stored FILE.request.json [--slurm]` computes the same
 * file in shards; with `missing: "request"` it stops there, with an error that names that command,
 * instead of computing the ensemble here (default "run"): a StoredEnsembleMissingError. `npm run sweep -- --ensemble NAME` writes the same file from shards. Outputs must
 * be plain data that JSON keeps (arrays, finite numbers or null, strings; a NaN or ±Infinity is
 * refused with a RangeError naming it, see writeStoredEnsemble): the outputs returned are
 * always the file's, also when they were computed now.
 * Errors: a RangeError for an empty input list; the first task error.
 */
export async function storedEnsemble<I, O>(
  handle: Task<I, O>,
  inputs: I[],
  o: { file: string; name: string; missing?: "run" | "request" } & PoolOptions,
): Promise<StoredEnsemble<O>> {
  requireInteger("number of inputs", inputs.length, 1);
  if (o.missing !== undefined && o.missing !== "run" && o.missing !== "request")
    throw new RangeError(`missing must be "run" or "request", got "${String(o.missing)}"`);
  const key = ensembleKey(handle, inputs);
  const stored = readStoredEnsemble<O>(o.file, key, inputs.length);
  if (stored) return { runs: stored, key, reused: true, file: o.file };
  const req = requestFile(o.file);
  const request: StoredEnsembleRequest = {
    format: 1,
    name: o.name,
    module: handle.module,
    fn: handle.fn,
    key,
    file: path.basename(o.file),
    inputs,
  };
  fs.mkdirSync(path.dirname(req), { recursive: true });
  const tmp = `${req}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(request) + "\n");
  fs.renameSync(tmp, req);
  if (o.missing === "request")
    throw new StoredEnsembleMissingError(
      `${o.name}: ${o.file} is missing or stale; compute it with npm run sweep -- --stored ${req} (add --slurm to run it on a cluster), then run this again`,
      req,
    );
  const runs = await parallelMap(handle, inputs, { workers: o.workers, onProgress: o.onProgress });
  writeStoredEnsemble(o.file, o.name, key, runs);
  // what a later read returns (JSON: plain arrays and numbers), so that a fresh and a reused run look the same
  return { runs: JSON.parse(JSON.stringify(runs)) as O[], key, reused: false, file: o.file };
}
