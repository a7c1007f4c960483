// One task of a sweep, run into its own shard folder OUT/shards/NNNN-KEY/: an ordinary reproduce run
// of the one notebook (report.json, the executed notebook, run.log), then shard.json, written last
// and atomically, which records the task, the exit status and the sha-256 of report.json. A shard
// is done when shard.json names the same task and key, the report's hash matches, and the notebook
// ran to its end; a rerun skips done shards and runs the others again.
import { spawn } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { DEFAULT_CELL_TIMEOUT_SECONDS } from "../runner/options";
import { PROJECT_ROOT } from "../kernel/spec";
import type { SweepPlan, SweepTask } from "./plan";

/** What shard.json holds. */
export interface ShardRecord {
  index: number;
  key: string;
  seed: number;
  parameters: SweepTask["parameters"];
  /** Exit status of the reproduce run (0 all verdicts pass, 1 a verdict or cell failed, 2 bad input). */
  exit: number;
  /** sha-256 of report.json, or null when the run wrote none. */
  reportSha256: string | null;
  /** True when the notebook ran to its end (its verdicts may still fail: that is a result). */
  complete: boolean;
}

export type ShardState =
  { state: "done"; record: ShardRecord; report: ShardReport } | { state: "missing" | "failed" | "stale"; why: string };

/** The part of a shard's report.json the merge reads. */
export interface ShardReport {
  notebooks: {
    name: string;
    failure: { codeCell: number; kind: string; message?: string } | null;
    verdicts: ShardVerdict[];
  }[];
}

/** A verdict as the merge keeps it (no timings, so local and cluster runs merge to the same bytes). */
export interface ShardVerdict {
  id: string;
  claim: string;
  prediction: string;
  measurement: string;
  pass: boolean;
  measured?: number;
}

/** The shard folder of a task: OUT/shards/0007-<first 12 hex of its key>. */
export function shardDir(outDir: string, task: SweepTask): string {
  return path.join(outDir, "shards", `${String(task.index).padStart(4, "0")}-${task.key.slice(0, 12)}`);
}

function sha256(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** Whether a task's shard is done (and its report), or why not. Never throws for a torn shard. */
export function shardState(outDir: string, task: SweepTask): ShardState {
  const dir = shardDir(outDir, task);
  const recFile = path.join(dir, "shard.json");
  if (!fs.existsSync(recFile)) return { state: "missing", why: "no shard.json (not run, or still running)" };
  let record: ShardRecord;
  try {
    record = JSON.parse(fs.readFileSync(recFile, "utf8"));
  } catch {
    return { state: "stale", why: "shard.json is not readable" };
  }
  if (record.index !== task.index || record.key !== task.key)
    return { state: "stale", why: "shard.json belongs to another task or code version" };
  const reportFile = path.join(dir, "report.json");
  if (!record.complete || record.reportSha256 === null)
    return {
      state: "failed",
      why: `exit ${record.exit}${record.reportSha256 === null ? ", no report" : ", the notebook stopped at a failing cell"}; see ${path.join(dir, "run.log")}`,
    };
  if (!fs.existsSync(reportFile) || sha256(reportFile) !== record.reportSha256)
    return { state: "stale", why: "report.json is missing or does not match its hash" };
  return { state: "done", record, report: JSON.parse(fs.readFileSync(reportFile, "utf8")) };
}

/** Options of `runShard`. */
export interface ShardOptions {
  /** Seconds a cell may run (default DEFAULT_CELL_TIMEOUT_SECONDS of tools/runner/options). */
  cellTimeoutSeconds?: number;
  kernelArgv?: string[];
}

/**
 * Run one task into its shard folder (a child `reproduce` run: no site, no figures, no cache) and
 * write shard.json. Resolves to the shard's state afterwards; a done shard is not run again.
 */
export async function runShard(
  plan: SweepPlan,
  task: SweepTask,
  outDir: string,
  o: ShardOptions = {},
): Promise<ShardState> {
  const before = shardState(outDir, task);
  if (before.state === "done") return before;
  const dir = shardDir(outDir, task);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const nbFile = path.join(PROJECT_ROOT, plan.notebook);
  const args = [
    path.join(PROJECT_ROOT, "tools", "runner", "reproduce.ts"),
    path.basename(nbFile),
    "--notebooks",
    path.dirname(nbFile),
    "--seed",
    String(task.seed),
    `--${plan.mode}`,
    "--out",
    dir,
    "--no-site",
    "--no-figures",
    "--no-cache",
    "--cell-timeout",
    String(o.cellTimeoutSeconds ?? DEFAULT_CELL_TIMEOUT_SECONDS),
  ];
  for (const [k, v] of Object.entries(task.parameters))
    args.push("--param", `${k}=${Array.isArray(v) ? v.join(",") : String(v)}`);
  if (o.kernelArgv) args.push("--kernel-cmd", o.kernelArgv.join(" "));
  const log = fs.openSync(path.join(dir, "run.log"), "w");
  const exit: number = await new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", ...args], {
      cwd: PROJECT_ROOT,
      stdio: ["ignore", log, log],
    });
    child.on("error", () => resolve(127));
    child.on("close", (code) => resolve(code ?? 1));
  });
  fs.closeSync(log);
  const reportFile = path.join(dir, "report.json");
  const hasReport = fs.existsSync(reportFile);
  let complete = false;
  if (hasReport) {
    const report = JSON.parse(fs.readFileSync(reportFile, "utf8")) as ShardReport;
    complete = (exit === 0 || exit === 1) && report.notebooks.length === 1 && report.notebooks[0].failure === null;
  }
  const record: ShardRecord = {
    index: task.index,
    key: task.key,
    seed: task.seed,
    parameters: task.parameters,
    exit,
    reportSha256: hasReport ? sha256(reportFile) : null,
    complete,
  };
  const tmp = path.join(dir, `shard.json.${process.pid}.tmp`);
  fs.writeFileSync(tmp, JSON.stringify(record, null, 2) + "\n");
  fs.renameSync(tmp, path.join(dir, "shard.json"));
  return shardState(outDir, task);
}
