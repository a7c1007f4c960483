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

/** What `reviewSharpnessDimensionResolved` returns. */
export interface ResolvedSharpnessDimension {
  /**
   * "determined": the count k of positive exponents is resolved (every exponent lies beyond its
   * error bar from 0) and λ_{k+1} was computed; "lower-bound": every computed exponent is positive
   * beyond its error, so k is at least their number and the formula needs exponents not computed;
   * "undetermined": some exponent lies within its error bar of 0, so k itself is not known.
   */
  status: "determined" | "lower-bound" | "undetermined";
  /** SD = k + |λ_{k+1}|/|λ_k| when determined (0 when no exponent is positive), else null. */
  value: number | null;
  /** Its standard error by the delta method from λ_k and λ_{k+1} (0 when k = 0), else null. */
  se: number | null;
  /** The count of positive exponents lies in [low, high]: low are positive beyond t·se, high are not negative beyond it. */
  positives: { low: number; high: number };
  /** A lower bound on SD: the value when determined, else positives.low (SD ≥ k ≥ low). */
  lower: number;
}

/**
 * The review's §3.3 SD = k + |λ_{k+1}|/|λ_k| with the uncertainty of k carried through: exponent i
 * counts as positive when λ_i > t·se_i, as negative when λ_i < −t·se_i, and as unresolved otherwise
 * (t: the caller's multiplier, e.g. a Student quantile at the run's level). SD has a value only when
 * no exponent is unresolved and the first non-positive one was computed; with an unresolved
 * exponent the count k, and with it SD, is not determined (SD jumps by about 1 + |λ_{k+1}|/|λ_k|
 * with each exponent that changes sign, and |λ_{k+1}|/|λ_k| diverges as λ_k → 0⁺). The exponents
 * are sorted largest first with their errors.
 *
 * Errors: a RangeError for lengths that differ, no exponent, a non-finite exponent, a negative or
 * non-finite standard error, or t < 0.
 */
export function reviewSharpnessDimensionResolved(
  exponents: ArrayLike<number>,
  standardErrors: ArrayLike<number>,
  t: number,
): ResolvedSharpnessDimension {
  const n = exponents.length;
  if (standardErrors.length !== n)
    throw new RangeError(
      `reviewSharpnessDimensionResolved: ${n} exponents but ${standardErrors.length} standard errors`,
    );
  if (n === 0) throw new RangeError("reviewSharpnessDimensionResolved: no exponents");
  if (!(t >= 0) || !Number.isFinite(t)) throw new RangeError(`t must be a finite number >= 0, got ${t}`);
  const pairs = Array.from({ length: n }, (_, i) => {
    if (!Number.isFinite(exponents[i])) throw new RangeError(`exponent ${i + 1} is ${exponents[i]}`);
    if (!(standardErrors[i] >= 0) || !Number.isFinite(standardErrors[i]))
      throw new RangeError(`standard error ${i + 1} must be a finite number >= 0, got ${standardErrors[i]}`);
    return [exponents[i], standardErrors[i]] as const;
  }).sort((a, b) => b[0] - a[0]);
  const low = pairs.filter(([l, s]) => l > t * s).length,
    high = pairs.filter(([l, s]) => l >= -t * s).length;
  const positives = { low, high };
  if (low === n) return { status: "lower-bound", value: null, se: null, positives, lower: n };
  if (low !== high) return { status: "undetermined", value: null, se: null, positives, lower: low };
  if (low === 0) return { status: "determined", value: 0, se: 0, positives, lower: 0 };
  const [lk, sk] = pairs[low - 1],
    [lk1, sk1] = pairs[low];
  const r = Math.abs(lk1) / Math.abs(lk);
  const se = r * Math.hypot(sk / lk, sk1 / lk1);
  return { status: "determined", value: low + r, se, positives, lower: low + r };
}
