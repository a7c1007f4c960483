import { logGamma } from "./student-t";
import { requireNonNegative, requirePositive } from "../util/validate";

/**
 * Regularised upper incomplete gamma Q(a, x) = Γ(a, x)/Γ(a): series for x < a + 1, continued
 * fraction (modified Lentz) otherwise; and the χ² survival function P(χ²_k ≥ x) = Q(k/2, x/2).
 */
export function gammaQ(a: number, x: number): number {
  requirePositive("a", a);
  requireNonNegative("x", x);
  if (x === 0) return 1;
  const lnFront = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let sum = 1 / a, term = sum;
    for (let n = 1; n < 10000; n++) {
      term *= x / (a + n);
      sum += term;
      if (term < sum * 1e-16) break;
    }
    return Math.max(0, 1 - Math.exp(lnFront) * sum);
  }
  const tiny = 1e-300;
  let b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b; if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c; if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(lnFront) * h;
}

/** P(χ²_k ≥ x). */
export function chiSquareSurvival(x: number, k: number): number {
  requirePositive("k (degrees of freedom)", k);
  return gammaQ(k / 2, x / 2);
}
