import type { Stream } from "../random/stream";
import type { Estimate } from "../stats/estimate";
import { meanWithError } from "../stats/summary";
import { requireInteger } from "../util/validate";
import { ablateMatrix } from "./gpt-ablation";
import type { AblationMatrix, AblationRule } from "./gpt-ablation";
import type { TokenWindows } from "./gpt";

/**
 * The ablation experiment of notebook 12 (the RMT talk's "how relevant is this part of the
 * spectrum? remove?"): several removals, each applied to its own copy of θ, and the validation
 * loss's change measured on the same window groups as the intact model, so every group gives a
 * paired difference.
 */

/** A matrix's split into the Marchenko–Pastur bulk (eigenvalues ≤ cut) and the tail. */
export interface BulkSplit {
  cut: number;
  bulk: number;
  tail: number;
}

/** One removal: the matrices it touches and, per matrix, its rule given the matrix's split. */
export interface AblationCondition {
  name: string;
  matrices: AblationMatrix[];
  rule: (m: AblationMatrix, split: BulkSplit) => AblationRule;
}

/** One removal's result: the share of the touched Gram dimensions removed, and the loss change with its standard error over window groups. */
export interface AblationRow {
  name: string;
  removedShare: number;
  delta: number;
  se: number;
}

/**
 * Apply every condition to a copy of θ and measure the loss change: for each window group g,
 * Δ_g = loss(θ_ablated, g) − loss(θ, g); `delta` is the mean of Δ_g and `se` its standard error
 * over groups (`meanWithError`: the groups are independent draws of validation windows, the model
 * fixed). `splits` gives each touched matrix's split by name; `stream(k)` is the stream of the
 * k-th condition's random directions (drawn only by "random" rules). Returns the intact model's
 * loss per group and one row per condition, in order. Errors: RangeError for fewer than 2 groups
 * or a touched matrix with no split.
 */
export function ablationStudy(
  theta: ArrayLike<number>,
  o: {
    conditions: AblationCondition[];
    splits: Map<string, BulkSplit>;
    groups: TokenWindows[];
    loss: (theta: Float64Array, windows: TokenWindows) => number;
    stream: (k: number) => Stream;
  },
): { base: number[]; rows: AblationRow[] } {
  requireInteger("number of window groups", o.groups.length, 2);
  const theta0 = Float64Array.from(theta);
  const base = o.groups.map((w) => o.loss(theta0, w));
  const rows = o.conditions.map((c, k) => {
    const t = Float64Array.from(theta0),
      rs = o.stream(k);
    let removed = 0,
      total = 0;
    for (const m of c.matrices) {
      const split = o.splits.get(m.name);
      if (!split) throw new RangeError(`ablationStudy: condition "${c.name}" touches ${m.name}, which has no split`);
      removed += ablateMatrix(t, m, c.rule(m, split), rs);
      total += m.n;
    }
    const d = meanWithError(o.groups.map((w, g) => o.loss(t, w) - base[g]));
    return { name: c.name, removedShare: total > 0 ? removed / total : 0, delta: d.value, se: d.se };
  });
  return { base, rows };
}

/**
 * A random removal's loss change, averaged over its independent draws of directions (rows of one
 * study): value = the mean of the draws' Δ; se = √(s_draws² + s̄_windows²), the draws' standard
 * error (`meanWithError` over their Δ: which directions were drawn) and the mean of their
 * window-group errors (which windows were drawn) in quadrature.
 *
 * @throws RangeError for fewer than two draws
 */
export function randomRemovalDelta(draws: readonly AblationRow[]): Estimate {
  const spread = meanWithError(draws.map((q) => q.delta));
  const windows = draws.map((q) => q.se).reduce((a, b) => a + b, 0) / draws.length;
  return { value: spread.value, se: Math.hypot(spread.se, windows) };
}

/**
 * One removal against as many random directions, in one study: Δ_own − Δ_random with the errors in
 * quadrature (`randomRemovalDelta` for the random draws). Positive when the removal costs more than
 * random directions do. `own` and `random` name conditions of the study.
 *
 * @throws RangeError when a named condition is not among the rows, or for fewer than two random draws
 */
export function removalVersusRandom(rows: readonly AblationRow[], own: string, random: readonly string[]): Estimate {
  const row = (name: string) => {
    const r = rows.find((q) => q.name === name);
    if (!r) throw new RangeError(`removalVersusRandom: no condition "${name}" in the study`);
    return r;
  };
  const o = row(own),
    rand = randomRemovalDelta(random.map(row));
  return { value: o.delta - rand.value, se: Math.hypot(o.se, rand.se) };
}
