import { VERDICT_LEVEL } from "../params";
import type { Stream } from "../random/stream";
import { studentTQuantile } from "../stats/student-t";
import { batchMeansError } from "../stats/batch-means";
import { requireInRange, requireInteger, requirePositive } from "../util/validate";
import { kaplanYorkeDimension } from "./kaplan-yorke";
import { QrLyapunov } from "./qr";
import type { TangentSystem } from "./tangent-system";

/** Options of `lyapunovSpectrum`. Times are in the system's time unit (steps for maps, dt = 1). */
export interface LyapunovSpectrumOptions {
  /** Number of exponents, largest first (default: `system.maxExponents ?? system.dim`, the whole spectrum). */
  k?: number;
  /**
   * Choose k so that the Kaplan–Yorke sum turns negative (default false): while every partial sum
   * λ₁ + … + λ_j of the k exponents is ≥ 0 (so D_KY needs an exponent not yet computed), double k (up
   * to `max`, default maxExponents) and measure again from the start with the same streams. Where even
   * the last k leaves every partial sum ≥ 0, `kaplanYorkeLowerBound` says so.
   */
  growK?: boolean | { max?: number };
  /** Steps averaged per run after the transient. Give `steps` or `T`, not both. */
  steps?: number;
  /** Averaging time per run after the transient (steps = round(T / dt)). */
  T?: number;
  /** Time discarded before averaging starts, so that the state and the basis settle (default 0). */
  transient?: number;
  /** Re-orthonormalise the tangent vectors every this many steps (default 1). */
  reorthonormalizeEvery?: number;
  /** Independent runs (default 1). Run 0 draws from `stream`, run r ≥ 1 from `stream.child("run", r)`. */
  runs?: number;
  /**
   * With one run, the averaging window is cut into this many consecutive blocks and the standard
   * error is sd(block values)/√blocks (default 32; ignored when runs ≥ 2, whose spread is used).
   */
  blocks?: number;
  /** Record the running estimate (1/t) Σ log R_ii this many times, averaged over runs (default 0). */
  checkpoints?: number;
  stream: Stream;
  /** Called about a hundred times with (steps done, total steps) over all runs. */
  progress?: (done: number, total: number) => void;
}

/** The one result shape of every Lyapunov computation. */
export interface LyapunovSpectrum {
  /** λ₁ ≥ … ≥ λ_k: the mean over runs of (1/T) Σ log R_ii. */
  exponents: Float64Array;
  /** Their standard errors: across runs (runs ≥ 2) or across blocks of the one run. NaN if neither exists. */
  standardErrors: Float64Array;
  /** Degrees of freedom of the t-statistic: runs − 1, or blocks − 1 with one run. */
  dof: number;
  /** Lag-one correlation of consecutive block values of λ₁ (one run; near 0 if blocks are long enough), NaN otherwise. */
  lag1: number;
  /** The per-run exponents, runs × k, row per run. */
  perRun: Float64Array;
  /** The running estimate: `times` (checkpoints) and `values` (checkpoints × k, row per time). */
  running: { times: Float64Array; values: Float64Array };
  /** Kaplan–Yorke dimension of the mean exponents (see kaplanYorkeDimension). */
  kaplanYorke: number;
  /**
   * True when every partial sum of the k exponents is ≥ 0 and k is less than the system's number of
   * exponents: D_KY = k is then only a lower bound (the Kaplan–Yorke sum has not turned negative).
   */
  kaplanYorkeLowerBound: boolean;
  /** Steps averaged per run, and the same as a duration T = steps·dt. */
  steps: number;
  T: number;
  runs: number;
}

/**
 * Lyapunov spectrum of a `TangentSystem` by the QR (Benettin) method: k tangent vectors are pushed
 * through the derivative of every step and re-orthonormalised by Gram–Schmidt every
 * `reorthonormalizeEvery` steps; the logs of the normalisation factors (the diagonal of R) add up
 * to T·λ_i (Benettin, Galgani, Giorgilli & Strelcyn 1980; Shimada & Nagashima 1979). For random
 * systems the exponents are almost-sure limits (Oseledets 1968; Furstenberg–Kesten for i.i.d.
 * products), and for an SDE solved with step dt they are the exponents of the numerical random
 * dynamical system, which converge to the SDE's as dt → 0.
 *
 * The starting basis is k Gaussian vectors from a fixed stream, orthonormalised (a coordinate basis
 * can be blind to an invariant subspace); the system may replace it in `start`.
 *
 * With `growK`, k doubles until the Kaplan–Yorke sum of the exponents turns negative (or k reaches
 * its maximum; then `kaplanYorkeLowerBound` is set): each try starts again with the same streams,
 * so the cost is at most twice that of the last k.
 *
 * Errors: a RangeError for k outside 1..maxExponents, for both or neither of `steps` and `T`, for
 * non-positive sizes, and when a tangent vector collapses to zero or overflows (re-orthonormalise
 * more often).
 *
 * Modelled on ChaosTools.jl's `lyapunovspectrum(ds, N, k; Ttr, Δt)`.
 */
export function lyapunovSpectrum(system: TangentSystem, o: LyapunovSpectrumOptions): LyapunovSpectrum {
  requireInteger("system.dim", system.dim, 1);
  const maxK = system.maxExponents ?? system.dim;
  let k = o.k ?? maxK;
  requireInteger(`k (number of exponents, at most ${maxK})`, k, 1, maxK);
  if (!o.growK) return measure(system, o, k);
  const top = typeof o.growK === "object" && o.growK.max !== undefined ? o.growK.max : maxK;
  requireInteger(`growK.max (at least k = ${k}, at most ${maxK})`, top, k, maxK);
  for (;;) {
    const e = measure(system, o, k);
    if (!e.kaplanYorkeLowerBound || k >= top) return e;
    k = Math.min(2 * k, top);
  }
}

/** Whether every partial sum of the exponents (sorted largest first) is ≥ 0. */
function partialSumsNonNegative(exponents: Float64Array): boolean {
  const l = Array.from(exponents).sort((a, b) => b - a);
  let s = 0;
  for (const x of l) if ((s += x) < 0) return false;
  return true;
}

/** One measurement with k exponents (see lyapunovSpectrum). */
function measure(system: TangentSystem, o: LyapunovSpectrumOptions, k: number): LyapunovSpectrum {
  const dim = system.dim;
  requirePositive("system.dt", system.dt);
  const maxK = system.maxExponents ?? dim;
  if ((o.steps === undefined) === (o.T === undefined))
    throw new RangeError("lyapunovSpectrum: give exactly one of steps and T");
  const steps = o.steps ?? Math.round((o.T as number) / system.dt);
  requireInteger("steps (averaging steps per run)", steps, 1);
  const transient = o.transient ?? 0;
  if (!(transient >= 0) || !Number.isFinite(transient))
    throw new RangeError(`transient must be a finite time >= 0, got ${transient}`);
  const transientSteps = Math.round(transient / system.dt);
  const reorth = o.reorthonormalizeEvery ?? 1;
  requireInteger("reorthonormalizeEvery", reorth, 1);
  const runs = o.runs ?? 1;
  requireInteger("runs", runs, 1);
  const blocks = runs === 1 ? Math.min(o.blocks ?? 32, steps) : 1;
  requireInteger("blocks", blocks, 1);
  const nCheck = o.checkpoints ?? 0;
  requireInteger("checkpoints", nCheck, 0);

  const time = steps * system.dt;
  const perRun = new Float64Array(runs * k);
  const times = new Float64Array(nCheck);
  const running = new Float64Array(nCheck * k);
  const blockValues = Array.from({ length: k }, () => new Float64Array(blocks));
  const total = runs * (transientSteps + steps);
  const progressEvery = Math.max(1, Math.floor(total / 100));
  let done = 0;

  for (let r = 0; r < runs; r++) {
    const stream = r === 0 ? o.stream : o.stream.child("run", r);
    const qr = new QrLyapunov(dim, k);
    system.start(stream, qr.basis, k);
    qr.orthonormalize();
    qr.resetSums();
    let fresh = true; // basis orthonormal since the last step
    const blockStart = new Float64Array(k);
    let nextBlock = 1,
      nextCheck = 0;
    for (let step = 0; step < transientSteps + steps; step++) {
      if (step === transientSteps) {
        if (!fresh) qr.orthonormalize();
        qr.resetSums();
      }
      system.advance(qr.basis, k, stream);
      fresh = (step + 1) % reorth === 0;
      if (fresh) qr.orthonormalize();
      const averaged = step + 1 - transientSteps;
      if (averaged > 0) {
        const atBlock = blocks > 1 && averaged === Math.round((nextBlock * steps) / blocks);
        const atCheck = nextCheck < nCheck && averaged >= Math.round(((nextCheck + 1) * steps) / nCheck);
        if ((atBlock || atCheck) && !fresh) {
          qr.orthonormalize();
          fresh = true;
        }
        if (atBlock) {
          const len = (averaged - Math.round(((nextBlock - 1) * steps) / blocks)) * system.dt;
          for (let c = 0; c < k; c++) {
            blockValues[c][nextBlock - 1] = (qr.logSums[c] - blockStart[c]) / len;
            blockStart[c] = qr.logSums[c];
          }
          nextBlock++;
        }
        if (atCheck) {
          times[nextCheck] = averaged * system.dt;
          for (let c = 0; c < k; c++) running[nextCheck * k + c] += qr.logSums[c] / (averaged * system.dt) / runs;
          nextCheck++;
        }
      }
      done++;
      if (o.progress && done % progressEvery === 0) o.progress(done, total);
    }
    if (!fresh) qr.orthonormalize();
    perRun.set(qr.exponents(time), r * k);
  }
  if (o.progress && done % progressEvery !== 0) o.progress(done, total);

  const exponents = new Float64Array(k);
  const standardErrors = new Float64Array(k).fill(NaN);
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let r = 0; r < runs; r++) s += perRun[r * k + c];
    exponents[c] = s / runs;
  }
  let dof = 0,
    lag1 = NaN;
  if (runs >= 2) {
    dof = runs - 1;
    for (let c = 0; c < k; c++) {
      let s2 = 0;
      for (let r = 0; r < runs; r++) s2 += (perRun[r * k + c] - exponents[c]) ** 2;
      standardErrors[c] = Math.sqrt(s2 / (runs - 1) / runs);
    }
  } else if (blocks >= 2) {
    dof = blocks - 1;
    for (let c = 0; c < k; c++) standardErrors[c] = batchMeansError(blockValues[c]).se;
    lag1 = lagOne(blockValues[0]);
  }
  return {
    exponents,
    standardErrors,
    dof,
    lag1,
    perRun,
    running: { times, values: running },
    kaplanYorke: kaplanYorkeDimension(exponents),
    kaplanYorkeLowerBound: k < maxK && partialSumsNonNegative(exponents),
    steps,
    T: time,
    runs,
  };
}

/**
 * Half-width of the two-sided confidence interval of exponent c, t-quantile × standard error
 * (default confidence 1 − VERDICT_LEVEL, lib/params). Errors: a RangeError without degrees of freedom.
 */
export function lyapunovHalfWidth(e: LyapunovSpectrum, c = 0, confidence = 1 - VERDICT_LEVEL): number {
  requireInRange("confidence", confidence, 0, 1, "in (0, 1)");
  if (!(e.dof >= 1))
    throw new RangeError("lyapunovHalfWidth: no error bar (one run with one block); use runs ≥ 2 or blocks ≥ 2");
  return studentTQuantile(0.5 + confidence / 2, e.dof) * e.standardErrors[c];
}

function lagOne(v: Float64Array): number {
  const n = v.length;
  const m = v.reduce((s, x) => s + x, 0) / n;
  let num = 0,
    den = 0;
  for (let i = 0; i < n; i++) {
    den += (v[i] - m) ** 2;
    if (i > 0) num += (v[i] - m) * (v[i - 1] - m);
  }
  return den > 0 ? num / den : 0;
}
