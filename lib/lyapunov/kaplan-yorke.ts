/**
 * The Kaplan–Yorke (Lyapunov) dimension of an attractor from its ordered Lyapunov exponents
 * λ₁ ≥ λ₂ ≥ … (Kaplan & Yorke 1979; Frederickson, Kaplan, Yorke & Yorke 1983):
 *   D_KY = j + (λ₁ + … + λ_j) / |λ_{j+1}|,
 * with j the largest index for which λ₁ + … + λ_j ≥ 0. It is 0 when λ₁ < 0 (a stable random fixed
 * point, as in synchronisation). When every partial sum of the given exponents is ≥ 0 the formula
 * needs an exponent that was not computed; the result is then `exponents.length`, a lower bound
 * (exact if the given exponents are the whole spectrum).
 *
 * The exponents are sorted largest first here (estimates of equal exponents come out of the QR
 * method in either order). Errors: a RangeError if an exponent is not finite.
 */
export function kaplanYorkeDimension(given: ArrayLike<number>): number {
  const k = given.length;
  for (let i = 0; i < k; i++) {
    if (!Number.isFinite(given[i])) throw new RangeError(`kaplanYorkeDimension: exponent ${i + 1} is ${given[i]}`);
  }
  const exponents = Array.from(given).sort((a, b) => b - a);
  let sum = 0;
  for (let j = 0; j < k; j++) {
    if (sum + exponents[j] < 0) return j + sum / Math.abs(exponents[j]);
    sum += exponents[j];
  }
  return k;
}
