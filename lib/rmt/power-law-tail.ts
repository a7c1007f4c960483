import { Stream } from "../random/stream";
import { nelderMead } from "../fit/nelder-mead";
import { erfc } from "../stats/normal";
import { requireInteger } from "../util/validate";

/**
 * Power-law tails by the method of Clauset, Shalizi & Newman, "Power-law distributions in
 * empirical data", SIAM Review 51, 661 (2009), arXiv:0706.1062 ("CSN"):
 * - the continuous power law p(x) = (α − 1)/x_min·(x/x_min)^{−α} for x ≥ x_min, α by maximum
 *   likelihood, x_min by the smallest Kolmogorov–Smirnov distance (§3);
 * - its goodness of fit: the fraction of semi-parametric bootstrap samples whose own best fit is
 *   further from them than the data's is from the data (§4.1);
 * - likelihood-ratio tests against the alternatives CSN prescribe (§5): the exponential, the
 *   lognormal (Vuong's normalised ratio, two-sided), and the power law with an exponential cut-off
 *   (nested: a χ²₁ ratio), all fitted by maximum likelihood to the same tail x ≥ x_min;
 * - WeightWatcher's α (Martin & Mahoney, JMLR 22, 2021): the same estimator as its documentation
 *   describes it (the `powerlaw` package's continuous fit: x_min by the smallest KS distance over
 *   every sample value, so tails down to two points are allowed).
 * All in float64; the fits are deterministic, the bootstrap draws from the given stream.
 */

/** The Clauset–Shalizi–Newman power-law fit of a tail. */
export interface PowerLawTail {
  /** Exponent of the density p(x) ∝ x^{−α} for x ≥ xMin (WeightWatcher's α). */
  alpha: number;
  /** Its standard error (α − 1)/√n_tail (CSN eq. 3.2). */
  se: number;
  xMin: number;
  /** Points in the tail. */
  tail: number;
  /** The KS distance of the tail to the fitted law. */
  ks: number;
  /** Goodness of fit: the fraction of semi-parametric bootstrap samples fitting worse (CSN §4.1); NaN when reps = 0. */
  pValue: number;
}

function fitAbove(sorted: Float64Array, i0: number): { alpha: number; ks: number } {
  const n = sorted.length - i0,
    xm = sorted[i0];
  let s = 0;
  for (let i = i0; i < sorted.length; i++) s += Math.log(sorted[i] / xm);
  const alpha = 1 + n / s;
  let d = 0;
  for (let i = i0; i < sorted.length; i++) {
    const model = 1 - Math.pow(sorted[i] / xm, 1 - alpha),
      k = i - i0;
    d = Math.max(d, Math.abs(model - k / n), Math.abs(model - (k + 1) / n));
  }
  return { alpha, ks: d };
}

/** The best x_min (smallest KS distance) over every sample value that leaves at least minTail points. */
function bestFit(s: Float64Array, minTail: number): { alpha: number; ks: number; i0: number } {
  let b = { alpha: NaN, ks: Infinity, i0: 0 };
  for (let i0 = 0; i0 + minTail <= s.length; i0++) {
    if (i0 > 0 && s[i0] === s[i0 - 1]) continue;
    if (s[s.length - 1] === s[i0]) break; // a tail of equal values has no MLE
    const f = fitAbove(s, i0);
    if (f.ks < b.ks) b = { ...f, i0 };
  }
  return b;
}

function positiveSorted(x: ArrayLike<number>, minTail: number, who: string): Float64Array {
  const sorted = Float64Array.from(x)
    .filter((v) => v > 0)
    .sort();
  if (sorted.length < minTail + 1)
    throw new RangeError(`${who}: ${sorted.length} positive values, at least ${minTail + 1} needed`);
  if (!(sorted[sorted.length - 1] > sorted[sorted.length - minTail]))
    throw new RangeError(`${who}: the largest ${minTail} values are equal: no tail to fit`);
  return sorted;
}

/**
 * Power-law tail by Clauset, Shalizi & Newman (SIAM Review 51, 2009): for each candidate xMin
 * (every sample value leaving at least `minTail` points, default 10), the maximum-likelihood
 * α = 1 + n/Σ log(x/xMin); xMin minimises the KS distance. The p-value comes from `reps` (default
 * 200; 0 skips it) semi-parametric bootstrap samples (each point drawn, with the data's tail
 * fraction, from the fitted law above xMin, else resampled from the body below it), each refitted
 * the same way: the fraction whose KS distance is at least the data's. Errors: RangeError if fewer
 * than minTail + 1 positive values, or if the largest minTail values are equal.
 */
export function powerLawTail(
  x: ArrayLike<number>,
  stream: Stream,
  o: { minTail?: number; reps?: number } = {},
): PowerLawTail {
  const minTail = o.minTail ?? 10,
    reps = o.reps ?? 200;
  requireInteger("minTail", minTail, 2);
  requireInteger("reps", reps, 0);
  const sorted = positiveSorted(x, minTail, "powerLawTail");
  const fit = bestFit(sorted, minTail);
  const nTail = sorted.length - fit.i0,
    xMin = sorted[fit.i0],
    body = sorted.subarray(0, fit.i0);
  let worse = 0;
  for (let b = 0; b < reps; b++) {
    const sample = new Float64Array(sorted.length);
    for (let i = 0; i < sorted.length; i++) {
      sample[i] =
        stream.uniform() * sorted.length < nTail || body.length === 0
          ? xMin * Math.pow(1 - stream.uniform(), -1 / (fit.alpha - 1))
          : body[stream.int(body.length)];
    }
    sample.sort();
    if (bestFit(sample, minTail).ks >= fit.ks) worse++;
  }
  return {
    alpha: fit.alpha,
    se: (fit.alpha - 1) / Math.sqrt(nTail),
    xMin,
    tail: nTail,
    ks: fit.ks,
    pValue: reps > 0 ? worse / reps : NaN,
  };
}

/**
 * WeightWatcher's α of an empirical spectral density, as its documentation describes the
 * estimator: the `powerlaw` package's continuous power-law fit of the eigenvalues, α by maximum
 * likelihood and x_min by the smallest KS distance over every eigenvalue but the largest (tails
 * down to two points). It is `powerLawTail` with minTail = 2 and no goodness of fit. Errors: as
 * powerLawTail's.
 */
export function weightWatcherAlpha(eigenvalues: ArrayLike<number>): {
  alpha: number;
  xMin: number;
  tail: number;
  ks: number;
} {
  const sorted = positiveSorted(eigenvalues, 2, "weightWatcherAlpha");
  const f = bestFit(sorted, 2);
  return { alpha: f.alpha, xMin: sorted[f.i0], tail: sorted.length - f.i0, ks: f.ks };
}

/** One likelihood-ratio comparison of the power law with an alternative on the same tail (CSN §5). */
export interface TailComparison {
  /** The alternative: "exponential", "lognormal" or "truncated power law". */
  alternative: string;
  /** The fitted parameters of the alternative (λ; μ and σ of ln x; α and λ). */
  parameters: Record<string, number>;
  /** R = Σ ln p_PL(x_i) − Σ ln p_alt(x_i) over the tail: positive favours the power law. */
  logRatio: number;
  /** Vuong's normalised ratio R/(√n·s), s the standard deviation of the pointwise log ratios (0 for the nested test). */
  z: number;
  /** The p-value of the sign of R: two-sided Vuong for non-nested alternatives, erfc(√|R|) (χ²₁ on 2R) for the nested truncated power law. */
  pValue: number;
  /** Which law the test favours at `level`: "power law", the alternative's name, or "neither" (p ≥ level). For the nested test, a significant ratio favours the truncated law. */
  favours: string;
}

/** The power law compared with its alternatives on the tail of a CSN fit. */
export interface TailComparisons {
  xMin: number;
  alpha: number;
  tail: number;
  comparisons: TailComparison[];
}

/** Σ over the tail of ln of the lognormal density truncated to x ≥ xMin, with μ, σ of ln x. */
function lognormalLogLikelihoods(
  tail: Float64Array,
  xMin: number,
  mu: number,
  sigma: number,
  out?: Float64Array,
): number {
  const z0 = (Math.log(xMin) - mu) / sigma;
  const logSurvival = z0 > 5 ? logNormalSurvivalLarge(z0) : Math.log(0.5 * erfc(z0 / Math.SQRT2));
  let s = 0;
  for (let i = 0; i < tail.length; i++) {
    const lx = Math.log(tail[i]),
      z = (lx - mu) / sigma;
    const l = -0.5 * z * z - 0.5 * Math.log(2 * Math.PI) - Math.log(sigma) - lx - logSurvival;
    if (out) out[i] = l;
    s += l;
  }
  return s;
}

/** ln(1 − Φ(z)) for large z, from the asymptotic series of Mills' ratio (accurate to ~1e-10 for z > 5). */
function logNormalSurvivalLarge(z: number): number {
  const z2 = z * z;
  const series = 1 - 1 / z2 + 3 / (z2 * z2) - 15 / (z2 * z2 * z2) + 105 / (z2 * z2 * z2 * z2);
  return -0.5 * z2 - Math.log(z) - 0.5 * Math.log(2 * Math.PI) + Math.log(series);
}

/**
 * ln ∫_{xMin}^∞ x^{−α} e^{−λx} dx, λ > 0, by the substitution x = xMin·e^u and composite Simpson
 * (600 intervals) over u on [0, U] (U where the integrand has fallen by e^{−40}), in log space for stability.
 */
function logTruncatedNormaliser(alpha: number, lambda: number, xMin: number): number {
  // f(u) = (1 − α)u − λ xMin (e^u − 1), times xMin^{1−α} e^{−λ xMin}; f is concave, maximal at u* with (1−α) = λ xMin e^{u*}
  const a = 1 - alpha,
    b = lambda * xMin;
  const f = (u: number) => a * u - b * Math.expm1(u);
  const uStar = a > b ? Math.log(a / b) : 0;
  const fMax = f(uStar);
  let U = Math.max(uStar, 1);
  while (f(U) > fMax - 40) U *= 1.5;
  const n = 600,
    h = U / n;
  let s = 0;
  for (let k = 0; k <= n; k++) {
    const w = k === 0 || k === n ? 1 : k % 2 === 1 ? 4 : 2;
    s += w * Math.exp(f(k * h) - fMax);
  }
  return Math.log((s * h) / 3) + fMax + a * Math.log(xMin) - b;
}

function truncatedLogLikelihoods(
  tail: Float64Array,
  xMin: number,
  alpha: number,
  lambda: number,
  out?: Float64Array,
): number {
  const logZ = logTruncatedNormaliser(alpha, lambda, xMin);
  let s = 0;
  for (let i = 0; i < tail.length; i++) {
    const l = -alpha * Math.log(tail[i]) - lambda * tail[i] - logZ;
    if (out) out[i] = l;
    s += l;
  }
  return s;
}

function summary(pl: Float64Array, alt: Float64Array): { R: number; z: number } {
  const n = pl.length;
  let R = 0;
  for (let i = 0; i < n; i++) R += pl[i] - alt[i];
  const mean = R / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (pl[i] - alt[i] - mean) ** 2;
  const sd = Math.sqrt(v / n);
  return { R, z: sd > 0 ? R / (Math.sqrt(n) * sd) : 0 };
}

/**
 * Likelihood-ratio tests of the power law against the exponential, the lognormal and the power law
 * with an exponential cut-off, on the tail x ≥ xMin of a CSN fit (`powerLawTail`, whose α and xMin
 * are used), as CSN §5 prescribe. Each alternative is fitted by maximum likelihood to the same tail,
 * normalised on [xMin, ∞): the exponential λe^{−λ(x − xMin)} (λ = 1/(mean − xMin)); the lognormal
 * truncated at xMin (μ, σ by Nelder–Mead); x^{−α}e^{−λx}/∫ (α, λ ≥ 0 by Nelder–Mead from the power
 * law's α; its normaliser by quadrature). Non-nested alternatives get Vuong's test, p = erfc(|z|/√2);
 * the nested truncated power law gets p = erfc(√|R|) (2|R| ~ χ²₁ under the power law). `level`
 * (default 0.1, CSN's convention) decides `favours`. Errors: RangeError for fewer than 3 tail points.
 */
export function compareTail(
  x: ArrayLike<number>,
  fit: { xMin: number; alpha: number },
  o: { level?: number } = {},
): TailComparisons {
  const level = o.level ?? 0.1;
  const tail = Float64Array.from(x)
    .filter((v) => v >= fit.xMin)
    .sort();
  const n = tail.length,
    xMin = fit.xMin,
    alpha = fit.alpha;
  if (n < 3) throw new RangeError(`compareTail: ${n} points at or above xMin = ${xMin}, at least 3 needed`);
  const pl = Float64Array.from(tail, (v) => Math.log((alpha - 1) / xMin) - alpha * Math.log(v / xMin));
  const comparisons: TailComparison[] = [];
  const vuong = (name: string, parameters: Record<string, number>, alt: Float64Array) => {
    const { R, z } = summary(pl, alt);
    const p = z === 0 ? 1 : erfc(Math.abs(z) / Math.SQRT2);
    comparisons.push({
      alternative: name,
      parameters,
      logRatio: R,
      z,
      pValue: p,
      favours: p < level ? (R > 0 ? "power law" : name) : "neither",
    });
  };
  // exponential, shifted to start at xMin
  let mean = 0;
  for (const v of tail) mean += v / n;
  const lambda = 1 / Math.max(mean - xMin, Number.MIN_VALUE);
  vuong(
    "exponential",
    { lambda },
    Float64Array.from(tail, (v) => Math.log(lambda) - lambda * (v - xMin)),
  );
  // lognormal, truncated at xMin
  let m0 = 0,
    s0 = 0;
  for (const v of tail) m0 += Math.log(v) / n;
  for (const v of tail) s0 += (Math.log(v) - m0) ** 2 / n;
  const ln = nelderMead(
    (t) => -lognormalLogLikelihoods(tail, xMin, t[0], Math.exp(t[1])),
    [m0, Math.log(Math.sqrt(s0) || 1)],
    [0.5, 0.3],
    { maxIterations: 4000 },
  );
  const lnAlt = new Float64Array(n);
  lognormalLogLikelihoods(tail, xMin, ln.x[0], Math.exp(ln.x[1]), lnAlt);
  vuong("lognormal", { mu: ln.x[0], sigma: Math.exp(ln.x[1]) }, lnAlt);
  // power law with an exponential cut-off (nested: λ = 0 is the power law)
  const scale = 1 / mean;
  const tp = nelderMead(
    (t) => (t[1] > 50 ? Infinity : -truncatedLogLikelihoods(tail, xMin, t[0], scale * Math.exp(t[1]))),
    [alpha, Math.log(0.1)],
    [0.2, 1],
    { maxIterations: 1500, fTol: 1e-10 },
  );
  const tpAlt = new Float64Array(n);
  let tAlpha = tp.x[0],
    tLambda = scale * Math.exp(tp.x[1]);
  let llT = truncatedLogLikelihoods(tail, xMin, tAlpha, tLambda, tpAlt);
  const llP = pl.reduce((a, b) => a + b, 0);
  if (!(llT >= llP)) {
    tAlpha = alpha;
    tLambda = 0;
    llT = llP;
    tpAlt.set(pl);
  } // the cut-off cannot do worse than λ = 0
  const R = llP - llT,
    pNested = erfc(Math.sqrt(Math.abs(R)));
  comparisons.push({
    alternative: "truncated power law",
    parameters: { alpha: tAlpha, lambda: tLambda },
    logRatio: R,
    z: 0,
    pValue: pNested,
    favours: pNested < level ? "truncated power law" : "neither",
  });
  return { xMin, alpha, tail: n, comparisons };
}
