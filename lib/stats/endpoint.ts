import { VERDICT_LEVEL } from "../params";
import { requireInRange, requireInteger } from "../util/validate";

/**
 * A one-sided confidence interval for the upper endpoint θ of a distribution from a sample, when
 * the density is positive and roughly constant over the top k spacings (so the top order
 * statistics look like a Poisson process ending at θ): then the gap G = θ − X_(n) and the spacings
 * S_j = X_(n−j+1) − X_(n−j), j = 1..k, are i.i.d. exponential, and G/S̄ has the law
 *   P(G > q S̄) = (1 + q/k)^{−k}
 * (G ~ Exp(θ'), kS̄ ~ Gamma(k, θ') independent). So θ ∈ [X_(n), X_(n) + q_α S̄] with confidence 1 − α
 * for q_α = k(α^{−1/k} − 1). For k = 1 this is Robson & Whitlock's (1964) interval.
 * A density that vanishes at θ makes the interval too short (the test then fails, conservatively
 * for a claim that the edge is at θ).
 */
export interface EndpointInterval {
  /** Largest observation X_(n) (the lower end). */
  max: number;
  /** Upper end X_(n) + q S̄. */
  upper: number;
  /** Mean of the top k spacings. */
  meanSpacing: number;
  k: number;
  confidence: number;
}

export function endpointInterval(sample: ArrayLike<number>, o: { k?: number; confidence?: number } = {}): EndpointInterval {
  const k = o.k ?? 8;
  requireInteger("k (number of top spacings)", k, 1);
  requireInteger("sample size (needs k + 1 points)", sample.length, k + 1);
  const confidence = o.confidence ?? 1 - VERDICT_LEVEL;
  requireInRange("confidence", confidence, 0, 1, "in (0, 1)");
  const x = Array.from(sample).sort((a, b) => a - b);
  for (const v of x) if (!Number.isFinite(v)) throw new RangeError(`sample values must be finite, got ${v}`);
  const n = x.length;
  const meanSpacing = (x[n - 1] - x[n - 1 - k]) / k;
  const q = k * (Math.pow(1 - confidence, -1 / k) - 1);
  return { max: x[n - 1], upper: x[n - 1] + q * meanSpacing, meanSpacing, k, confidence };
}
