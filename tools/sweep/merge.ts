// The merge of a sweep: every shard's verdicts, in task order, into OUT/merged.json and the page
// OUT/sweep.html. It keeps no timings and no paths, so the same plan merges to the same bytes
// whether its shards ran on this machine or as Slurm array tasks. It refuses to merge while a
// shard is missing, failed or stale: it names those tasks, writes nothing, and so never replaces
// an earlier complete merge with a partial one.
import * as fs from "fs";
import * as path from "path";
import { pointLabel } from "./plan";
import type { SweepPlan, SweepTask } from "./plan";
import { shardState } from "./shard";
import type { ShardVerdict } from "./shard";
import { sweepPage } from "./page";

/** One task's line of the merged result. */
export interface MergedTask {
  index: number;
  parameters: SweepTask["parameters"];
  seed: number;
  key: string;
  pass: boolean;
  verdicts: ShardVerdict[];
}

/** OUT/merged.json. */
export interface MergedSweep {
  notebook: string;
  mode: "quick" | "full";
  grid: SweepPlan["grid"];
  fixed: SweepPlan["fixed"];
  seeds: number[];
  tasks: MergedTask[];
}

/** What `mergeShards` found. */
export type MergeResult = { ok: true; merged: MergedSweep; file: string } | { ok: false; problems: string[] };

function atomicWrite(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/**
 * Merge the shards of `plan` under `outDir`. On success writes merged.json and sweep.html
 * (each atomically) and returns the merged result; otherwise returns the problems, one line per
 * task that is not done, and writes nothing.
 */
export function mergeShards(plan: SweepPlan, outDir: string): MergeResult {
  const problems: string[] = [];
  const tasks: MergedTask[] = [];
  for (const task of plan.tasks) {
    const s = shardState(outDir, task);
    if (s.state !== "done") {
      problems.push(`task ${task.index} (${pointLabel(plan, task)}, seed ${task.seed}): ${s.state}: ${s.why}`);
      continue;
    }
    const nb = s.report.notebooks[0];
    const verdicts = nb.verdicts.map((v) => ({
      id: v.id,
      claim: v.claim,
      prediction: v.prediction,
      measurement: v.measurement,
      pass: v.pass,
      ...(typeof v.measured === "number" ? { measured: v.measured } : {}),
    }));
    tasks.push({
      index: task.index,
      parameters: task.parameters,
      seed: task.seed,
      key: task.key,
      pass: verdicts.length > 0 && verdicts.every((v) => v.pass),
      verdicts,
    });
  }
  if (problems.length) return { ok: false, problems };
  const merged: MergedSweep = {
    notebook: plan.name,
    mode: plan.mode,
    grid: plan.grid,
    fixed: plan.fixed,
    seeds: plan.seeds,
    tasks,
  };
  const file = path.join(outDir, "merged.json");
  atomicWrite(file, JSON.stringify(merged, null, 2) + "\n");
  atomicWrite(path.join(outDir, "sweep.html"), sweepPage(merged));
  return { ok: true, merged, file };
}

/** The merged table as text: one row per task, one column per verdict (measurement, ✗ when failed). */
export function mergedTable(m: MergedSweep): string {
  const ids = [...new Set(m.tasks.flatMap((t) => t.verdicts.map((v) => v.id)))];
  const head = [...m.grid.map((a) => a.name), "seed", ...ids];
  const rows = m.tasks.map((t) => [
    ...m.grid.map((a) => JSON.stringify(t.parameters[a.name])),
    String(t.seed),
    ...ids.map((id) => {
      const v = t.verdicts.find((x) => x.id === id);
      if (!v) return "—";
      const text = v.measurement.length > 28 ? v.measurement.slice(0, 27) + "…" : v.measurement;
      return `${text}${v.pass ? "" : " ✗"}`;
    }),
  ]);
  const w = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (r: string[]) =>
    r
      .map((c, j) => c.padEnd(w[j]))
      .join("  ")
      .trimEnd();
  return [line(head), line(w.map((n) => "-".repeat(n))), ...rows.map(line)].join("\n");
}
