import { estimateAt, replicateMean } from "../stats/replicates";
import { richardson } from "../stats/richardson";
import { meanCovariance } from "../stats/correlated-residuals";
import { requireInteger } from "../util/validate";

/** What `extrapolatedSpectrum` returns: a vector of estimates (`value`, `se`) like `VectorEstimate`'s, with the exponents' covariance. */
export interface ExtrapolatedSpectrum {
  /**
   * The Richardson-extrapolated mean exponents λ₁ … λ_p over the runs, then (entry p) their sum;
   * the sum is extrapolated from the per-run sums, so its error keeps the exponents' correlation.
   */
  value: number[];
  /** Standard errors of `value`, entry by entry (independent coarse and fine runs). */
  se: number[];
  /**
   * Covariance (p×p, row-major) of the extrapolated exponents λ₁ … λ_p (the sum excluded):
   * (r²·C_fine + C_coarse)/(r − 1)² with C the covariance of each set's run mean and r = ratio^order;
   * one set of runs gives all p exponents, so their errors are correlated.
   */
  cov: Float64Array;
  /** The fine step's mean exponents and sum, before extrapolation. */
  fineMean: number[];
  /** Degrees of freedom of the standard errors: the number of runs per step size, minus one. */
  dof: number;
}

/**
 * A Lyapunov spectrum extrapolated to dt → 0 from independent runs at two step sizes: each run
 * gives p exponents (`coarse` at dt, `fine` at dt/ratio, equal numbers of runs), their mean and
 * sum are Richardson-extrapolated entry by entry (`richardson`, a scheme whose bias is ∝ dt^order),
 * and the exponents' covariance is propagated for a χ² that whitens them (`whitenResiduals`).
 *
 * Options: order (default 1) and ratio (default 2) of the extrapolation, as in `richardson`.
 * Errors: a RangeError for fewer than two runs per step, unequal run counts, runs of different
 * lengths, or a non-finite exponent.
 */
export function extrapolatedSpectrum(
  coarse: ArrayLike<number>[],
  fine: ArrayLike<number>[],
  order = 1,
  ratio = 2,
): ExtrapolatedSpectrum {
  requireInteger("runs at the coarse step", coarse.length, 2);
  if (fine.length !== coarse.length)
    throw new RangeError(`fine and coarse need the same number of runs, got ${fine.length} and ${coarse.length}`);
  const withSum = (runs: ArrayLike<number>[]) =>
    runs.map((e) => [...Array.from(e), Array.from(e).reduce((a, b) => a + b, 0)]);
  const ec = replicateMean(withSum(coarse)),
    ef = replicateMean(withSum(fine));
  if (ec.value.length !== ef.value.length)
    throw new RangeError(`coarse runs have ${ec.value.length - 1} exponents, fine runs ${ef.value.length - 1}`);
  const ex = Array.from(ef.value, (_, k) => richardson(estimateAt(ec, k), estimateAt(ef, k), order, ratio));
  const r = Math.pow(ratio, order),
    r2 = r * r,
    d2 = (r - 1) * (r - 1);
  const cf = meanCovariance(fine),
    cc = meanCovariance(coarse);
  const cov = cf.map((v, k) => (r2 * v + cc[k]) / d2);
  return {
    value: ex.map((e) => e.value),
    se: ex.map((e) => e.se),
    cov,
    fineMean: Array.from(ef.value),
    dof: coarse.length - 1,
  };
}
