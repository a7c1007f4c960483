import type { Stream } from "../random/stream";
import { replicateMean, type VectorEstimate } from "../stats/replicates";
import { meanCovariance, whitenResiduals } from "../stats/correlated-residuals";
import { pairSpacingsAndGap } from "../rmt/degenerate-pairs";
import { twoChargeGas } from "../rmt/two-charge-gas";
import { rbmModePotential } from "../diffusion/fokker-planck-hamiltonian";
import { requireInteger } from "../util/validate";
import { pcdElementVariance, pcdGaussianSpectra, pcdMeanMatrix, type PcdFluctuationOptions } from "./pcd-fluctuations";
import type { Estimate } from "../stats/estimate";

// Notebook 09's comparison of a PCD ensemble of the Gaussian RBM with the linear (and second-order)
// theory of its fluctuations (`pcd-fluctuations`): the model's statistics come from draws of the
// Gaussian matrix model, whose Monte Carlo error enters each residual's variance (1/n + 1/draws),
// and the residuals of one grid point, which come from the same runs, are whitened with the model's
// own covariance of the per-run statistics.

/** The model's mean and per-run covariance of the statistics `stats` over its draws. */
function modelStats(spectra: Float64Array[], stats: (e: ArrayLike<number>) => number[]) {
  const rows = spectra.map(stats);
  return { mean: replicateMean(rows).value, cov: meanCovariance(rows).map((v) => v * rows.length), rows };
}

/** The leading k×k block of a p×p covariance, scaled by s. */
function leading(c: Float64Array, p: number, k: number, s: number): Float64Array {
  return Float64Array.from({ length: k * k }, (_, i) => c[Math.floor(i / k) * p + (i % k)] * s);
}

/** What `pcdSpacingComparison` returns for one grid point (statistics: the pairs' spacings in order, then the gap G). */
export interface PcdSpacingComparison {
  /** The ensemble's mean statistics with their errors. */
  data: VectorEstimate;
  /** The coupled Gaussian matrix model ("full") and independent degenerate blocks: mean statistics, per-run covariance, and the wall pair's spacing in each draw. */
  full: { mean: Float64Array; cov: Float64Array; wallSpacings: number[] };
  blocks: { mean: Float64Array; cov: Float64Array; wallSpacings: number[] };
  /** ⟨S⟩ per pair if the chains were uncorrelated between updates: √(π·2αx*(f + 1)/|B|). */
  white: number[];
  /** The wall pair alone in its anharmonic well with g² from the linear width (`twoChargeGas`): ⟨S⟩ and the centre's shift. */
  anharmonic: number;
  anharmonicCentre: number;
  /** Whitened residuals of the pairs' spacings against the full model (its covariance), and against white chains (the data's covariance). */
  spacingResiduals: number[];
  whiteResiduals: number[];
  /** The gap G's residual against the full model and against independent blocks. */
  gapResidual: number;
  gapBlocksResidual: number;
}

/**
 * One grid point of an RBM ensemble against the linear theory of PCD: per run, the spacings of the
 * degenerate pairs `pairs` (indices into the sorted spectrum) and the gap G from the last ("wall")
 * pair's centre to the level above; their means against the coupled Gaussian matrix model
 * (`pcdGaussianSpectra`, `draws` draws from `streams.full`), independent blocks (`streams.blocks`),
 * uncorrelated chains, and the isolated anharmonic wall pair. `target` is the sorted target
 * spectrum μ² − κ. Errors: as `pcdGaussianSpectra`, `whitenResiduals` and `pairSpacingsAndGap`.
 */
export function pcdSpacingComparison(o: {
  setup: PcdFluctuationOptions;
  spectra: ArrayLike<number>[];
  target: ArrayLike<number>;
  pairs: number[];
  draws: number;
  streams: { full: Stream; blocks: Stream };
}): PcdSpacingComparison {
  const { setup, target, pairs, draws } = o;
  requireInteger("draws", draws, 2);
  const stats = (e: ArrayLike<number>) => pairSpacingsAndGap(e, pairs);
  const nStats = pairs.length + 1,
    wallPair = pairs[pairs.length - 1];
  const wallMode = Array.from(setup.kappa).findIndex((k) => Math.abs(setup.mu2 - k - target[wallPair]) < 1e-9);
  if (wallMode < 0)
    throw new RangeError(`pcdSpacingComparison: no mode of κ has the wall pair's target ${target[wallPair]}`);
  const finitePop =
    setup.samples === undefined || setup.samples === Infinity ? 1 : (setup.samples - setup.batch) / (setup.samples - 1);
  const rows = o.spectra.map(stats);
  const data = replicateMean(rows);
  const fullDraws = modelStats(pcdGaussianSpectra(setup, draws, o.streams.full), stats);
  const blockDraws = modelStats(pcdGaussianSpectra(setup, draws, o.streams.blocks, "blocks"), stats);
  const full = { mean: fullDraws.mean, cov: fullDraws.cov, wallSpacings: fullDraws.rows.map((s) => s[nStats - 2]) };
  const blocks = {
    mean: blockDraws.mean,
    cov: blockDraws.cov,
    wallSpacings: blockDraws.rows.map((s) => s[nStats - 2]),
  };
  const white = pairs.map((p) => Math.sqrt((Math.PI * 2 * setup.alpha * target[p] * (finitePop + 1)) / setup.batch));
  const s2 = pcdElementVariance(setup, wallMode, wallMode),
    xw = target[wallPair],
    kw = setup.mu2 - xw,
    sw = Math.sqrt(s2);
  const anharmonic = twoChargeGas(
    rbmModePotential(kw, setup.mu2, 2).potential,
    s2 * ((2 * xw) / kw ** 2),
    xw - 12 * sw,
    Math.min(xw + 12 * sw, setup.mu2),
  );
  const n = rows.length,
    scale = 1 / n + 1 / draws;
  const k = pairs.length,
    gap = nStats - 1,
    gg = gap * nStats + gap;
  return {
    data,
    full,
    blocks,
    white,
    anharmonic: anharmonic.meanSpacing,
    anharmonicCentre: anharmonic.meanCentre - xw,
    spacingResiduals: Array.from(
      whitenResiduals(
        pairs.map((_, j) => data.value[j] - full.mean[j]),
        leading(full.cov, nStats, k, scale),
      ),
    ),
    // the alternative is whitened with the data's own covariance of the means
    whiteResiduals: Array.from(
      whitenResiduals(
        pairs.map((_, j) => data.value[j] - white[j]),
        leading(meanCovariance(rows), nStats, k, 1),
      ),
    ),
    gapResidual: (data.value[gap] - full.mean[gap]) / Math.sqrt(full.cov[gg] * scale),
    gapBlocksResidual: (data.value[gap] - blocks.mean[gap]) / Math.sqrt(blocks.cov[gg] * scale),
  };
}

/** What `pcdLevelMeans` returns for one grid point. */
export interface PcdLevelMeans {
  /** The ensemble's mean of each sorted level, with errors. */
  data: VectorEstimate;
  /** The levels' means in the linear theory (Y = mean + G, with the start's memory) and at second order (plus `pcdMeanShift`). */
  linear: Float64Array;
  second: Float64Array;
  /** Per-run covariance of the sorted levels in the second-order model (row-major). */
  cov: Float64Array;
  n: number;
  draws: number;
}

/**
 * The mean of each learned level of an RBM ensemble (`spectra`, sorted), beside the Gaussian matrix
 * model's at linear and at second order (`pcdMeanMatrix`: the second-order shift of the diagonal, and,
 * with `start`, the memory of the runs' common start). The two models are drawn from `streams.linear`
 * and `streams.second`: give both the same name and index, so that their difference, the predicted
 * shift of each level, carries almost no Monte Carlo noise (common random numbers).
 * Errors: as `pcdGaussianSpectra` and `pcdMeanMatrix`.
 */
export function pcdLevelMeans(o: {
  setup: PcdFluctuationOptions;
  spectra: ArrayLike<number>[];
  draws: number;
  streams: { linear: Stream; second: Stream };
  start?: { y: ArrayLike<number>; steps: number };
}): PcdLevelMeans {
  requireInteger("draws", o.draws, 2);
  const lin = pcdGaussianSpectra(o.setup, o.draws, o.streams.linear, "full", {
    mean: pcdMeanMatrix(o.setup, { start: o.start }),
  });
  const sec = pcdGaussianSpectra(o.setup, o.draws, o.streams.second, "full", {
    mean: pcdMeanMatrix(o.setup, { secondOrder: true, start: o.start }),
  });
  const data = replicateMean(o.spectra);
  return {
    data,
    linear: replicateMean(lin).value,
    second: replicateMean(sec).value,
    cov: meanCovariance(sec).map((v) => v * sec.length),
    n: data.n,
    draws: o.draws,
  };
}

/**
 * The amplitude A of the predicted second-order shift in measured level means: over grid points g,
 * r_g = data − linear = A·Δ_g + noise, Δ_g = second − linear, noise covariance C_g = cov_g(1/n + 1/draws)
 * (the data's and the linear model's Monte Carlo error). Generalised least squares:
 * Â = Σ Δᵀ C⁻¹ r / Σ Δᵀ C⁻¹ Δ with standard error (Σ Δᵀ C⁻¹ Δ)^{−1/2}; A = 1 is the second-order theory,
 * A = 0 the linear one. Â and each grid point's own Â are `Estimate`s; also the χ² of r − ÂΔ on
 * (points·levels − 1) degrees of freedom. Errors: a RangeError for no points or a covariance that is not positive definite.
 */
export function meanShiftAmplitude(points: PcdLevelMeans[]): {
  amplitude: Estimate;
  chi2: number;
  dof: number;
  perPoint: Estimate[];
} {
  if (points.length === 0) throw new RangeError("meanShiftAmplitude: no grid points");
  const white = points.map((p) => {
    const c = p.cov.map((v) => v * (1 / p.n + 1 / p.draws));
    const r = p.data.value.map((v, i) => v - p.linear[i]),
      d = p.second.map((v, i) => v - p.linear[i]);
    return { r: whitenResiduals(r, c), d: whitenResiduals(d, c) };
  });
  const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, v, i) => s + v * b[i], 0);
  const dd = white.reduce((s, w) => s + dot(w.d, w.d), 0),
    dr = white.reduce((s, w) => s + dot(w.d, w.r), 0);
  const amplitude = dr / dd;
  const chi2 = white.reduce((s, w) => s + w.r.reduce((t, v, i) => t + (v - amplitude * w.d[i]) ** 2, 0), 0);
  return {
    amplitude: { value: amplitude, se: 1 / Math.sqrt(dd) },
    chi2,
    dof: white.reduce((s, w) => s + w.r.length, 0) - 1,
    perPoint: white.map((w) => ({
      value: dot(w.d, w.r) / dot(w.d, w.d),
      se: 1 / Math.sqrt(dot(w.d, w.d)),
    })),
  };
}
