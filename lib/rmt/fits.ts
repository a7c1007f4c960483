import { fitDensity, type DensityFit } from "../fit/density-fit";
import { MarchenkoPastur } from "./marchenko-pastur";
import { WignerSurmise } from "./wigner-surmise";
import { TwoLevelDensity } from "./two-level-density";

function range(x: ArrayLike<number>): [number, number, number] {
  if (x.length === 0) throw new RangeError("fit: empty sample");
  let lo = Infinity,
    hi = -Infinity,
    m = 0;
  for (let i = 0; i < x.length; i++) {
    lo = Math.min(lo, x[i]);
    hi = Math.max(hi, x[i]);
    m += x[i];
  }
  if (!(hi > lo)) throw new RangeError(`fit: constant sample (every value is ${lo}); a density cannot be fitted`);
  return [lo, hi, m / x.length];
}

/**
 * Fits the Marchenko–Pastur law to eigenvalues by binned maximum likelihood: the scale σ² and
 * either the ratio r (`ratio` omitted) or, for a partial bulk at known r, the area A (`area: true`,
 * with `hi` the end of the bulk). Standard errors assume independent eigenvalues (see fitDensity).
 * `trim` restricts the (σ², r) fit to the central quantiles of the spectrum.
 */
export function fitMarchenkoPastur(
  eigenvalues: ArrayLike<number>,
  o: { ratio?: number; area?: boolean; bins?: number; hi?: number; trim?: number } = {},
): DensityFit {
  const [min, max, mean] = range(eigenvalues);
  let lo = min;
  let top = o.hi ?? max * 1.02;
  if (o.trim !== undefined) {
    // Fit only between the trim and 1 − trim quantiles: a finite matrix's extreme eigenvalues
    // stray past the limit law's edges by O(N^{-2/3}), and a likelihood with hard edges would
    // stretch the support to cover them (notebook 07 measures that bias).
    if (!(o.trim > 0 && o.trim < 0.5)) throw new RangeError(`trim must be in (0, 0.5), got ${o.trim}`);
    const sorted = Float64Array.from(eigenvalues).sort();
    lo = sorted[Math.floor(o.trim * sorted.length)];
    top = sorted[Math.ceil((1 - o.trim) * sorted.length) - 1];
  }
  if (o.area) {
    if (o.ratio === undefined) throw new RangeError("fitMarchenkoPastur: an area fit needs the ratio r");
    const r = o.ratio;
    let inside = 0,
      m = 0;
    for (let i = 0; i < eigenvalues.length; i++)
      if (eigenvalues[i] <= top) {
        inside++;
        m += eigenvalues[i];
      }
    m /= inside; // the bulk's mean is σ²
    return fitDensity(eigenvalues, {
      names: ["σ²", "A"],
      start: [m, inside / eigenvalues.length],
      steps: [0.1 * m, 0.05],
      bins: o.bins ?? 40,
      lo: Math.min(0, lo),
      hi: top,
      valid: (t) => t[0] > 0 && t[1] > 0 && t[1] <= 1,
      cdf: (x, t) => new MarchenkoPastur(r, t[0], t[1]).cdf(x),
    });
  }
  if (o.ratio !== undefined) {
    const r = o.ratio;
    return fitDensity(eigenvalues, {
      names: ["σ²"],
      start: [mean],
      steps: [0.1 * mean],
      bins: o.bins ?? 40,
      lo: Math.min(0, lo),
      hi: top,
      valid: (t) => t[0] > 0,
      cdf: (x, t) => new MarchenkoPastur(r, t[0]).cdf(x),
    });
  }
  return fitDensity(eigenvalues, {
    names: ["σ²", "r"],
    start: [mean, 0.5],
    steps: [0.1 * mean, 0.1],
    bins: o.bins ?? 40,
    lo: o.trim === undefined ? Math.min(0, lo) : lo,
    hi: top,
    valid: (t) => t[0] > 0 && t[1] > 0 && t[1] <= 1,
    cdf: (x, t) => new MarchenkoPastur(t[1], t[0]).cdf(x),
  });
}

/** Fits the two-level Wigner surmise P(S) = S/(2σ²)e^{−S²/(4σ²)} (parameter σ) to spacings. */
export function fitSurmise(spacings: ArrayLike<number>, bins = 30): DensityFit {
  const [, hi, mean] = range(spacings);
  const s0 = mean / Math.sqrt(Math.PI);
  return fitDensity(spacings, {
    names: ["σ"],
    start: [s0],
    steps: [0.1 * s0],
    bins,
    lo: 0,
    hi: hi * 1.0001,
    valid: (t) => t[0] > 0,
    cdf: (x, t) => WignerSurmise.ofWidth(t[0]).cdf(x),
  });
}

/** Fits the two-level density (position κ, width σ) to the pooled levels of a degenerate pair. */
export function fitTwoLevel(levels: ArrayLike<number>, bins = 30): DensityFit {
  const [lo, hi, mean] = range(levels);
  let v = 0;
  for (let i = 0; i < levels.length; i++) v += (levels[i] - mean) ** 2;
  const s0 = Math.sqrt(v / levels.length / 1.5);
  return fitDensity(levels, {
    names: ["κ", "σ"],
    start: [mean, s0],
    steps: [0.2 * s0, 0.1 * s0],
    bins,
    lo,
    hi: hi + 1e-9 * (hi - lo),
    valid: (t) => t[1] > 0,
    cdf: (x, t) => new TwoLevelDensity(t[0], t[1]).cdf(x),
  });
}
