import gammaln from "@stdlib/math-base-special-gammaln";
import betainc from "@stdlib/math-base-special-betainc";
import tCdf from "@stdlib/stats-base-dists-t-cdf";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { requireInRange, requirePositive } from "../util/validate";

/**
 * Student's t distribution and the functions under it, from stdlib-js (@stdlib/math-base-special-
 * gammaln, -betainc, @stdlib/stats-base-dists-t-cdf, -t-quantile), wrapped so that out-of-domain
 * arguments raise our named RangeError instead of returning NaN. Used for confidence intervals of
 * means over few replicates, where the normal quantile would understate the uncertainty of an
 * estimated standard error. Against the hand-written Lanczos, Lentz and bisection code they replace
 * (issue 19), stdlib is the more accurate wherever the two differ beyond 1e-13 (checked against
 * mpmath), except I_x(a, b) below ~1e-290, where stdlib loses digits (irrelevant to any p-value).
 */

/** log Γ(x) for x > 0. Errors: a RangeError for x ≤ 0. */
export function logGamma(x: number): number {
  requirePositive("x", x);
  return gammaln(x);
}

/** The regularised incomplete beta function I_x(a, b). Errors: a RangeError for x ∉ [0, 1], a ≤ 0 or b ≤ 0. */
export function regularizedBeta(x: number, a: number, b: number): number {
  requireInRange("x", x, 0, 1);
  requirePositive("a", a);
  requirePositive("b", b);
  return betainc(x, a, b);
}

/** P(T ≤ t) for Student's t with ν degrees of freedom. Errors: a RangeError for ν ≤ 0. */
export function studentTCdf(t: number, nu: number): number {
  requirePositive("nu (degrees of freedom)", nu);
  return tCdf(t, nu);
}

/** The quantile t_p(ν): P(T ≤ t) = p. Errors: a RangeError for p ∉ [0, 1] or ν ≤ 0. */
export function studentTQuantile(p: number, nu: number): number {
  requireInRange("p", p, 0, 1, "a probability in (0, 1)");
  requirePositive("nu (degrees of freedom)", nu);
  return tQuantile(p, nu);
}
