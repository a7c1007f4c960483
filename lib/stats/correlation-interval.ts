import type { Stream } from "../random/stream";
import { zForConfidence } from "./normal";
import { requireInRange, requireInteger } from "../util/validate";
import { pairedBootstrap } from "./paired-bootstrap";

/** What `pearsonCorrelation` returns (the same shape as rankCorrelation's, with r for ρ). */
export interface PearsonCorrelation {
  r: number;
  /** The percentile bootstrap interval at `confidence`. */
  low: number;
  high: number;
  confidence: number;
  resamples: number;
}

/** Pearson's r of paired values, means first, sums in index order. */
function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0,
    my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] / n;
    my += y[i] / n;
  }
  let sxy = 0,
    sxx = 0,
    syy = 0;
  for (let i = 0; i < n; i++) {
    const a = x[i] - mx,
      b = y[i] - my;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/**
 * Pearson's correlation coefficient of paired values with a percentile bootstrap interval, as
 * `rankCorrelation` gives Spearman's: `resamples` = 4000 resamples of the n pairs with replacement
 * from `stream`, the (1 ± confidence)/2 quantiles of their r (default confidence 0.95); a resample
 * in which x or y is constant is redrawn. Errors: RangeErrors for unequal lengths, fewer than 4
 * pairs, non-finite values, a constant variable, or a bad confidence.
 */
export function pearsonCorrelation(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  o: { stream: Stream; resamples?: number; confidence?: number },
): PearsonCorrelation {
  const b = pairedBootstrap("pearsonCorrelation", x, y, pearson, o);
  return { r: b.estimate, low: b.low, high: b.high, confidence: b.confidence, resamples: b.resamples };
}

/**
 * The confidence interval of a correlation coefficient from Fisher's transformation: z = atanh(r)
 * is close to normal with standard error 1/√(n − 3) for Pearson's r (Fisher 1921), and
 * √(1.06/(n − 3)) for Spearman's ρ (Fieller, Hartley & Pearson 1957, for ρ ≤ 0.8), so the interval is
 * tanh(z ± q·se) with q the normal quantile at `confidence`. Unlike a percentile bootstrap, it holds
 * at the small levels of a family-wise budget (1e-4), where a bootstrap would need ~10⁶ resamples.
 * Errors: RangeErrors for |r| > 1, n < 4, or a confidence outside (0, 1).
 */
export function fisherInterval(
  r: number,
  n: number,
  confidence: number,
  o: { method?: "pearson" | "spearman" } = {},
): { low: number; high: number; standardError: number } {
  requireInRange("r", r, -1, 1);
  requireInteger("n (pairs)", n, 4);
  requireInRange("confidence", confidence, 0, 1, "in (0, 1)");
  const se = Math.sqrt((o.method === "spearman" ? 1.06 : 1) / (n - 3));
  const z = Math.atanh(Math.max(-1 + 1e-15, Math.min(1 - 1e-15, r))),
    q = zForConfidence(confidence);
  return { low: Math.tanh(z - q * se), high: Math.tanh(z + q * se), standardError: se };
}
