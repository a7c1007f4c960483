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
  /** Block until the merge job has ended (`waitForJob` on the merge), and exit with its status. */
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
  const id = sbatch(["--parsable", ...dependency, ...extra, files.merge]).split(";")[0];
  if (!o.wait) {
    say(
      `sweep: submitted merge job ${id}; it writes ${path.join(outDir, "merged.json")} and sweep.html, log ${path.join(outDir, "slurm", "merge.log")}`,
    );
    return 0;
  }
  say(`sweep: submitted the merge job ${id}; waiting for it`);
  const status = waitForJob(id, (state) => say(`sweep: merge job ${id}: ${state}`));
  const log = path.join(outDir, "slurm", "merge.log");
  if (fs.existsSync(log)) say(fs.readFileSync(log, "utf8").trimEnd());
  return status;
}

/** Job states after which a job never runs again (Slurm's JOB_STATE_BASE values, as scontrol prints them). */
const ENDED = new Set([
  "COMPLETED",
  "FAILED",
  "CANCELLED",
  "TIMEOUT",
  "NODE_FAIL",
  "PREEMPTED",
  "BOOT_FAIL",
  "DEADLINE",
  "OUT_OF_MEMORY",
  "REVOKED",
]);

/** A job's state and exit code: what `scontrol show job -o` prints as JobState=… and ExitCode=code:signal. */
export interface JobState {
  state: string;
  exitCode: number;
  signal: number;
  /** Why a job waits or ended (Reason=…), when scontrol prints one. */
  reason?: string;
}

/** The JobState and ExitCode of one line of `scontrol show job -o`. Errors: when either is missing. */
export function parseJobState(line: string): JobState {
  const state = /\bJobState=(\S+)/.exec(line)?.[1],
    code = /\bExitCode=(\d+):(\d+)/.exec(line);
  if (!state || !code) throw new Error(`no JobState or ExitCode in ${JSON.stringify(line.slice(0, 200))}`);
  const reason = /\bReason=(\S+)/.exec(line)?.[1];
  return { state, exitCode: Number(code[1]), signal: Number(code[2]), ...(reason ? { reason } : {}) };
}

/**
 * A job's status once it has ended, as a shell reports a process's: its exit code, 128 + the
 * signal when a signal ended it, 1 for any other end without a code (cancelled before it ran, timed
 * out, node failure); undefined while it may still run.
 */
export function endedStatus(j: JobState): number | undefined {
  if (!ENDED.has(j.state)) return undefined;
  return j.exitCode !== 0 ? j.exitCode : j.signal !== 0 ? 128 + j.signal : j.state === "COMPLETED" ? 0 : 1;
}

/** Job `id`'s state from `scontrol show job -o ID`, or undefined when slurmctld no longer knows the job. */
export function jobState(id: string): JobState | undefined {
  const r = spawnSync("scontrol", ["show", "job", "-o", id], { encoding: "utf8" });
  if (r.error) throw new Error(`scontrol failed to start: ${r.error.message}`);
  if (r.status !== 0) {
    if (/invalid job id/i.test(r.stderr)) return undefined;
    throw new Error(`scontrol show job ${id} exited ${r.status}: ${r.stderr.trim()}`);
  }
  return parseJobState(r.stdout);
}

/**
 * Block until job `id` has ended and return its status (`endedStatus`). It asks slurmctld
 * (`scontrol show job`) at intervals of a tenth of the time waited so far, between 1 s and 15 s, so
 * a short job is seen to end within about a second and a long one costs few requests. (`sbatch
 * --wait` sleeps 2, 8, then 32 s between its queries on a cluster that keeps finished jobs for the
 * default 300 s: a merge that ended after 12 s was seen after 42.) `onState` hears each new state
 * with its reason (e.g. "PENDING (Dependency)", "RUNNING"), so that a held job is not a silent
 * wait. A failed query (slurmctld restarting or busy) is retried at the same intervals, up to 10 in
 * a row. Errors: 10 failed queries in a row; slurmctld no longer knowing the job before it was seen
 * to end (its MinJobAge shorter than the interval).
 */
export function waitForJob(id: string, onState?: (state: string) => void): number {
  const t0 = Date.now(),
    pause = new Int32Array(new SharedArrayBuffer(4));
  let failures = 0,
    last = "";
  for (;;) {
    let j: JobState | undefined;
    try {
      j = jobState(id);
      failures = 0;
    } catch (e) {
      if (++failures >= 10) throw e;
    }
    if (failures === 0) {
      if (j === undefined)
        throw new Error(
          `job ${id}: slurmctld no longer knows it (MinJobAge too short?); read its log for how it ended`,
        );
      const status = endedStatus(j);
      if (status !== undefined) return status;
      const now = j.state + (j.reason && j.reason !== "None" ? ` (${j.reason})` : "");
      if (now !== last) onState?.((last = now));
    }
    Atomics.wait(pause, 0, 0, Math.min(15_000, Math.max(1000, (Date.now() - t0) / 10)));
  }
}
