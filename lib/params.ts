/**
 * Run parameters shared by every notebook: the size mode and the seed. The runner passes them to
 * the kernel as RDS_MODE and RDS_SEED; a reader running a notebook by hand gets the defaults
 * (full sizes, seed 1) or sets the variables before starting Jupyter.
 */
export type Mode = "quick" | "full";

export interface RunParams {
  /** "quick": CI sizes, same claims, wider error bars. "full": publication sizes. */
  mode: Mode;
  seed: number;
}

export function runParams(env: Record<string, string | undefined> = process.env): RunParams {
  const mode = env.RDS_MODE ?? "full";
  if (mode !== "quick" && mode !== "full") {
    throw new RangeError(`RDS_MODE must be "quick" or "full", got "${mode}"`);
  }
  const seed = env.RDS_SEED === undefined || env.RDS_SEED === "" ? 1 : Number(env.RDS_SEED);
  if (!Number.isInteger(seed) || seed < 0) {
    throw new RangeError(`RDS_SEED must be a non-negative integer, got "${env.RDS_SEED}"`);
  }
  return { mode, seed };
}

/** Pick the quick or the full value of a size: `bySize(p, { quick: 200, full: 5000 })`. */
export function bySize<T>(p: RunParams, sizes: { quick: T; full: T }): T {
  return p.mode === "quick" ? sizes.quick : sizes.full;
}
