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
