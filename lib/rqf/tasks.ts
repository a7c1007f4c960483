import { Stream } from "../random/stream";
import { RqfFlow, pairWithInnerProduct } from "./flow";
import type { RqfNormalisation } from "./noise";
import { rqfLyapunovSpectrum } from "./lyapunov";

/**
 * Ensemble work items for the RQF notebooks, one pure function each, so that lib/parallel can
 * spread them over worker threads. Every input names its stream (seed, index).
 */

export interface TwoPointInput {
  n: number;
  z0: number;
  dt: number;
  seed: number;
  index: number;
  normalisation?: RqfNormalisation;
}

/** Two-point motion from ⟨X₀, Y₀⟩ = z0 until 1 − |Z| < tol or maxTime: which pole, and when. */
export function splittingRun(o: TwoPointInput & { tol: number; maxTime: number }): { pole: 1 | -1 | 0; time: number } {
  const f = new RqfFlow(o.n, 2, o.dt, o.normalisation ?? "half");
  const s = new Stream(o.seed, o.index);
  const x = pairWithInnerProduct(o.n, o.z0);
  const maxSteps = Math.round(o.maxTime / o.dt);
  for (let k = 1; k <= maxSteps; k++) {
    f.step(s, x);
    const z = inner(x, o.n);
    if (1 - Math.abs(z) < o.tol) return { pole: z > 0 ? 1 : -1, time: k * o.dt };
  }
  return { pole: 0, time: o.maxTime };
}

/** Z_t = ⟨X_t, Y_t⟩ of one two-point run at the given times (multiples of dt). */
export function innerProductPath(o: TwoPointInput & { times: number[] }): number[] {
  const f = new RqfFlow(o.n, 2, o.dt, o.normalisation ?? "half");
  const s = new Stream(o.seed, o.index);
  const x = pairWithInnerProduct(o.n, o.z0);
  const out: number[] = [];
  let step = 0;
  for (const t of o.times) {
    const target = Math.round(t / o.dt);
    for (; step < target; step++) f.step(s, x);
    out.push(inner(x, o.n));
  }
  return out;
}

/** Lyapunov spectrum of one run (see rqfLyapunovSpectrum). */
export function spectrumRun(o: { n: number; dt: number; time: number; transient: number; seed: number; index: number; normalisation?: RqfNormalisation }): number[] {
  return Array.from(rqfLyapunovSpectrum({ n: o.n, dt: o.dt, time: o.time, transient: o.transient, normalisation: o.normalisation, stream: new Stream(o.seed, o.index) }).exponents);
}

function inner(x: Float64Array, n: number): number {
  let z = 0;
  for (let i = 0; i < n; i++) z += x[i] * x[n + i];
  return z;
}
