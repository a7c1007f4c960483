/**
 * The two "sharpness dimension" formulas of the review of *Generalization at the Edge of Stability*
 * (GATES), written out so that they can be set beside Kaplan–Yorke (`kaplanYorkeDimension`) on the
 * same spectra. Both take k = the number of positive exponents, where Kaplan–Yorke takes the
 * largest j with λ₁ + … + λ_j ≥ 0. Exponents are sorted largest first here.
 */

function sortedWithPositives(given: ArrayLike<number>): { l: number[]; k: number } {
  const l = Array.from(given).sort((a, b) => b - a);
  for (let i = 0; i < l.length; i++) if (!Number.isFinite(l[i])) throw new RangeError(`exponent ${i + 1} is ${l[i]}`);
  return { l, k: l.filter((x) => x > 0).length };
}

/**
 * The review's §3.3 definition, SD = k + |λ_{k+1}| / |λ_k|. It is not a dimension in general: on
 * the Hénon map (λ = 0.419, −1.623) it gives 4.87 in a plane. 0 when no exponent is positive (the
 * review leaves that case open); `exponents.length` when all are.
 */
export function reviewSharpnessDimension(exponents: ArrayLike<number>): number {
  const { l, k } = sortedWithPositives(exponents);
  if (k === 0) return 0;
  if (k === l.length) return l.length;
  return k + Math.abs(l[k]) / Math.abs(l[k - 1]);
}

/**
 * The review's §8.2 formula and code, k + (λ₁ + … + λ_k) / |λ_{k+1}| with k the number of positive
 * exponents: Kaplan–Yorke's expression with the wrong k. It equals Kaplan–Yorke when λ₁ + … + λ_{k+1}
 * < 0, and exceeds it (possibly beyond k + 1) when the partial sums stay positive past the positive
 * exponents, e.g. λ = (1, −0.2, −0.3, −2): 6 against Kaplan–Yorke's 3.25.
 */
export function reviewKaplanYorke(exponents: ArrayLike<number>): number {
  const { l, k } = sortedWithPositives(exponents);
  if (k === 0) return 0;
  if (k === l.length) return l.length;
  let s = 0;
  for (let i = 0; i < k; i++) s += l[i];
  return k + s / Math.abs(l[k]);
}
