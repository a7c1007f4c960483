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
  /**
   * The trend of the loss's floor over the window: the window is cut into 16 blocks of equal
   * length, each block's smallest loss taken (the floor under the oscillation and the spikes), and a
   * least-squares line fitted to these minima against the blocks' middle steps. `lossFloorDrop` is
   * the fitted fall from the window's first step to its last (positive: the floor falls), with its
   * standard error from the fit's residuals (14 dof) and the fitted floor at both ends.
   */
  lossFloorStart: number;
  lossFloorEnd: number;
  lossFloorDrop: number;
  lossFloorDropSe: number;
  lossFloorDof: number;
}

/** The number of blocks whose minima give the loss's floor in the window. */
const FLOOR_BLOCKS = 16;

/**
 * Summarises a full-batch GD run (`trainFullBatch` with sharpness samples) in the terms of Cohen
 * et al. (ICLR 2021): progressive sharpening up to 2/η (the crossing step and the rate from the
 * early dip up to it), then the edge phase, taken as the second half of the run after the
 * crossing, where the sharpness is expected to stop rising and hover at 2/η (the samples' mean,
 * their trend with its standard error, the relative excess over 2/η) while the loss keeps falling
 * over long windows but not monotonically (the largest relative one-step rise there and before it;
 * the fall of the loss's floor, the minima of 16 blocks, along a fitted line with its standard
 * error: the floor is what the oscillation and the catapult spikes return to, and block means,
 * which the spikes dominate, leave the trend unresolved at some seeds).
 *
 * A run that never reaches 2/η gets the same statistics on the second half of the run (`atEdge`
 * false): GD below its edge, the comparison its claims are tested against. A diverged or short run
 * gets no window. Errors: a RangeError for η ≤ 0.
 */
export function edgePhase(run: TrainingRun, eta: number): EdgePhase {
  if (!(eta > 0)) throw new RangeError(`η must be > 0, got ${eta}`);
  const S = run.sharpness;
  const threshold = 2 / eta,
    last = run.losses.length - 1;
  const crossIndex = S.findIndex((s) => s.value >= threshold);
  const cross = crossIndex >= 0 ? S[crossIndex] : undefined;
  let peak = -Infinity,
    peakStep = 0;
  for (const s of S)
    if (s.value > peak) {
      peak = s.value;
      peakStep = s.step;
    }
  const from = cross ? cross.step : 0;
  const start = from + Math.ceil((last - from) / 2);
  // before the edge: from the lowest sample up to the crossing (or up to the window)
  const pre = S.filter((s) => (cross ? s.step <= cross.step : s.step < start));
  let dip = 0;
  for (let i = 1; i < pre.length; i++) if (pre[i].value < pre[dip].value) dip = i;
  const rise = pre.slice(dip);
  const sharpeningRate =
    rise.length >= 3
      ? lineFit(
          rise.map((s) => s.step),
          rise.map((s) => s.value),
        ).slope
      : NaN;
  const base = {
    eta,
    threshold,
    initial: S.length ? S[0].value : NaN,
    crossingStep: cross ? cross.step : null,
    peak,
    peakStep,
    sharpeningRate,
    atEdge: cross !== undefined,
  };
  const inWin = S.filter((s) => s.step >= start && s.step <= last);
  if (last - start + 1 < 32 || inWin.length < 4) {
    return {
      ...base,
      window: null,
      count: 0,
      mean: NaN,
      sd: NaN,
      trend: NaN,
      trendSe: NaN,
      trendDof: 0,
      residualLag1: NaN,
      excess: NaN,
      excessSe: NaN,
      meanSe: NaN,
      increases: 0,
      largestRise: NaN,
      largestRiseBefore: NaN,
      lossFloorStart: NaN,
      lossFloorEnd: NaN,
      lossFloorDrop: NaN,
      lossFloorDropSe: NaN,
      lossFloorDof: 0,
    };
  }
  const values = inWin.map((s) => s.value),
    n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const fit = lineFit(
    inWin.map((s) => s.step),
    values,
  );
  const meanSe = fit.residualSd / Math.sqrt(n);
  const below = cross ? cross.step : start;
  let increases = 0,
    largestRise = -Infinity,
    largestRiseBefore = -Infinity;
  for (let t = 0; t < last; t++) {
    const r = (run.losses[t + 1] - run.losses[t]) / run.losses[t];
    if (t >= start) {
      if (r > largestRise) largestRise = r;
      if (r > 0) increases++;
    } else if (t < below && r > largestRiseBefore) largestRiseBefore = r;
  }
  // the loss's floor: the minimum of each of 16 equal blocks (the last few steps of the window, when the
  // length is not a multiple of 16, are left out), against the block's middle step
  const bl = Math.floor((last - start + 1) / FLOOR_BLOCKS),
    mids: number[] = [],
    floors: number[] = [];
  for (let b = 0; b < FLOOR_BLOCKS; b++) {
    let m = Infinity;
    for (let i = start + b * bl; i < start + (b + 1) * bl; i++) m = Math.min(m, run.losses[i]);
    mids.push(start + (b + 0.5) * bl - 0.5);
    floors.push(m);
  }
  const floor = lineFit(mids, floors),
    span = last - start;
  const floorAt = (t: number) =>
    floors.reduce((a, b) => a + b, 0) / FLOOR_BLOCKS +
    floor.slope * (t - mids.reduce((a, b) => a + b, 0) / FLOOR_BLOCKS);
  return {
    ...base,
    window: [start, last],
    count: n,
    mean,
    sd,
    trend: fit.slope,
    trendSe: fit.slopeSe,
    trendDof: n - 2,
    residualLag1: fit.residualLag1,
    excess: mean / threshold - 1,
    excessSe: meanSe / threshold,
    meanSe,
    increases,
    largestRise,
    largestRiseBefore: below > 0 ? largestRiseBefore : NaN,
    lossFloorStart: floorAt(start),
    lossFloorEnd: floorAt(last),
    lossFloorDrop: -floor.slope * span,
    lossFloorDropSe: floor.slopeSe * span,
    lossFloorDof: FLOOR_BLOCKS - 2,
  };
}

/** Least-squares line through (x, y): slope, its standard error and the residuals' sd (n − 2 dof), and the residuals' lag-1 autocorrelation. */
function lineFit(
  x: number[],
  y: number[],
): { slope: number; slopeSe: number; residualSd: number; residualLag1: number } {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n,
    my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0,
    sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  const slope = sxy / sxx;
  const res = y.map((v, i) => v - my - slope * (x[i] - mx));
  const rss = res.reduce((a, b) => a + b * b, 0);
  const residualSd = n > 2 ? Math.sqrt(rss / (n - 2)) : NaN;
  let c1 = 0;
  for (let i = 1; i < n; i++) c1 += res[i] * res[i - 1];
  return { slope, slopeSe: residualSd / Math.sqrt(sxx), residualSd, residualLag1: rss > 0 ? c1 / rss : 0 };
}
