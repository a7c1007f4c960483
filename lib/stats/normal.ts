import { requireInRange } from "../util/validate";

/**
 * The error function and the standard normal distribution to full double precision.
 *
 * Why not simple-statistics: its errorFunction is a 4-term approximation with ~1e-7 absolute error,
 * too coarse for tail probabilities and for KS tests with millions of points. Here:
 * - |x| < 2.5: erf by the series erf(x) = (2/√π) e^{−x²} Σ_n 2ⁿ x^{2n+1} / (1·3·…·(2n+1)),
 *   whose terms are all positive (no cancellation);
 * - |x| ≥ 2.5: erfc by its continued fraction (modified Lentz), which converges fast there.
 */
const TWO_OVER_SQRT_PI = 1.1283791670955126;

function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/** erfc(x) for x ≥ 2.5 via erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))). */
function erfcContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = d === 0 ? tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (f * 1.7724538509055159);
}

/** The error function erf(x) = 2Φ(x√2) − 1 (accuracy checked in test/stats). */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  const v = ax < 2.5 ? erfSeries(ax) : 1 - erfcContinuedFraction(ax);
  return x < 0 ? -v : v;
}

/** The complementary error function 1 − erf(x), accurate in the tail (no cancellation). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 2.5) return x > -2.5 ? 1 - (x >= 0 ? erfSeries(x) : -erfSeries(-x)) : 2 - erfcContinuedFraction(-x);
  return erfcContinuedFraction(x);
}

/** Φ(x) = P(N(0,1) ≤ x), accurate in both tails. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Standard normal density. */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / 2.5066282746310002;
}

/**
 * Φ⁻¹(p): Acklam's rational start (relative error 1e-9), polished by two Halley steps on the
 * accurate Φ above.
 */
export function normalQuantile(p: number): number {
  requireInRange("p", p, 0, 1, "a probability in (0, 1)");
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const plow = 0.02425;
  let x: number;
  if (p < plow) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - plow) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  for (let k = 0; k < 2; k++) {
    // Halley's method on Φ(x) − p; in the upper tail use the complement to keep precision.
    const e = p < 0.5 ? normalCdf(x) - p : (1 - p) - normalCdf(-x); // = Φ(x) − p either way
    const u = e / normalPdf(x);
    x = x - u / (1 + (x * u) / 2);
  }
  return x;
}

/** The two-sided z for a confidence level: P(|N(0,1)| ≤ z) = level. */
export function zForConfidence(level: number): number {
  requireInRange("level", level, 0, 1, "a confidence level in (0, 1)");
  if (level === 0 || level === 1) throw new RangeError(`level must be strictly between 0 and 1, got ${level}`);
  return normalQuantile(0.5 + level / 2);
}
