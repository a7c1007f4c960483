import type { TrainingRun } from "./train";

/** What `edgePhase` returns: the edge-of-stability summary of one GD run at step size η. */
export interface EdgePhase {
  eta: number;
  /** 2/η: the classical stability threshold of GD on a quadratic. */
  threshold: number;
  /** Sharpness at step 0. */
  initial: number;
  /** First sampled step with sharpness ≥ 2/η (null: never reached). */
  crossingStep: number | null;
  /** Largest sampled sharpness, and where. */
  peak: number;
  peakStep: number;
  /**
   * The sharpening rate before the edge (per step): the least-squares slope of the samples from the
   * lowest one (the early dip) up to the crossing, or up to the window's start when the run never
   * reaches 2/η. NaN when that stretch has fewer than 3 samples (a run that starts at its edge).
   */
  sharpeningRate: number;
  /**
   * The window [start, end] (steps) in which the edge phase is measured: the second half of the run
   * after the crossing; for a run that never reaches 2/η, the second half of the run, so that the
   * same statistics say what GD below its edge does. null when the run (diverged) leaves fewer than
   * 32 steps or 4 sharpness samples there.
   */
  window: [number, number] | null;
  /** Whether the window lies after a crossing (the edge phase proper). */
  atEdge: boolean;
  /** Sharpness samples in the window: their number, mean and standard deviation. */
  count: number;
  mean: number;
  sd: number;
  /**
   * The least-squares trend of the window's sharpness samples (per step), and its standard error
   * from the residuals with count − 2 degrees of freedom. The samples are taken as independent: they
   * are `sharpnessEvery` steps apart, and `residualLag1` (their residuals' lag-1 autocorrelation)
   * shows whether that holds.
   */
  trend: number;
  trendSe: number;
  trendDof: number;
  residualLag1: number;
  /** The relative excess S̄/(2/η) − 1 over the window, and its standard error (residual sd/√count, relative). */
  excess: number;
  excessSe: number;
  /** The standard error of the window's mean sharpness (residual sd/√count), count − 2 dof. */
  meanSe: number;
  /** Steps in the window at which the loss went up (L_{t+1} > L_t). */
  increases: number;
  /**
   * The largest relative one-step change (L_{t+1} − L_t)/L_t in the window (positive: a rise), and
   * over the steps before the crossing (before the window when there is none): GD below its edge.
   */
  largestRise: number;
  largestRiseBefore: number;
  /** Mean loss over the window's first and last quarters, and the standard error of their difference. */
  lossEarly: number;
  lossLate: number;
  lossDropSe: number;
}

/**
 * Summarises a full-batch GD run (`trainFullBatch` with sharpness samples) in the terms of Cohen
 * et al. (ICLR 2021): progressive sharpening up to 2/η (the crossing step and the rate from the
 * early dip up to it), then the edge phase, taken as the second half of the run after the
 * crossing, where the sharpness is expected to stop rising and hover at 2/η (the samples' mean,
 * their trend with its standard error, the relative excess over 2/η) while the loss keeps falling
 * over long windows but not monotonically (the largest relative one-step rise there and before it;
 * the drop between the mean losses of the window's first and last quarters, with a standard error
 * from 8 consecutive blocks per quarter, so the loss's own oscillation sets the scale).
 *
 * A run that never reaches 2/η gets the same statistics on the second half of the run (`atEdge`
 * false): GD below its edge, the comparison its claims are tested against. A diverged or short run
 * gets no window. Errors: a RangeError for η ≤ 0.
 */
export function edgePhase(run: TrainingRun, eta: number): EdgePhase {
  if (!(eta > 0)) throw new RangeError(`η must be > 0, got ${eta}`);
  const S = run.sharpness;
  const threshold = 2 / eta, last = run.losses.length - 1;
  const crossIndex = S.findIndex((s) => s.value >= threshold);
  const cross = crossIndex >= 0 ? S[crossIndex] : undefined;
  let peak = -Infinity, peakStep = 0;
  for (const s of S) if (s.value > peak) { peak = s.value; peakStep = s.step; }
  const from = cross ? cross.step : 0;
  const start = from + Math.ceil((last - from) / 2);
  // before the edge: from the lowest sample up to the crossing (or up to the window)
  const pre = S.filter((s) => (cross ? s.step <= cross.step : s.step < start));
  let dip = 0;
  for (let i = 1; i < pre.length; i++) if (pre[i].value < pre[dip].value) dip = i;
  const rise = pre.slice(dip);
  const sharpeningRate = rise.length >= 3 ? lineFit(rise.map((s) => s.step), rise.map((s) => s.value)).slope : NaN;
  const base = { eta, threshold, initial: S.length ? S[0].value : NaN, crossingStep: cross ? cross.step : null, peak, peakStep, sharpeningRate, atEdge: cross !== undefined };
  const inWin = S.filter((s) => s.step >= start && s.step <= last);
  if (last - start + 1 < 32 || inWin.length < 4) {
    return { ...base, window: null, count: 0, mean: NaN, sd: NaN, trend: NaN, trendSe: NaN, trendDof: 0, residualLag1: NaN, excess: NaN, excessSe: NaN, meanSe: NaN, increases: 0, largestRise: NaN, largestRiseBefore: NaN, lossEarly: NaN, lossLate: NaN, lossDropSe: NaN };
  }
  const values = inWin.map((s) => s.value), n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const fit = lineFit(inWin.map((s) => s.step), values);
  const meanSe = fit.residualSd / Math.sqrt(n);
  const below = cross ? cross.step : start;
  let increases = 0, largestRise = -Infinity, largestRiseBefore = -Infinity;
  for (let t = 0; t < last; t++) {
    const r = (run.losses[t + 1] - run.losses[t]) / run.losses[t];
    if (t >= start) { if (r > largestRise) largestRise = r; if (r > 0) increases++; } else if (t < below && r > largestRiseBefore) largestRiseBefore = r;
  }
  const q = Math.floor((last - start + 1) / 4);
  const early = blockStats(run.losses, start, q), late = blockStats(run.losses, last + 1 - q, q);
  return {
    ...base, window: [start, last], count: n, mean, sd, trend: fit.slope, trendSe: fit.slopeSe, trendDof: n - 2, residualLag1: fit.residualLag1,
    excess: mean / threshold - 1, excessSe: meanSe / threshold, meanSe, increases, largestRise, largestRiseBefore: below > 0 ? largestRiseBefore : NaN,
    lossEarly: early.mean, lossLate: late.mean, lossDropSe: Math.hypot(early.se, late.se),
  };
}

/** Mean of x[from … from+len−1] and its standard error from 8 consecutive block means (robust to the loss's short-range oscillation). */
function blockStats(x: ArrayLike<number>, from: number, len: number): { mean: number; se: number } {
  const B = 8, bl = Math.floor(len / B);
  const means: number[] = [];
  for (let b = 0; b < B; b++) {
    let s = 0;
    for (let i = 0; i < bl; i++) s += x[from + b * bl + i];
    means.push(s / bl);
  }
  const mean = means.reduce((a, b) => a + b, 0) / B;
  const v = means.reduce((a, b) => a + (b - mean) ** 2, 0) / (B - 1);
  return { mean, se: Math.sqrt(v / B) };
}

/** Least-squares line through (x, y): slope, its standard error and the residuals' sd (n − 2 dof), and the residuals' lag-1 autocorrelation. */
function lineFit(x: number[], y: number[]): { slope: number; slopeSe: number; residualSd: number; residualLag1: number } {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n, my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < n; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ** 2; }
  const slope = sxy / sxx;
  const res = y.map((v, i) => v - my - slope * (x[i] - mx));
  const rss = res.reduce((a, b) => a + b * b, 0);
  const residualSd = n > 2 ? Math.sqrt(rss / (n - 2)) : NaN;
  let c1 = 0;
  for (let i = 1; i < n; i++) c1 += res[i] * res[i - 1];
  return { slope, slopeSe: residualSd / Math.sqrt(sxx), residualSd, residualLag1: rss > 0 ? c1 / rss : 0 };
}
