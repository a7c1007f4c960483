import { fitLine } from "./linear-fit";

/** What `exponentialRate` returns. */
export interface ExponentialRate {
  /** κ in E(t) ≈ A e^{−κt}, with its standard error from the weighted fit. */
  rate: number;
  error: number;
  /** Points used (those with mean > minSignal · se). */
  points: number;
}

/**
 * Decay rate of a positive quantity measured with errors at several times: a weighted straight-line
 * fit of log E(t) against t, each point weighted by the error of its log, se/mean (delta method).
 * Points whose mean is not at least `minSignal` (default 5) standard errors above zero are left out:
 * their log is not approximately Gaussian. Errors: a RangeError (from fitLine) if fewer than three
 * points remain.
 */
export function exponentialRate(points: { t: number; mean: number; se: number }[], minSignal = 5): ExponentialRate {
  const use = points.filter((p) => p.mean > minSignal * p.se);
  const f = fitLine(
    use.map((p) => p.t),
    use.map((p) => Math.log(p.mean)),
    use.map((p) => p.se / p.mean),
  );
  return { rate: -f.slope, error: f.slopeError, points: use.length };
}
