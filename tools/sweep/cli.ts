// npm run sweep: a notebook over a grid of its parameters and a list of seeds, on this machine's
// cores or as a Slurm array job, merged into one report and page. See USAGE.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../kernel/spec";
import { UsageError } from "../runner/notebook";
import {
  custom,
  flag,
  integer,
  lastOf,
  runCli,
  text,
  texts,
  type CliSpec,
  type OptionSpec,
  type ParsedArgs,
} from "../cli/args";
import { DEFAULT_CELL_TIMEOUT_SECONDS, parseSeedList, selectNotebooks } from "../runner/options";
import { runInSlots } from "../runner/slots";
import { makePlan, readPlan, pointLabel } from "./plan";
import type { SweepPlan } from "./plan";
import { runShard, shardState } from "./shard";
import { mergeShards, mergedTable } from "./merge";
import { submitSweep, writeSlurmScripts } from "./slurm";
import type { SlurmOptions } from "./slurm";
import { makeEnsemblePlan, ensembleShard, runEnsembleShard, mergeEnsemble } from "./ensemble-run";
import type { EnsemblePlan } from "./ensemble-run";
import { ENSEMBLES } from "./ensembles";
import { makeStoredPlan, mergeStored, runStoredShard, storedShard } from "./stored-run";
import type { StoredPlan } from "./stored-run";

export const USAGE = `usage: npm run sweep -- NOTEBOOK --grid NAME=V1,V2,… [--grid …] [options]
       npm run sweep -- --ensemble NAME --runs N [--shard-runs M] [--seed S] [options]
       npm run sweep -- --stored FILE.request.json [--shard-runs M] [options]

Runs one notebook at every point of a grid of its parameters (the cell tagged "parameters";
list them with npm run reproduce -- --list-params NOTEBOOK) and every seed, one shard per run in
OUT/shards/, then merges the shards' verdicts into OUT/merged.json and OUT/sweep.html (a table
and a figure of each verdict's measurement across the grid). Rerunning resumes: shards already
done are checked against their hash and skipped. The merge is the same, bit for bit, whether the
shards ran here or on a cluster.

options:
  --grid NAME=V1,V2,…   an axis of the grid (repeatable; the first is outermost), values typed
                        from the parameter's default
  --param NAME=VALUE    a fixed override for every run (repeatable)
  --seeds LIST          seeds, e.g. 1-5 or 1,4,7-9 (default 1); innermost
  --quick | --full      run sizes (default --full, as reproduce)
  --out DIR             output folder (default out/sweep-NOTEBOOK)
  --workers N           runs at a time on this machine (default: the number of cores)
  --cell-timeout S      seconds a cell may run (default ${DEFAULT_CELL_TIMEOUT_SECONDS})
  --dry-run             write the plan (and with --slurm the job scripts), print the tasks, run nothing
  --slurm               submit an sbatch --array job (task i = run i) and a dependent merge job
                        instead of running here; needs the checkout and OUT on a file system the
                        nodes share. Slurm options:
    --partition P         sbatch --partition
    --time T              sbatch --time for each task and the merge (e.g. 30:00)
    --cpus-per-task N     cores per run (default 2: every notebook runs its ensembles on all cores)
    --max-running N       at most N array tasks at once (--array=…%N)
    --sbatch-arg ARG      any further sbatch argument (repeatable), e.g. --sbatch-arg=--account=X
    --node PATH           Node.js on the nodes (default: ${process.execPath})
    --wait                block until the merge job ends and exit with its status
  -h, --help            this text

ensembles (--ensemble NAME): one long ensemble split into shards of consecutive runs (default
500 per shard), each shard on all cores, here or as one array task each; run i always draws from
the stream (seed, i), so the merged OUT/spectra.json and OUT/ensemble.json are the same bytes for
any split and any number of workers. Ensembles:
${Object.values(ENSEMBLES)
  .map((e) => `  ${e.name}: ${e.describe}`)
  .join("\n")}

stored ensembles (--stored FILE.request.json): an ensemble a notebook reads from FILE (notebook
17's study, lib/parallel/stored-ensemble). When FILE is missing or stale the notebook writes the
request next to it (the task, its inputs and the key); this splits the inputs into shards of
--shard-runs (default 4), runs them here or as array tasks, and merges them into FILE under the
key the notebook looks for: the same bytes as the notebook computing it in one piece. Shards and
the plan go to OUT (default: FILE's folder, FILE-sweep/).

exit status: 0 every run completed and the merge was written (verdicts may fail at some grid
points: the table shows them); 1 a run failed (the merge names it and writes nothing); 2 bad input
(unknown notebook or parameter, empty grid, malformed seed list, sbatch not found).`;

interface Options {
  ensemble?: { name: string; runs: number; shardRuns: number; seed: number };
  stored?: { request: string; shardRuns: number };
  notebookFile: string;
  grid: string[];
  params: string[];
  seeds: number[];
  mode: "quick" | "full";
  outDir: string;
  workers: number;
  cellTimeoutSeconds: number;
  dryRun: boolean;
  slurm?: SlurmOptions;
}

/** The command line of `npm run sweep` (tools/cli/args: the rules every CLI shares). */
export const SWEEP_CLI = {
  name: "sweep",
  usage: USAGE,
  positionals: { name: "notebook", max: 1 },
  options: {
    ensemble: text("NAME"),
    stored: text("FILE"),
    runs: integer("N"),
    "shard-runs": integer("M"),
    seed: integer("S", { min: 0 }),
    grid: texts("NAME=V1,V2,…"),
    param: texts("NAME=VALUE"),
    seeds: custom("LIST", (t) => parseSeedList(t)),
    quick: flag(),
    full: flag(),
    out: text("DIR"),
    workers: integer("N"),
    "cell-timeout": integer("S"),
    "dry-run": flag(),
    slurm: flag(),
    partition: text("P"),
    time: text("T"),
    "cpus-per-task": integer("N"),
    "max-running": integer("N"),
    "sbatch-arg": texts("ARG", { rawValue: true }),
    node: text("PATH"),
    wait: flag(),
    // the entry points of the Slurm job scripts (tools/sweep/slurm)
    "run-task": integer("I", { min: 0, hidden: true }),
    merge: { ...flag(), hidden: true },
    plan: text("FILE", { hidden: true }),
  },
} satisfies CliSpec<Record<string, OptionSpec<unknown>>>;

type SweepArgs = ParsedArgs<typeof SWEEP_CLI.options>;

function sweepOptions(a: SweepArgs): Options {
  const grid = a.grid ?? [],
    params = a.param ?? [],
    extra = a["sbatch-arg"] ?? [];
  const seeds = a.seeds ?? [1],
    mode: "quick" | "full" = lastOf(a, "quick", "full") ?? "full";
  const outDir = a.out !== undefined ? path.resolve(a.out) : undefined;
  const workers = a.workers ?? os.cpus().length,
    cellTimeoutSeconds = a["cell-timeout"] ?? DEFAULT_CELL_TIMEOUT_SECONDS,
    dryRun = a["dry-run"] === true;
  const { ensemble, runs, seed, partition, time, wait } = a;
  const stored = a.stored !== undefined ? path.resolve(a.stored) : undefined;
  const maxRunning = a["max-running"],
    shardRuns = a["shard-runs"];
  const nb = a.positionals[0];
  if (!a.slurm && (partition || time || maxRunning || extra.length || wait))
    throw new UsageError("--partition, --time, --max-running, --sbatch-arg and --wait need --slurm");
  const slurmOptions = a.slurm
    ? {
        partition,
        time,
        cpusPerTask: a["cpus-per-task"] ?? 2,
        maxRunning,
        extra,
        wait: wait === true,
        node: a.node ?? process.execPath,
      }
    : undefined;
  if (stored !== undefined) {
    if (
      ensemble !== undefined ||
      nb !== undefined ||
      grid.length ||
      params.length ||
      runs !== undefined ||
      seed !== undefined
    )
      throw new UsageError(
        "--stored takes no notebook, --ensemble, --grid, --param, --runs or --seed: the request holds the inputs",
      );
    if (!fs.existsSync(stored))
      throw new UsageError(
        `no request file ${stored} (a notebook writes it when its stored ensemble is missing or stale)`,
      );
    const out = outDir ?? stored.replace(/\.request\.json$/, "") + "-sweep";
    return {
      stored: { request: stored, shardRuns: shardRuns ?? 4 },
      notebookFile: "",
      grid,
      params,
      seeds,
      mode,
      outDir: out,
      workers,
      cellTimeoutSeconds,
      dryRun,
      slurm: slurmOptions,
    };
  }
  if (ensemble !== undefined) {
    if (nb !== undefined || grid.length || params.length)
      throw new UsageError("--ensemble takes no notebook, --grid or --param");
    if (!ENSEMBLES[ensemble])
      throw new UsageError(`unknown ensemble "${ensemble}"; available: ${Object.keys(ENSEMBLES).join(", ")}`);
    if (runs === undefined) throw new UsageError("--ensemble needs --runs N");
    const out = outDir ?? path.join(PROJECT_ROOT, "out", `ensemble-${ensemble}`);
    return {
      ensemble: { name: ensemble, runs, shardRuns: shardRuns ?? 500, seed: seed ?? 1 },
      notebookFile: "",
      grid,
      params,
      seeds,
      mode,
      outDir: out,
      workers,
      cellTimeoutSeconds,
      dryRun,
      slurm: slurmOptions,
    };
  }
  if (runs !== undefined || seed !== undefined)
    throw new UsageError("--runs and --seed belong to --ensemble; a notebook sweep takes --seeds");
  if (shardRuns !== undefined) throw new UsageError("--shard-runs belongs to --ensemble and --stored");
  if (nb === undefined)
    throw new UsageError("name the notebook to sweep, e.g. npm run sweep -- 06 --grid eta=0.2,0.3 (see --help)");
  if (grid.length === 0 && seeds.length < 2)
    throw new UsageError("nothing to sweep: give --grid NAME=V1,V2,… or several --seeds");
  const [notebookFile] = selectNotebooks(path.join(PROJECT_ROOT, "notebooks"), [nb]);
  const out = outDir ?? path.join(PROJECT_ROOT, "out", `sweep-${path.basename(notebookFile, ".ipynb").slice(0, 2)}`);
  return {
    notebookFile,
    grid,
    params,
    seeds,
    mode,
    outDir: out,
    workers,
    cellTimeoutSeconds,
    dryRun,
    slurm: slurmOptions,
  };
}

function writePlan(plan: SweepPlan | EnsemblePlan | StoredPlan, outDir: string): string {
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, "plan.json");
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(plan, null, 2) + "\n");
  fs.renameSync(tmp, file);
  return file;
}

/** Merge and print; 0 when complete, 1 when a run is missing or failed. */
function mergeAndReport(plan: SweepPlan, outDir: string): number {
  const r = mergeShards(plan, outDir);
  if (!r.ok) {
    console.error(
      `sweep: not merged: ${r.problems.length} of ${plan.tasks.length} run(s) not done:\n  ${r.problems.join("\n  ")}`,
    );
    console.error(
      `sweep: rerun the same command to run those again (done shards are kept)${fs.existsSync(path.join(outDir, "merged.json")) ? "; the earlier merged.json is left as it was" : ""}`,
    );
    return 1;
  }
  console.log(mergedTable(r.merged));
  const failed = r.merged.tasks.reduce((n, t) => n + t.verdicts.filter((v) => !v.pass).length, 0);
  console.log(
    `\nsweep: merged ${r.merged.tasks.length} run(s) into ${r.file} and ${path.join(outDir, "sweep.html")}; ${failed} failed verdict(s) across the grid`,
  );
  return 0;
}

async function runLocal(plan: SweepPlan, outDir: string, pending: number[], o: Options): Promise<number> {
  const workers = Math.max(1, Math.min(o.workers, pending.length));
  const t0 = Date.now();
  let done = 0;
  if (pending.length)
    console.error(
      `sweep: ${pending.length} run(s) of ${plan.name} here, ${workers} at a time; logs in ${path.join(outDir, "shards", "<task>", "run.log")}`,
    );
  await runInSlots(pending, workers, async (index) => {
    const task = plan.tasks[index];
    const s = await runShard(plan, task, outDir, { cellTimeoutSeconds: o.cellTimeoutSeconds });
    done++;
    console.error(
      `sweep: [${done}/${pending.length}] task ${task.index} (${pointLabel(plan, task)}, seed ${task.seed}): ${s.state === "done" ? (s.report.notebooks[0].verdicts.every((v) => v.pass) ? "done, all verdicts pass" : "done, some verdicts fail") : `${s.state}: ${s.why}`} (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
    );
  });
  return mergeAndReport(plan, outDir);
}

/** Merge an ensemble and print its statistics; 0 when complete, 1 when a shard is missing. */
function mergeEnsembleAndReport(plan: EnsemblePlan, outDir: string): number {
  const r = mergeEnsemble(plan, outDir);
  if (!r.ok) {
    console.error(
      `sweep: not merged: ${r.problems.length} of ${plan.tasks.length} shard(s) not done:\n  ${r.problems.join("\n  ")}`,
    );
    return 1;
  }
  console.log(JSON.stringify(r.summary, null, 2));
  console.log(
    `\nsweep: merged ${plan.runs} run(s) of ${plan.name} into ${r.file} and ${path.join(outDir, "spectra.json")}`,
  );
  return 0;
}

async function runEnsemble(o: Options & { ensemble: NonNullable<Options["ensemble"]> }): Promise<number> {
  const plan = makeEnsemblePlan(o.ensemble.name, o.ensemble.seed, o.ensemble.runs, o.ensemble.shardRuns);
  const planFile = writePlan(plan, o.outDir);
  const pending = plan.tasks.filter((t) => !ensembleShard(o.outDir, t)).map((t) => t.index);
  console.error(
    `sweep: ensemble ${plan.name}, ${plan.runs} run(s) in ${plan.tasks.length} shard(s) of ≤ ${plan.shardRuns}, seed ${plan.seed}; ${plan.tasks.length - pending.length} already done; plan ${planFile}`,
  );
  return runShards(
    o,
    plan,
    pending,
    (i) => runEnsembleShard(plan, plan.tasks[i], o.outDir),
    () => mergeEnsembleAndReport(plan, o.outDir),
  );
}

/**
 * What an ensemble and a stored ensemble do with their shards once planned: list them (--dry-run),
 * submit the pending ones to Slurm (--slurm), or run them here one after the other and merge.
 */
async function runShards(
  o: Options,
  plan: { name: string; tasks: { index: number; first: number; count: number }[] },
  pending: number[],
  runOne: (i: number) => Promise<unknown>,
  merge: () => number,
): Promise<number> {
  if (o.dryRun) {
    for (const t of plan.tasks)
      console.log(
        `shard ${t.index}: runs ${t.first}…${t.first + t.count - 1} ${pending.includes(t.index) ? "to run" : "done"}`,
      );
    return 0;
  }
  if (o.slurm) return submitSweep(plan, o.outDir, pending, o.slurm, (s) => console.error(s));
  const t0 = Date.now();
  for (const [k, i] of pending.entries()) {
    await runOne(i);
    console.error(`sweep: shard ${i} done (${k + 1}/${pending.length}, ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  return merge();
}

/** Merge a stored ensemble into the file its notebook reads; 0 when complete, 1 when a shard is missing. */
function mergeStoredAndReport(plan: StoredPlan, outDir: string): number {
  const r = mergeStored(plan, outDir);
  if (!r.ok) {
    console.error(
      `sweep: not merged: ${r.problems.length} of ${plan.tasks.length} shard(s) not done:\n  ${r.problems.join("\n  ")}`,
    );
    return 1;
  }
  console.log(`sweep: merged ${plan.runs} run(s) of ${plan.name} into ${r.file}; the notebook reads it from there`);
  return 0;
}

async function runStored(o: Options & { stored: NonNullable<Options["stored"]> }): Promise<number> {
  const plan = makeStoredPlan(o.stored.request, o.stored.shardRuns);
  const planFile = writePlan(plan, o.outDir);
  const pending = plan.tasks.filter((t) => !storedShard(o.outDir, t)).map((t) => t.index);
  console.error(
    `sweep: stored ensemble ${plan.name}, ${plan.runs} run(s) in ${plan.tasks.length} shard(s) of ≤ ${plan.shardRuns}; ${plan.tasks.length - pending.length} already done; plan ${planFile}`,
  );
  return runShards(
    o,
    plan,
    pending,
    (i) => runStoredShard(plan, plan.tasks[i], o.outDir),
    () => mergeStoredAndReport(plan, o.outDir),
  );
}

async function main(a: SweepArgs): Promise<number> {
  // internal entry points of the Slurm job scripts
  if (a["run-task"] !== undefined || a.merge) {
    const planFile = a.plan;
    if (!planFile) throw new UsageError("--run-task and --merge need --plan FILE");
    const outDir = path.dirname(path.resolve(planFile));
    const raw = readPlan(planFile) as SweepPlan | EnsemblePlan | StoredPlan;
    if ("kind" in raw && raw.kind === "stored") {
      if (a.merge) return mergeStoredAndReport(raw, outDir);
      const t = raw.tasks[a["run-task"]!];
      if (!t) throw new UsageError(`--run-task needs a shard index in 0…${raw.tasks.length - 1}`);
      await runStoredShard(raw, t, outDir);
      console.log(`shard ${t.index} (runs ${t.first}…${t.first + t.count - 1}) done`);
      return 0;
    }
    if ("kind" in raw && raw.kind === "ensemble") {
      if (a.merge) return mergeEnsembleAndReport(raw, outDir);
      const t = raw.tasks[a["run-task"]!];
      if (!t) throw new UsageError(`--run-task needs a shard index in 0…${raw.tasks.length - 1}`);
      await runEnsembleShard(raw, t, outDir);
      console.log(`shard ${t.index} (runs ${t.first}…${t.first + t.count - 1}) done`);
      return 0;
    }
    const plan = raw as SweepPlan;
    if (a.merge) return mergeAndReport(plan, outDir);
    const i = a["run-task"]!;
    const task = plan.tasks[i];
    if (!task) throw new UsageError(`--run-task needs a task index in 0…${plan.tasks.length - 1}, got "${i}"`);
    const s = await runShard(plan, task, outDir);
    console.log(
      `task ${i} (${pointLabel(plan, task)}, seed ${task.seed}): ${s.state}${s.state === "done" ? "" : `: ${s.why}`}`,
    );
    return s.state === "done" ? 0 : 1;
  }
  const o = sweepOptions(a);
  if (o.stored) return runStored({ ...o, stored: o.stored });
  if (o.ensemble) return runEnsemble({ ...o, ensemble: o.ensemble });
  const plan = makePlan({ notebookFile: o.notebookFile, mode: o.mode, grid: o.grid, params: o.params, seeds: o.seeds });
  const planFile = writePlan(plan, o.outDir);
  const pending = plan.tasks.filter((t) => shardState(o.outDir, t).state !== "done").map((t) => t.index);
  console.error(
    `sweep: ${plan.name}, ${plan.tasks.length} run(s) (${plan.grid.map((a) => `${a.values.length} ${a.name}`).join(" × ") || "defaults"} × ${plan.seeds.length} seed(s)), ${o.mode} sizes; ${plan.tasks.length - pending.length} already done; plan ${planFile}`,
  );
  if (o.dryRun) {
    for (const t of plan.tasks)
      console.log(
        `task ${t.index}: ${pointLabel(plan, t)} seed ${t.seed} ${pending.includes(t.index) ? "to run" : "done"}`,
      );
    if (o.slurm) {
      const files = writeSlurmScripts(plan, o.outDir, o.slurm);
      console.log(
        `\n${files.array}:\n${fs.readFileSync(files.array, "utf8")}\n${files.merge}:\n${fs.readFileSync(files.merge, "utf8")}`,
      );
    }
    return 0;
  }
  if (o.slurm) return submitSweep(plan, o.outDir, pending, o.slurm, (s) => console.error(s));
  return runLocal(plan, o.outDir, pending, o);
}

if (require.main === module) void runCli(SWEEP_CLI, main);
