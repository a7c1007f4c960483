// A sweep's plan: the grid of one notebook's parameters times a list of seeds, expanded into tasks.
// Each task is one run of the notebook (a parameter point and a seed), keyed by the same hash the
// runner's cache uses (notebook, the lib/ files it loads, the lockfile, mode, seed, parameters), so
// a shard computed by other code is never taken for a current one. The plan is written once, as
// OUT/plan.json, and read by every shard (locally or as a Slurm array task) and by the merge.
import * as fs from "fs";
import * as path from "path";
import { cacheKey } from "../runner/cache";
import { readNotebook, UsageError } from "../runner/notebook";
import { notebookParameters, parseOverrides, typedValue } from "../runner/parameters";
import type { ParameterValue, ParameterSpec } from "../runner/parameters";
import { PROJECT_ROOT } from "../kernel/spec";

/** One axis of the grid: a parameter and the values it takes, in the order given. */
export interface GridAxis {
  name: string;
  values: ParameterValue[];
}

/** One run of the notebook: a point of the grid (with the fixed overrides) and a seed. */
export interface SweepTask {
  index: number;
  parameters: Record<string, ParameterValue>;
  seed: number;
  /** The runner's cache key of this run (hex sha-256). */
  key: string;
}

/** Everything a shard or the merge needs to know, written to OUT/plan.json. */
export interface SweepPlan {
  format: 1;
  /** Notebook file, relative to the project root. */
  notebook: string;
  name: string;
  mode: "quick" | "full";
  grid: GridAxis[];
  /** Overrides shared by every task (--param). */
  fixed: Record<string, ParameterValue>;
  seeds: number[];
  tasks: SweepTask[];
}

/** "eta=0.2,0.3,0.4" → the axis, typed from the parameter's default. Throws UsageError when malformed. */
export function parseGridAxis(text: string, specs: ParameterSpec[], notebook: string): GridAxis {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new UsageError(`--grid must be name=v1,v2,…, got "${text}"`);
  const name = text.slice(0, eq).trim();
  const spec = specs.find((s) => s.name === name);
  if (!spec)
    throw new UsageError(
      `${notebook} has no parameter "${name}" to sweep; its parameters: ${specs.map((s) => `${s.name} (${s.type})`).join(", ") || "none"}`,
    );
  if (spec.type.endsWith("[]"))
    throw new UsageError(
      `parameter ${name} is a list (${spec.type}); a grid runs over single values: sweep a scalar parameter`,
    );
  const raw = text.slice(eq + 1);
  if (raw.trim() === "") throw new UsageError(`--grid ${name}= is empty: give at least one value`);
  const values = raw.split(",").map((v) => typedValue(spec, v.trim()));
  if (new Set(values.map((v) => JSON.stringify(v))).size !== values.length)
    throw new UsageError(`--grid ${name} repeats a value`);
  return { name, values };
}

/** Options of `makePlan`. */
export interface PlanOptions {
  notebookFile: string;
  mode: "quick" | "full";
  grid: string[];
  params: string[];
  seeds: number[];
  root?: string;
}

/**
 * Expand the grid (first axis outermost) times the seeds (innermost) into tasks, each with its
 * cache key. Errors (UsageError): no grid axis and no seeds, an unknown or repeated parameter, a
 * parameter both fixed and swept, an empty axis.
 */
export function makePlan(o: PlanOptions): SweepPlan {
  const root = o.root ?? PROJECT_ROOT;
  const nbName = path.basename(o.notebookFile);
  const specs = notebookParameters(readNotebook(o.notebookFile), nbName);
  const grid = o.grid.map((g) => parseGridAxis(g, specs, nbName));
  const names = grid.map((a) => a.name);
  if (new Set(names).size !== names.length)
    throw new UsageError(`--grid names a parameter twice (${names.join(", ")})`);
  const fixed = parseOverrides(o.params, specs, nbName);
  for (const n of names)
    if (n in fixed) throw new UsageError(`parameter ${n} is both fixed (--param) and swept (--grid)`);
  if (o.seeds.length === 0) throw new UsageError("--seeds is empty");
  let points: Record<string, ParameterValue>[] = [{}];
  for (const axis of grid) points = points.flatMap((p) => axis.values.map((v) => ({ ...p, [axis.name]: v })));
  const tasks: SweepTask[] = [];
  for (const p of points)
    for (const seed of o.seeds) {
      const parameters = { ...fixed, ...p };
      const { key } = cacheKey({
        notebookFile: o.notebookFile,
        root,
        mode: o.mode,
        seed,
        params: { kernel: null, parameters },
      });
      tasks.push({ index: tasks.length, parameters, seed, key });
    }
  return {
    format: 1,
    notebook: path.relative(root, o.notebookFile),
    name: path.basename(o.notebookFile, ".ipynb"),
    mode: o.mode,
    grid,
    fixed,
    seeds: o.seeds,
    tasks,
  };
}

/** Read OUT/plan.json; a UsageError says what is wrong. */
export function readPlan(file: string): SweepPlan {
  let plan: SweepPlan;
  try {
    plan = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new UsageError(`cannot read the sweep plan ${file}: ${(e as Error).message}`);
  }
  if (plan.format !== 1 || !Array.isArray(plan.tasks)) throw new UsageError(`${file} is not a sweep plan (format 1)`);
  return plan;
}

/** A short label of a task's grid point, "eta=0.2 batch=1". */
export function pointLabel(plan: SweepPlan, task: SweepTask): string {
  return plan.grid.map((a) => `${a.name}=${JSON.stringify(task.parameters[a.name])}`).join(" ") || "(defaults)";
}
