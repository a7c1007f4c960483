// A sweep on Slurm: one array job whose task i runs the plan's task i into its shard, and a merge
// job that starts after every array task has ended (afterany: it also runs when some failed, so
// that it can name them). Both run `node --single-threaded-gc --import tsx tools/sweep/cli.ts` (the flag: tools/kernel/spec.ts) in the project checkout,
// which the cluster's nodes must share with the submitting machine (the shards and the merged
// result are written under OUT, also shared).
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../kernel/spec";
import { UsageError } from "../runner/notebook";
import type { SweepPlan } from "./plan";

/** Options passed through to sbatch. */
export interface SlurmOptions {
  partition?: string;
  /** Time limit of each array task and of the merge, as sbatch --time takes it ("30:00", "1-00:00:00"). */
  time?: string;
  cpusPerTask: number;
  /** The most array tasks running at once (sbatch --array=…%N). */
  maxRunning?: number;
  /** Further sbatch arguments, verbatim (repeatable --sbatch-arg). */
  extra: string[];
  /** Block until the merge job has ended (sbatch --wait on the merge), and exit with its status. */
  wait: boolean;
  /** The Node.js executable on the nodes (default: the one running this command). */
  node: string;
}

function header(name: string, o: SlurmOptions, log: string): string[] {
  const lines = [
    "#!/bin/bash",
    `#SBATCH --job-name=${name}`,
    `#SBATCH --output=${log}`,
    `#SBATCH --cpus-per-task=${o.cpusPerTask}`,
  ];
  if (o.partition) lines.push(`#SBATCH --partition=${o.partition}`);
  if (o.time) lines.push(`#SBATCH --time=${o.time}`);
  return lines;
}

function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Write OUT/slurm/array.sh and OUT/slurm/merge.sh for the plan; returns their paths. */
export function writeSlurmScripts(
  plan: Pick<SweepPlan, "name">,
  outDir: string,
  o: SlurmOptions,
): { array: string; merge: string } {
  const dir = path.join(outDir, "slurm");
  fs.mkdirSync(dir, { recursive: true });
  const planFile = path.join(outDir, "plan.json");
  const cli = path.join(PROJECT_ROOT, "tools", "sweep", "cli.ts");
  const run = (args: string) =>
    `cd ${quote(PROJECT_ROOT)}\nexec ${quote(o.node)} --single-threaded-gc --import tsx ${quote(cli)} ${args}`;
  const array = [
    ...header(`rds-${plan.name.slice(0, 2)}-tasks`, o, path.join(dir, "task-%a.log")),
    "set -euo pipefail",
    "# one task of the sweep's plan: its index is the array index",
    run(`--run-task "$SLURM_ARRAY_TASK_ID" --plan ${quote(planFile)}`),
    "",
  ].join("\n");
  const merge = [
    ...header(`rds-${plan.name.slice(0, 2)}-merge`, o, path.join(dir, "merge.log")),
    "set -euo pipefail",
    "# merge every shard into merged.json and sweep.html; exits non-zero naming the tasks that failed",
    run(`--merge --plan ${quote(planFile)}`),
    "",
  ].join("\n");
  const files = { array: path.join(dir, "array.sh"), merge: path.join(dir, "merge.sh") };
  fs.writeFileSync(files.array, array, { mode: 0o755 });
  fs.writeFileSync(files.merge, merge, { mode: 0o755 });
  return files;
}

/** sbatch on PATH, or a UsageError saying how to get it. */
export function findSbatch(): string {
  const r = spawnSync("sbatch", ["--version"], { encoding: "utf8" });
  if (r.error || r.status !== 0)
    throw new UsageError(
      "sbatch not found: --slurm needs Slurm's client commands on PATH (Debian: apt-get install slurm-client; or run on a cluster's login node), or drop --slurm to run on this machine",
    );
  return "sbatch";
}

function sbatch(args: string[]): string {
  const r = spawnSync("sbatch", args, { encoding: "utf8" });
  if (r.error) throw new Error(`sbatch failed to start: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`sbatch ${args.join(" ")} exited ${r.status}: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

/**
 * Submit the array job over the pending task indices and the dependent merge job. With `wait`,
 * blocks until the merge has ended and returns its exit status; otherwise returns 0 after printing
 * the job ids. With no pending task only the merge is submitted.
 */
export function submitSweep(
  plan: Pick<SweepPlan, "name">,
  outDir: string,
  pending: number[],
  o: SlurmOptions,
  say: (s: string) => void,
): number {
  findSbatch();
  const files = writeSlurmScripts(plan, outDir, o);
  const extra = o.extra;
  let dependency: string[] = [];
  if (pending.length) {
    const spec = pending.join(",") + (o.maxRunning ? `%${o.maxRunning}` : "");
    const id = sbatch(["--parsable", `--array=${spec}`, ...extra, files.array]).split(";")[0];
    say(
      `sweep: submitted array job ${id} (${pending.length} task(s): ${spec}); logs ${path.join(outDir, "slurm", "task-<i>.log")}`,
    );
    dependency = [`--dependency=afterany:${id}`];
  } else say("sweep: every shard is already done; submitting the merge only");
  const mergeArgs = ["--parsable", ...dependency, ...extra, ...(o.wait ? ["--wait"] : []), files.merge];
  if (!o.wait) {
    const id = sbatch(mergeArgs).split(";")[0];
    say(
      `sweep: submitted merge job ${id}; it writes ${path.join(outDir, "merged.json")} and sweep.html, log ${path.join(outDir, "slurm", "merge.log")}`,
    );
    return 0;
  }
  say("sweep: submitted the merge job; waiting for it (sbatch --wait)");
  const r = spawnSync("sbatch", mergeArgs, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (r.error) throw new Error(`sbatch failed to start: ${r.error.message}`);
  const log = path.join(outDir, "slurm", "merge.log");
  if (fs.existsSync(log)) say(fs.readFileSync(log, "utf8").trimEnd());
  return r.status ?? 1;
}
