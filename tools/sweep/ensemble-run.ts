// A long ensemble split into shards of consecutive runs: its plan (OUT/plan.json, kind "ensemble"),
// one shard (runs first … first + count − 1 on all cores, written with its hash), and the merge
// (all spectra in run order into OUT/spectra.json, the statistics into OUT/ensemble.json).
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { parallelMap } from "../../lib/parallel";
import { PROJECT_ROOT } from "../kernel/spec";
import { UsageError } from "../runner/notebook";
import { ENSEMBLES } from "./ensembles";
import { readShardItems, writeShardItems } from "./shard-file";

/** One shard: a range of runs. */
export interface EnsembleTask {
  index: number;
  first: number;
  count: number;
  key: string;
}

/** OUT/plan.json of an ensemble. */
export interface EnsemblePlan {
  format: 1;
  kind: "ensemble";
  name: string;
  seed: number;
  runs: number;
  shardRuns: number;
  tasks: EnsembleTask[];
}

function files(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : [],
    );
}

/** sha-256 of the code an ensemble runs: every lib/ file, tools/sweep/ensembles.ts and the lockfile. */
export function codeHash(root = PROJECT_ROOT): string {
  const h = createHash("sha256");
  const list = [
    ...files(path.join(root, "lib")).sort(),
    path.join(root, "tools", "sweep", "ensembles.ts"),
    path.join(root, "package-lock.json"),
  ];
  for (const f of list) if (fs.existsSync(f)) h.update("\0" + path.relative(root, f) + "\0").update(fs.readFileSync(f));
  return h.digest("hex");
}

/** Split `runs` into shards of `shardRuns`. Errors (UsageError): an unknown ensemble, runs or shard size < 1. */
export function makeEnsemblePlan(name: string, seed: number, runs: number, shardRuns: number): EnsemblePlan {
  if (!ENSEMBLES[name])
    throw new UsageError(`unknown ensemble "${name}"; available: ${Object.keys(ENSEMBLES).join(", ")}`);
  if (!(Number.isInteger(runs) && runs >= 1)) throw new UsageError(`--runs must be a positive integer, got ${runs}`);
  if (!(Number.isInteger(shardRuns) && shardRuns >= 1))
    throw new UsageError(`--shard-runs must be a positive integer, got ${shardRuns}`);
  const code = codeHash();
  const tasks: EnsembleTask[] = [];
  for (let first = 0; first < runs; first += shardRuns) {
    const count = Math.min(shardRuns, runs - first);
    const key = createHash("sha256").update(JSON.stringify({ name, seed, first, count, code })).digest("hex");
    tasks.push({ index: tasks.length, first, count, key });
  }
  return { format: 1, kind: "ensemble", name, seed, runs, shardRuns, tasks };
}

/** The shard's spectra when it is done and intact (its hash checked), else undefined. */
export function ensembleShard(outDir: string, t: EnsembleTask): number[][] | undefined {
  return readShardItems<number[]>(outDir, t, "spectra");
}

// The shared set-up (notebook 09's parent run, 15 000 steps) is built once per process and
// ensemble, not once per shard: a local run of 20 shards would otherwise train the parent 20 times.
const setups = new Map<string, unknown>();

/** Run one shard (blocks of 10 runs on all cores) and write it atomically; a done shard is kept. */
export async function runEnsembleShard(plan: EnsemblePlan, t: EnsembleTask, outDir: string): Promise<void> {
  if (ensembleShard(outDir, t)) return;
  const def = ENSEMBLES[plan.name];
  const key = `${plan.name}\0${plan.seed}`;
  if (!setups.has(key)) setups.set(key, def.setup(plan.seed));
  const setup = setups.get(key);
  const blocks = [];
  for (let first = t.first; first < t.first + t.count; first += 10)
    blocks.push(def.block(plan.seed, first, Math.min(10, t.first + t.count - first), setup));
  const out = await parallelMap(def.task, blocks);
  const spectra = out.flatMap((b) => b.spectra);
  writeShardItems(outDir, t, "spectra", spectra);
}

/**
 * Merge every shard, in run order, into OUT/spectra.json and OUT/ensemble.json (statistics and the
 * spectra's sha-256; nothing about the split, so any shard size gives the same bytes). Returns the problems instead, writing nothing, when a shard is missing or
 * does not match its hash.
 */
export function mergeEnsemble(
  plan: EnsemblePlan,
  outDir: string,
): { ok: true; summary: Record<string, unknown>; file: string } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const spectra: number[][] = [];
  for (const t of plan.tasks) {
    const s = ensembleShard(outDir, t);
    if (!s)
      problems.push(
        `shard ${t.index} (runs ${t.first}…${t.first + t.count - 1}): missing, failed or not matching its hash`,
      );
    else spectra.push(...s);
  }
  if (problems.length) return { ok: false, problems };
  const text = JSON.stringify(spectra);
  const sha256 = createHash("sha256").update(text).digest("hex");
  const summary = {
    ensemble: plan.name,
    seed: plan.seed,
    runs: plan.runs,
    spectraSha256: sha256,
    ...ENSEMBLES[plan.name].summarize(spectra, plan.seed),
  };
  const write = (f: string, s: string) => {
    const tmp = `${f}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, s);
    fs.renameSync(tmp, f);
  };
  write(path.join(outDir, "spectra.json"), text + "\n");
  const file = path.join(outDir, "ensemble.json");
  write(file, JSON.stringify(summary, null, 2) + "\n");
  return { ok: true, summary, file };
}
