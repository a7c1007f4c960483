import type { StreamSeed } from "../random/stream";
import { task } from "../parallel/pool";
import { Stream } from "../random/stream";
import { RqfFlow, pairWithInnerProduct } from "./flow";
import type { RqfNormalisation } from "./noise";
import { rqfTangent } from "./lyapunov";
import { rqfFlowWith, type RqfNoise } from "./noise-variants";
import { lyapunovSpectrum } from "../lyapunov/spectrum";
import { requireInteger } from "../util/validate";
import { replicateMean } from "../stats/replicates";
import type { Estimate } from "../stats/estimate";
import { stoppingTimeRate } from "./decay-rate";

/**
 * Ensemble work items for the RQF notebooks, one pure function each, so that lib/parallel can
 * spread them over worker threads. Every input names its stream (seed, index).
 */

export interface TwoPointInput {
  n: number;
  z0: number;
  dt: number;
  /** Stream family: a root seed or a `Stream.path(seed, name)`; run i draws from `new Stream(seed, index)`. */
  seed: StreamSeed;
  index: number;
  normalisation?: RqfNormalisation;
  /** How the two points are driven (RqfNoise; default "common", the RQF). */
  noise?: RqfNoise;
}

/** Two-point motion from ⟨X₀, Y₀⟩ = z0 until 1 − |Z| < tol or maxTime: which pole, and when. */
export function splittingRun(o: TwoPointInput & { tol: number; maxTime: number }): { pole: 1 | -1 | 0; tau: number } {
  const f = rqfFlowWith({ n: o.n, m: 2, dt: o.dt, normalisation: o.normalisation, noise: o.noise });
  const s = new Stream(o.seed, o.index);
  const x = pairWithInnerProduct(o.n, o.z0);
  const maxSteps = Math.round(o.maxTime / o.dt);
  for (let k = 1; k <= maxSteps; k++) {
    f.step(s, x);
    const z = inner(x, o.n);
    if (1 - Math.abs(z) < o.tol) return { pole: z > 0 ? 1 : -1, tau: k * o.dt };
  }
  return { pole: 0, tau: o.maxTime };
}

/**
 * Run the flow of points x (in place) on the stream and record observe(x) at each of the given
 * times (rounded to multiples of dt, increasing).
 */
function sampleAtTimes(
  f: RqfFlow,
  s: Stream,
  x: Float64Array,
  times: number[],
  observe: (x: Float64Array) => number,
): number[] {
  const out: number[] = [];
  let step = 0;
  for (const t of times) {
    const target = Math.round(t / f.dt);
    for (; step < target; step++) f.step(s, x);
    out.push(observe(x));
  }
  return out;
}

/** Z_t = ⟨X_t, Y_t⟩ of one two-point run at the given times (multiples of dt). */
export function innerProductPath(o: TwoPointInput & { times: number[] }): number[] {
  const f = rqfFlowWith({ n: o.n, m: 2, dt: o.dt, normalisation: o.normalisation, noise: o.noise });
  return sampleAtTimes(f, new Stream(o.seed, o.index), pairWithInnerProduct(o.n, o.z0), o.times, (x) => inner(x, o.n));
}

/** Lyapunov spectrum of one run (lyapunovSpectrum of rqfTangent). */
export function spectrumRun(o: {
  n: number;
  dt: number;
  T: number;
  transient: number;
  seed: StreamSeed;
  index: number;
  normalisation?: RqfNormalisation;
}): number[] {
  return Array.from(
    lyapunovSpectrum(rqfTangent({ n: o.n, dt: o.dt, normalisation: o.normalisation }), {
      T: o.T,
      transient: o.transient,
      stream: new Stream(o.seed, o.index),
    }).exponents,
  );
}

function inner(x: Float64Array, n: number): number {
  let z = 0;
  for (let i = 0; i < n; i++) z += x[i] * x[n + i];
  return z;
}

/**
 * Exponential rate at which two points approach each other (or each other's antipode), by the
 * stopping-time estimator `stoppingTimeRate` (start: dist(X, ±Y) < start, default 1e-3).
 */
export function distanceDecayRun(o: TwoPointInput & { maxTime: number; start?: number; window: number }): {
  rate: number;
  tau: number;
} {
  const f = rqfFlowWith({ n: o.n, m: 2, dt: o.dt, normalisation: o.normalisation, noise: o.noise });
  const s = new Stream(o.seed, o.index);
  const x = pairWithInnerProduct(o.n, o.z0);
  return stoppingTimeRate(
    () => {
      f.step(s, x);
      return pairDistance(x, o.n);
    },
    { dt: o.dt, maxTime: o.maxTime, window: o.window, start: o.start ?? 1e-3 },
  );
}

/** dist(X, ±Y) = min(|X − Y|, |X + Y|) for the pair stored in x. */
export function pairDistance(x: Float64Array, n: number): number {
  let dm = 0,
    dp = 0;
  for (let i = 0; i < n; i++) {
    dm += (x[i] - x[n + i]) ** 2;
    dp += (x[i] + x[n + i]) ** 2;
  }
  return Math.sqrt(Math.min(dm, dp));
}

/** dist(X_t, ±Y_t) at the given times for one two-point run. */
export function distancePath(o: TwoPointInput & { times: number[] }): number[] {
  const f = rqfFlowWith({ n: o.n, m: 2, dt: o.dt, normalisation: o.normalisation, noise: o.noise });
  return sampleAtTimes(f, new Stream(o.seed, o.index), pairWithInnerProduct(o.n, o.z0), o.times, (x) =>
    pairDistance(x, o.n),
  );
}

/**
 * One-point motion: ⟨X_t, X₀⟩ at the given times for a single point started at e₁. With noise
 * "frozen" the point follows the deterministic quadratic form of a random matrix drawn for the run
 * (RqfNoise); "independent" is the same as "common" for one point.
 */
export function onePointRun(o: {
  n: number;
  dt: number;
  times: number[];
  seed: StreamSeed;
  index: number;
  normalisation?: RqfNormalisation;
  noise?: RqfNoise;
}): number[] {
  const f = rqfFlowWith({ n: o.n, m: 1, dt: o.dt, normalisation: o.normalisation, noise: o.noise });
  const x = new Float64Array(o.n);
  x[0] = 1;
  return sampleAtTimes(f, new Stream(o.seed, o.index), x, o.times, (y) => y[0]);
}

/**
 * First and second moments of U = ⟨X_t, e₁⟩ for the one-point motion started at e₁, over `runs`
 * independent runs (run r on `new Stream(seed, r)`): each an `Estimate` (the mean over runs and its
 * standard error), ready for `richardson`.
 */
export function onePointMoments(o: {
  n: number;
  dt: number;
  t: number;
  runs: number;
  seed: StreamSeed;
  normalisation?: RqfNormalisation;
  noise?: RqfNoise;
}): { m1: Estimate; m2: Estimate } {
  requireInteger("runs", o.runs, 2);
  const first: number[][] = [],
    second: number[][] = [];
  for (let r = 0; r < o.runs; r++) {
    const u = onePointRun({
      n: o.n,
      dt: o.dt,
      times: [o.t],
      seed: o.seed,
      index: r,
      normalisation: o.normalisation,
      noise: o.noise,
    })[0];
    first.push([u]);
    second.push([u * u]);
  }
  const a = replicateMean(first),
    b = replicateMean(second);
  return { m1: { value: a.value[0], se: a.se[0] }, m2: { value: b.value[0], se: b.se[0] } };
}

/** Worker-task handles for `parallelMap`, one per task above. Of `splittingRun`: */
export const splittingTask = task("rqf/tasks", splittingRun);
/** Worker-task handle of `innerProductPath`. */
export const innerProductPathTask = task("rqf/tasks", innerProductPath);
/** Worker-task handle of `spectrumRun`. */
export const spectrumTask = task("rqf/tasks", spectrumRun);
/** Worker-task handle of `distanceDecayRun`. */
export const distanceDecayTask = task("rqf/tasks", distanceDecayRun);
