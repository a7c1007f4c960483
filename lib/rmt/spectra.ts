import { requireInteger, requireFinite } from "../util/validate";

/**
 * Empirical spectra: level spacings, histograms, moments and the Binder cumulant (unfolding over an
 * ensemble is `ensembleSpacings` in ./weight-spectra).
 */

/** Nearest-neighbour spacings of an ascending list of levels (length n − 1). */
export function spacings(sorted: ArrayLike<number>): Float64Array {
  const n = sorted.length;
  const s = new Float64Array(Math.max(0, n - 1));
  for (let i = 1; i < n; i++) {
    const d = sorted[i] - sorted[i - 1];
    if (!(d >= 0))
      throw new RangeError(
        `spacings: levels must be ascending and finite (levels ${i - 1}, ${i}: ${sorted[i - 1]}, ${sorted[i]})`,
      );
    s[i - 1] = d;
  }
  return s;
}

/** What `histogram` returns: bin edges, counts and densities. */
export interface Histogram {
  edges: Float64Array;
  centers: Float64Array;
  counts: Float64Array;
  /** counts/(n·width): a density estimate (n counts every sample, also those outside the range). */
  density: Float64Array;
  /** Poisson standard error of density: √count/(n·width). */
  densityError: Float64Array;
  /** Samples that fell outside [lo, hi). */
  outside: number;
}

/** Equal-width histogram on [lo, hi) (default: the sample's range). */
export function histogram(x: ArrayLike<number>, bins: number, lo?: number, hi?: number): Histogram {
  requireInteger("bins", bins, 1);
  const n = x.length;
  if (n === 0) throw new RangeError("histogram: empty sample");
  let a = lo ?? Infinity,
    b = hi ?? -Infinity;
  if (lo === undefined || hi === undefined) {
    for (let i = 0; i < n; i++) {
      if (lo === undefined && x[i] < a) a = x[i];
      if (hi === undefined && x[i] > b) b = x[i];
    }
    if (hi === undefined) b += 1e-12 * Math.max(1, Math.abs(b)); // include the maximum
  }
  requireFinite("lo", a);
  requireFinite("hi", b);
  if (!(b > a)) throw new RangeError(`histogram: empty range [${a}, ${b}) (constant sample?)`);
  const w = (b - a) / bins;
  const counts = new Float64Array(bins);
  let outside = 0;
  for (let i = 0; i < n; i++) {
    const k = Math.floor((x[i] - a) / w);
    if (k >= 0 && k < bins) counts[k]++;
    else outside++;
  }
  const edges = new Float64Array(bins + 1).map((_, k) => a + k * w);
  const centers = new Float64Array(bins).map((_, k) => a + (k + 0.5) * w);
  const density = counts.map((c) => c / (n * w));
  const densityError = counts.map((c) => Math.sqrt(c) / (n * w));
  return { edges, centers, counts, density, densityError, outside };
}

/** Central moments m2, m3, m4 about `center` (default: the sample mean). */
export function centralMoments(
  x: ArrayLike<number>,
  center?: number,
): { mean: number; m2: number; m3: number; m4: number } {
  const n = x.length;
  if (n === 0) throw new RangeError("centralMoments: empty sample");
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  const c = center ?? mean;
  let m2 = 0,
    m3 = 0,
    m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - c,
      d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  return { mean, m2: m2 / n, m3: m3 / n, m4: m4 / n };
}

/** What `binderCumulant` returns: U₄ with its jackknife standard error and bias correction. */
export interface BinderEstimate {
  value: number;
  /** The jackknife bias-corrected estimate (use it for small samples). */
  corrected: number;
  /** Delete-one-group jackknife standard error. */
  se: number;
  groups: number;
}

/**
 * The Binder cumulant in the talk's convention, U = ⟨x⁴⟩/(3⟨x²⟩²) − 1 about the mean (0 for a
 * Gaussian, −4/27 for the two-level density, −1/3 for the semicircle; the other common convention
 * 1 − ⟨x⁴⟩/(3⟨x²⟩²) flips the sign). `groups` splits the sample into that many contiguous groups
 * (e.g. independent runs) for a delete-one-group jackknife; it must be ≥ 2 and the groups should be
 * independent of each other.
 */
export function binderCumulant(x: ArrayLike<number>, groups = 32): BinderEstimate {
  const n = x.length;
  requireInteger("groups", groups, 2);
  if (n < 2 * groups)
    throw new RangeError(`binderCumulant: need at least 2 samples per group (${n} samples, ${groups} groups)`);
  // Sums of x, x², x³, x⁴ per group; central moments follow from raw ones for each jackknife subset.
  // Shift by the overall mean first: raw fourth moments of levels far from 0 would cancel badly.
  let shift = 0;
  for (let i = 0; i < n; i++) shift += x[i];
  shift /= n;
  const sums = new Float64Array(groups * 5);
  for (let i = 0; i < n; i++) {
    const g = Math.floor((i * groups) / n) * 5;
    const v = x[i] - shift,
      v2 = v * v;
    sums[g] += 1;
    sums[g + 1] += v;
    sums[g + 2] += v2;
    sums[g + 3] += v2 * v;
    sums[g + 4] += v2 * v2;
  }
  const total = new Float64Array(5);
  for (let g = 0; g < groups; g++) for (let k = 0; k < 5; k++) total[k] += sums[g * 5 + k];
  const u = (s: Float64Array | number[]): number => {
    const m = s[1] / s[0],
      r2 = s[2] / s[0],
      r3 = s[3] / s[0],
      r4 = s[4] / s[0];
    const c2 = r2 - m * m;
    const c4 = r4 - 4 * m * r3 + 6 * m * m * r2 - 3 * m ** 4;
    if (!(c2 > 0)) throw new RangeError("binderCumulant: constant sample (zero variance)");
    return c4 / (3 * c2 * c2) - 1;
  };
  const value = u(total);
  let mean = 0;
  const loo = new Float64Array(groups);
  for (let g = 0; g < groups; g++) {
    const s = [0, 0, 0, 0, 0];
    for (let k = 0; k < 5; k++) s[k] = total[k] - sums[g * 5 + k];
    loo[g] = u(s);
    mean += loo[g];
  }
  mean /= groups;
  let v = 0;
  for (let g = 0; g < groups; g++) v += (loo[g] - mean) ** 2;
  // Jackknife bias correction: a ratio of moments is biased by O(1/n) (for 60 two-level draws
  // about −0.014, several jackknife errors of a combined estimate); G·U − (G − 1)·mean(U₋g)
  // removes that order.
  return {
    value,
    corrected: groups * value - (groups - 1) * mean,
    se: Math.sqrt(((groups - 1) / groups) * v),
    groups,
  };
}
