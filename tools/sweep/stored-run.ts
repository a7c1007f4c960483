// A stored ensemble requested by a notebook (lib/parallel/stored-ensemble: the notebook writes
// FILE.request.json with the task and its inputs when FILE is missing or stale), split into shards
// of consecutive inputs: its plan (OUT/plan.json, kind "stored"), one shard (inputs first … first +
// count − 1 on all cores, written with its hash), and the merge, which writes FILE itself under the
// key the notebook will look for. Every run is a function of its input alone, so any split, here or
// on Slurm, gives the same FILE, bit for bit, as the notebook computing it in one piece.
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { parallelMap, type Task } from "../../lib/parallel";
import { loadTask } from "../../lib/parallel/task";
import { ensembleKey, writeStoredEnsemble, type StoredEnsembleRequest } from "../../lib/parallel/stored-ensemble";
import { UsageError } from "../runner/notebook";
import { readShardItems, writeShardItems } from "./shard-file";

/** One shard: a range of inputs. */
export interface StoredTask {
  index: number;
  first: number;
  count: number;
  key: string;
}

/** OUT/plan.json of a stored ensemble. */
export interface StoredPlan {
  format: 1;
  kind: "stored";
  name: string;
  /** The request (absolute path) and the result file it asks for. */
  request: string;
  file: string;
  /** The ensemble's key (lib/parallel/stored-ensemble's ensembleKey) under the current code. */
  key: string;
  runs: number;
  shardRuns: number;
  tasks: StoredTask[];
}

/** Read a request file; a UsageError says what is wrong. */
export function readRequest(file: string): StoredEnsembleRequest {
  let r: StoredEnsembleRequest;
  try {
    r = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new UsageError(`cannot read the stored-ensemble request ${file}: ${(e as Error).message}`);
  }
  if (
    r.format !== 1 ||
    typeof r.module !== "string" ||
    typeof r.fn !== "string" ||
    !Array.isArray(r.inputs) ||
    typeof r.file !== "string"
  )
    throw new UsageError(`${file} is not a stored-ensemble request (format 1, written by storedEnsemble)`);
  return r;
}

function handleOf(r: StoredEnsembleRequest): Task<unknown, unknown> {
  return { module: r.module, fn: r.fn, run: loadTask<unknown, unknown>({ module: r.module, fn: r.fn }) };
}

/**
 * Split a request's inputs into shards of `shardRuns`. Errors (UsageError): a bad shard size, and a
 * request written by other code (its key differs from the key of its inputs under today's lib/: run
 * the notebook again to write a current one).
 */
export function makeStoredPlan(requestFile: string, shardRuns: number): StoredPlan {
  if (!(Number.isInteger(shardRuns) && shardRuns >= 1))
    throw new UsageError(`--shard-runs must be a positive integer, got ${shardRuns}`);
  const request = path.resolve(requestFile),
    r = readRequest(request);
  const key = ensembleKey({ module: r.module, fn: r.fn }, r.inputs);
  if (key !== r.key)
    throw new UsageError(
      `${request} was written by other code (lib/ or the lockfile changed since): run the notebook again to write a current request`,
    );
  const tasks: StoredTask[] = [];
  for (let first = 0; first < r.inputs.length; first += shardRuns) {
    const count = Math.min(shardRuns, r.inputs.length - first);
    tasks.push({
      index: tasks.length,
      first,
      count,
      key: createHash("sha256").update(JSON.stringify({ key, first, count })).digest("hex"),
    });
  }
  return {
    format: 1,
    kind: "stored",
    name: r.name,
    request,
    file: path.resolve(path.dirname(request), r.file),
    key,
    runs: r.inputs.length,
    shardRuns,
    tasks,
  };
}

/** The shard's outputs when it is done and intact (its hash checked), else undefined. */
export function storedShard(outDir: string, t: StoredTask): unknown[] | undefined {
  return readShardItems<unknown>(outDir, t, "runs");
}

/** Run one shard on all cores and write it atomically; a done shard is kept. */
export async function runStoredShard(plan: StoredPlan, t: StoredTask, outDir: string): Promise<void> {
  if (storedShard(outDir, t)) return;
  const r = readRequest(plan.request);
  const runs = await parallelMap(handleOf(r), r.inputs.slice(t.first, t.first + t.count));
  writeShardItems(outDir, t, "runs", runs);
}

/**
 * Merge every shard, in input order, into the requested file under the ensemble's key. Returns the
 * problems instead, writing nothing, when a shard is missing or does not match its hash.
 */
export function mergeStored(
  plan: StoredPlan,
  outDir: string,
): { ok: true; file: string } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const runs: unknown[] = [];
  for (const t of plan.tasks) {
    const s = storedShard(outDir, t);
    if (!s)
      problems.push(
        `shard ${t.index} (runs ${t.first}…${t.first + t.count - 1}): missing, failed or not matching its hash`,
      );
    else runs.push(...s);
  }
  if (problems.length) return { ok: false, problems };
  writeStoredEnsemble(plan.file, plan.name, plan.key, runs);
  return { ok: true, file: plan.file };
}
