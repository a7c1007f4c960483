/**
 * One estimated quantity with its standard error: the one shape every function of `lib/` returns
 * where it measures a single number with an uncertainty (a mean over replicates, a batch-means
 * average of one run, a Richardson extrapolation, a fitted dimension), so that one function's output
 * is another's input with no adapter (`meanWithError` → `richardson`, say).
 *
 * - `value`: the estimate itself, in the quantity's own unit.
 * - `se`: its standard error, in the same unit: the estimated standard deviation of `value` over
 *   repetitions of the whole measurement (s/√n over independent replicates, the spread of block
 *   averages for one correlated run, or propagated through a formula from the inputs' errors). It
 *   is a 1σ error, not an interval: a test at a level multiplies it by a quantile.
 *
 * Functions add fields where the reader needs them (`n` for `MeanEstimate`, `dof` for batch means,
 * the Wilson interval for `ProportionEstimate`); the two names keep their meaning everywhere.
 */
export interface Estimate {
  value: number;
  se: number;
}

/**
 * A proportion k/n as an `Estimate` (what `proportionEstimate` returns): `value` is k/n, `se` the
 * plug-in standard error √(p(1 − p)/n) (for error bars and for combining with other estimates), and
 * `lo`, `hi` the Wilson score interval at the requested two-sided confidence, which is the one to use
 * for statements about the proportion itself (the plug-in error is 0 at k = 0 or k = n).
 */
export interface ProportionEstimate extends Estimate {
  lo: number;
  hi: number;
}

/**
 * The average of independent estimates of one quantity (per-seed results, say): value = Σvᵢ/n and
 * se = √(Σ seᵢ²)/n, the error of a mean of independent terms. It uses each estimate's own error,
 * not their spread, so it serves one or two estimates too (the spread of two is a poor error);
 * where the estimates are exchangeable and many, `meanWithError` of the values measures the error
 * without trusting the inputs'. Sums run in index order. An undefined estimate (NaN value or se,
 * e.g. a ratio whose denominator did not grow) makes the average undefined: NaN propagates, for
 * the caller to test with Number.isFinite, as arithmetic would.
 *
 * @throws RangeError for no estimates or a negative se
 */
export function averageEstimates(estimates: readonly Estimate[]): Estimate {
  if (estimates.length === 0) throw new RangeError("averageEstimates: no estimates to average");
  estimates.forEach((e, i) => {
    if (e.se < 0) throw new RangeError(`averageEstimates: estimate ${i} has se ${e.se} (must be ≥ 0)`);
  });
  const n = estimates.length;
  return {
    value: estimates.map((e) => e.value).reduce((a, b) => a + b, 0) / n,
    se: Math.sqrt(estimates.reduce((a, e) => a + e.se ** 2, 0)) / n,
  };
}
