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
  /** Pre-edge sharpening rate (per step): least-squares slope of the samples in [0, crossingStep]. */
  sharpeningRate: number;
  /** The edge window [start, end] (steps): the second half of the run after the crossing. */
  window: [number, number] | null;
  /** Sharpness samples in the window: their number, mean and standard deviation (the fluctuation). */
  count: number;
  mean: number;
  sd: number;
  /** Steps in the window at which the loss went up (L_{t+1} > L_t): 0 for a monotone descent. */
  increases: number;
  /** Mean loss over the window's first and last quarters, and the standard error of their difference. */
  lossEarly: number;
  lossLate: number;
  lossDropSe: number;
}

/**
 * Summarises a full-batch GD run (`trainFullBatch` with sharpness samples) in the terms of Cohen
 * et al. (ICLR 2021): progressive sharpening up to 2/η (the crossing step and the pre-edge slope),
 * then the edge phase, taken as the second half of the run after the crossing, where the sharpness
 * is expected to hover at 2/η (its mean and fluctuation sd over the samples there) while the loss
 * keeps falling over long windows but not monotonically (the count of single-step increases, and
 * the drop between the mean losses of the window's first and last quarters, with a standard
 * error from 8 consecutive blocks per quarter, so the loss's own oscillation sets the scale).
 * Errors: a RangeError if the run has fewer than two sharpness samples or η ≤ 0.
 */
export function edgePhase(run: TrainingRun, eta: number): EdgePhase {
  if (!(eta > 0)) throw new RangeError(`η must be > 0, got ${eta}`);
  const S = run.sharpness;
  if (S.length < 2) throw new RangeError(`edgePhase needs at least two sharpness samples, got ${S.length}`);
  const threshold = 2 / eta, last = run.losses.length - 1;
  const cross = S.find((s) => s.value >= threshold);
  let peak = -Infinity, peakStep = 0;
  for (const s of S) if (s.value > peak) { peak = s.value; peakStep = s.step; }
  const pre = S.filter((s) => cross === undefined || s.step <= cross.step);
  const sharpeningRate = slope(pre.map((s) => s.step), pre.map((s) => s.value));
  const base = { eta, threshold, initial: S[0].value, crossingStep: cross ? cross.step : null, peak, peakStep, sharpeningRate };
  if (!cross || last - cross.step < 16) {
    return { ...base, window: null, count: 0, mean: NaN, sd: NaN, increases: 0, lossEarly: NaN, lossLate: NaN, lossDropSe: NaN };
  }
  const start = cross.step + Math.ceil((last - cross.step) / 2);
  const inWin = S.filter((s) => s.step >= start && s.step <= last).map((s) => s.value);
  const mean = inWin.reduce((a, b) => a + b, 0) / inWin.length;
  const sd = inWin.length > 1 ? Math.sqrt(inWin.reduce((a, b) => a + (b - mean) ** 2, 0) / (inWin.length - 1)) : NaN;
  let increases = 0;
  for (let t = start; t < last; t++) if (run.losses[t + 1] > run.losses[t]) increases++;
  const q = Math.floor((last - start + 1) / 4);
  const early = blockStats(run.losses, start, q), late = blockStats(run.losses, last + 1 - q, q);
  return { ...base, window: [start, last], count: inWin.length, mean, sd, increases, lossEarly: early.mean, lossLate: late.mean, lossDropSe: Math.hypot(early.se, late.se) };
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

function slope(x: number[], y: number[]): number {
  if (x.length < 2) return NaN;
  const mx = x.reduce((a, b) => a + b, 0) / x.length, my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < x.length; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ** 2; }
  return sxy / sxx;
}
