import { zForConfidence } from "./normal";
import { logGamma } from "./student-t";
import { requireInteger } from "../util/validate";
import type { ProportionEstimate } from "./estimate";

/**
 * Wilson score interval for a binomial proportion k/n at the given two-sided confidence. Why
 * hand-written: stdlib-js has the exact (Clopper–Pearson) interval in its binomial test but no
 * Wilson interval, whose better coverage at moderate n is why the notebooks use it.
 */
export function wilsonInterval(k: number, n: number, confidence = 0.95): { lo: number; hi: number; p: number } {
  requireInteger("n", n, 1);
  requireInteger("k", k, 0, n);
  const z = zForConfidence(confidence);
  const p = k / n;
  const den = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / den;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / den;
  // at k = 0 (k = n) the bound is 0 (1) exactly; centre − half would leave a rounding residue
  return { lo: k === 0 ? 0 : Math.max(0, centre - half), hi: k === n ? 1 : Math.min(1, centre + half), p };
}

/**
 * A proportion k/n as a `ProportionEstimate`: its value k/n, the plug-in standard error √(p(1 − p)/n) (for error
 * bars and for combining with other estimates) and the Wilson interval at the given two-sided
 * confidence (default 0.95; for statements about the proportion itself, since the plug-in error is
 * 0 at k = 0 or n).
 * Errors: a RangeError unless n ≥ 1 and 0 ≤ k ≤ n are integers.
 */
export function proportionEstimate(k: number, n: number, confidence = 0.95): ProportionEstimate {
  const w = wilsonInterval(k, n, confidence);
  return { value: w.p, se: Math.sqrt((w.p * (1 - w.p)) / n), lo: w.lo, hi: w.hi };
}

/**
 * The binomial probability P(K = k) for K ~ Binomial(n, p), from log-gamma (accurate for any n).
 * Errors: a RangeError unless n is a non-negative integer, 0 ≤ p ≤ 1; 0 for k outside 0…n or not an integer.
 */
export function binomialPmf(k: number, n: number, p: number): number {
  requireInteger("n", n, 0);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must lie in [0, 1], got ${p}`);
  if (!Number.isInteger(k) || k < 0 || k > n) return 0;
  if (p === 0) return k === 0 ? 1 : 0;
  if (p === 1) return k === n ? 1 : 0;
  return Math.exp(logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p));
}
