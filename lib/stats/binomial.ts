import { zForConfidence } from "./normal";
import { requireInteger } from "../util/validate";

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
  return { lo: Math.max(0, centre - half), hi: Math.min(1, centre + half), p };
}
