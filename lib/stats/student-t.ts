import { requireInRange, requirePositive } from "../util/validate";
import { normalQuantile } from "./normal";

/**
 * Student's t distribution: CDF through the regularised incomplete beta function, quantile by
 * bisection. Used for confidence intervals of means over few replicates, where the normal
 * quantile would understate the uncertainty of an estimated standard error.
 */

/** log Γ(x) for x > 0, Lanczos approximation (g = 7, 9 terms; relative error ~1e-15). */
export function logGamma(x: number): number {
  requirePositive("x", x);
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let s = c[0];
  for (let i = 1; i < 9; i++) s += c[i] / (z + i);
  const t = z + 7.5;
  return 0.9189385332046727 + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/** Continued fraction of I_x(a, b) (modified Lentz), valid for x < (a+1)/(a+b+2). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
  let h = d;
  for (let m = 1; m < 1000; m++) {
    const m2 = 2 * m;
    // even step
    let num = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + num * d; d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = 1 + num / c; if (Math.abs(c) < tiny) c = tiny;
    h *= d * c;
    // odd step
    num = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + num * d; d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = 1 + num / c; if (Math.abs(c) < tiny) c = tiny;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b). */
export function regularizedBeta(x: number, a: number, b: number): number {
  requireInRange("x", x, 0, 1);
  requirePositive("a", a);
  requirePositive("b", b);
  if (x === 0 || x === 1) return x;
  const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lnFront) * betaContinuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(lnFront) * betaContinuedFraction(1 - x, b, a)) / b;
}

/** P(T ≤ t) for Student's t with ν degrees of freedom. */
export function studentTCdf(t: number, nu: number): number {
  requirePositive("nu (degrees of freedom)", nu);
  if (Number.isNaN(t)) return NaN;
  if (!Number.isFinite(t)) return t > 0 ? 1 : 0;
  const tail = 0.5 * regularizedBeta(nu / (nu + t * t), nu / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/** The quantile t_p(ν): P(T ≤ t) = p. */
export function studentTQuantile(p: number, nu: number): number {
  requireInRange("p", p, 0, 1, "a probability in (0, 1)");
  requirePositive("nu (degrees of freedom)", nu);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p < 0.5) return -studentTQuantile(1 - p, nu);
  // Bracket: the t quantile exceeds the normal one; double the upper end until it brackets.
  let lo = 0;
  let hi = Math.max(1, 2 * normalQuantile(p));
  while (studentTCdf(hi, nu) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-14 * hi; i++) {
    const mid = 0.5 * (lo + hi);
    if (studentTCdf(mid, nu) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}
