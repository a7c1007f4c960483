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

/**
 * Family-wise error of a whole run. A run of every notebook makes many stochastic checks; if each
 * used 99.9 %, a run in which every claim is true would still fail somewhere about once in ten.
 * Instead the run as a whole may fail by chance at most FAMILY_ERROR of the time: each stochastic
 * verdict gets the Bonferroni share VERDICT_LEVEL = FAMILY_ERROR / STOCHASTIC_VERDICT_BUDGET, and the
 * runner checks that a run makes no more stochastic verdicts than the budget (raise the budget,
 * and so lower every level, when notebooks add verdicts). Bonferroni needs no independence between
 * verdicts, which matters here: several verdicts of a notebook share their data.
 */
export const FAMILY_ERROR = 0.01;
/** The most stochastic verdicts one run of every notebook may make (the runner enforces it). */
export const STOCHASTIC_VERDICT_BUDGET = 120;
/** The probability with which one stochastic verdict may fail when its claim is true: 0.01/120 ≈ 8.3e-5. */
export const VERDICT_LEVEL = FAMILY_ERROR / STOCHASTIC_VERDICT_BUDGET;

/**
 * The falsified setting a notebook runs in, checked against the settings it declares.
 *
 * Every notebook's parameters cell declares `falsifySettings` (the named settings in which its
 * claims are false: the mechanism switched off, or a parameter where the source's statement does
 * not hold) and `falsify = ""`. `npm run reproduce -- --falsify` runs the notebook once per setting,
 * injecting `falsify` (papermill style), and requires every `claim` and `derived` verdict to fail in
 * at least one of them. The notebook's pipeline runs on the falsified input; nothing edits its
 * predictions.
 *
 * Returns null for "" (the sources' setting) and the name when it is one of `settings`. Throws a
 * RangeError naming the known settings otherwise.
 */
export function falsifySetting(falsify: string, settings: readonly string[]): string | null {
  if (falsify === "") return null;
  if (!settings.includes(falsify)) {
    throw new RangeError(
      `falsify must be "" or one of this notebook's settings (${settings.length ? settings.map((s) => `"${s}"`).join(", ") : "it declares none"}), got "${falsify}"`,
    );
  }
  return falsify;
}
