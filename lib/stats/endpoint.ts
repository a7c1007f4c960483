import { VERDICT_LEVEL } from "../params";
import { requireInRange, requireInteger } from "../util/validate";

/** What `endpointInterval` returns. */
export interface EndpointInterval {
  /** Largest observation X_(n) (the lower end). */
  max: number;
  /** Upper end X_(n) + q S̄. */
  upper: number;
  /** Mean of the top k spacings. */
  meanSpacing: number;
  k: number;
  confidence: number;
  /** The assumed exponent γ of the density near the edge. */
  shape: number;
}

/**
 * A one-sided confidence interval for the upper endpoint θ of a distribution from a sample, from
 * its top k + 1 order statistics, when near θ the density behaves like c·(θ − x)^γ (γ = `shape`;
 * γ = 0: positive and roughly constant). Then U = (θ − X)^{γ+1} is locally uniform, the top
 * order statistics map to the first k + 1 points Γ_1 < … < Γ_{k+1} of a unit Poisson process, and
 * with the range R = X_(n) − X_(n−k) the ratio (θ − X_(n))/R = B^a/(1 − B^a), a = 1/(γ + 1),
 * B = Γ_1/Γ_{k+1} ~ Beta(1, k), so
 *   P(θ − X_(n) > q R) = (1 − (q/(1 + q))^{γ+1})^k,
 * and θ ∈ [X_(n), X_(n) + q_α R] with confidence 1 − α for t = (1 − α^{1/k})^{1/(γ+1)}, q_α = t/(1 − t).
 * For γ = 0 this is the exponential-spacings interval (Robson & Whitlock 1964 for k = 1). A larger
 * γ gives a longer interval, so an interval computed with γ covers every density that vanishes at
 * most like (θ − x)^γ; a density that vanishes faster than assumed makes it too short.
 */
export function endpointInterval(
  sample: ArrayLike<number>,
  o: { k?: number; confidence?: number; shape?: number } = {},
): EndpointInterval {
  const k = o.k ?? 8;
  requireInteger("k (number of top spacings)", k, 1);
  requireInteger("sample size (needs k + 1 points)", sample.length, k + 1);
  const confidence = o.confidence ?? 1 - VERDICT_LEVEL;
  requireInRange("confidence", confidence, 0, 1, "in (0, 1)");
  const shape = o.shape ?? 0;
  if (!(shape >= 0 && Number.isFinite(shape)))
    throw new RangeError(`shape (the density's exponent γ at the edge) must be a finite number ≥ 0, got ${shape}`);
  const x = Array.from(sample).sort((a, b) => a - b);
  for (const v of x) if (!Number.isFinite(v)) throw new RangeError(`sample values must be finite, got ${v}`);
  const n = x.length;
  const range = x[n - 1] - x[n - 1 - k];
  const t = Math.pow(1 - Math.pow(1 - confidence, 1 / k), 1 / (shape + 1));
  const q = t / (1 - t);
  return { max: x[n - 1], upper: x[n - 1] + q * range, meanSpacing: range / k, k, confidence, shape };
}

/**
 * The interval [X_(n) − slack, X_(n) + q S̄] in which the upper endpoint lies at the interval's
 * confidence, where `slack` (≥ 0, default 0) is how far beyond the true edge an observation can
 * still fall (e.g. a finite-time classification). Errors: a RangeError for a negative slack.
 */
export function edgeBracket(interval: EndpointInterval, slack = 0): { lo: number; hi: number } {
  if (!(slack >= 0) || !Number.isFinite(slack)) throw new RangeError(`slack must be a finite number ≥ 0, got ${slack}`);
  return { lo: interval.max - slack, hi: interval.upper };
}

/** Whether `value` lies in `edgeBracket(interval, slack)`: a plain test, for counting settings (not a verdict). */
export function edgeContains(interval: EndpointInterval, value: number, slack = 0): boolean {
  const { lo, hi } = edgeBracket(interval, slack);
  return value >= lo && value <= hi;
}
