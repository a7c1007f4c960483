/**
 * The Kaplan–Yorke (Lyapunov) dimension of an attractor from its ordered Lyapunov exponents
 * λ₁ ≥ λ₂ ≥ … (Kaplan & Yorke 1979; Frederickson, Kaplan, Yorke & Yorke 1983):
 *   D_KY = j + (λ₁ + … + λ_j) / |λ_{j+1}|,
 * with j the largest index for which λ₁ + … + λ_j ≥ 0. It is 0 when λ₁ < 0 (a stable random fixed
 * point, as in synchronisation). When every partial sum of the given exponents is ≥ 0 the formula
 * needs an exponent that was not computed; the result is then `exponents.length`, a lower bound
 * (exact if the given exponents are the whole spectrum).
 *
 * Errors: a RangeError if the exponents are not sorted non-increasingly or not finite.
 */
export function kaplanYorkeDimension(exponents: ArrayLike<number>): number {
  const k = exponents.length;
  for (let i = 0; i < k; i++) {
    if (!Number.isFinite(exponents[i])) throw new RangeError(`kaplanYorkeDimension: exponent ${i + 1} is ${exponents[i]}`);
    if (i > 0 && exponents[i] > exponents[i - 1]) {
      throw new RangeError(`kaplanYorkeDimension: exponents must be sorted largest first (λ${i} = ${exponents[i - 1]} < λ${i + 1} = ${exponents[i]})`);
    }
  }
  let sum = 0;
  for (let j = 0; j < k; j++) {
    if (sum + exponents[j] < 0) return j + sum / Math.abs(exponents[j]);
    sum += exponents[j];
  }
  return k;
}
