import { fitLine } from "./linear-fit";
import type { Estimate } from "./estimate";

/** What `exponentialRate` returns: the fitted rate κ as an `Estimate` (`value`, `se`), and the points used. */
export interface ExponentialRate extends Estimate {
  /** Points used (those with value > minSignal · se). */
  points: number;
}

/**
 * Decay rate κ of a positive quantity E(t) ≈ A e^{−κt} measured with errors at several times (each
 * point an `Estimate` at its time t): a weighted straight-line fit of log E(t) against t, each point
 * weighted by the error of its log, se/value (delta method); κ's standard error is the fit's.
 * Points whose value is not at least `minSignal` (default 5) standard errors above zero are left
 * out: their log is not approximately Gaussian. Errors: a RangeError (from fitLine) if fewer than
 * three points remain.
 */
export function exponentialRate(points: (Estimate & { t: number })[], minSignal = 5): ExponentialRate {
  const use = points.filter((p) => p.value > minSignal * p.se);
  const f = fitLine(
    use.map((p) => p.t),
    use.map((p) => Math.log(p.value)),
    use.map((p) => p.se / p.value),
  );
  return { value: -f.slope, se: f.slopeError, points: use.length };
}
