import { rbmModePotential } from "../diffusion/fokker-planck-hamiltonian";
import { task } from "../parallel/pool";
import { Stream } from "../random/stream";
import { requireFinite, requireInteger, requireLength, requirePositive } from "../util/validate";
import type { SdeSystem } from "./system";

/** Options of `reflectedEnsemble`. */
export interface ReflectedEnsembleOptions {
  /** The drift K(x) of dx = K(x) dτ + √(2g²) dW. */
  drift: (x: number) => number;
  g2: number;
  /** Reflecting walls: a step that lands outside is mirrored back (x → 2·wall − x). */
  lower: number;
  upper: number;
  x0: number;
  paths: number;
  dt: number;
  /** Record times, increasing, each a positive multiple of dt (to 1e-9). */
  times: number[];
  stream: Stream;
  /**
   * Optional centres c_i, one per record time: the result then also holds the ensemble mean of
   * (x − c_i)² at time i (`spread`) and its standard error, e.g. with c_i the predicted mean, so
   * that the width of the law is a plain ensemble mean with an honest standard error.
   */
  centres?: number[];
}

/** What `reflectedEnsemble` returns: per record time, the ensemble mean of x (and of (x − c)²) with standard errors. */
export interface ReflectedEnsembleResult {
  times: number[];
  mean: number[];
  standardError: number[];
  /** With `centres`: the mean of (x − c_i)² at time i. */
  spread?: number[];
  spreadError?: number[];
}

/**
 * The SDE of `reflectedEnsemble`, dx = K(x) dτ + √(2g²) dW, as a generic `SdeSystem` (dim = noiseDim =
 * 1, additive noise: Itô and Stratonovich coincide). The walls are not part of it: between them,
 * `reflectedEnsemble` is `SdeIntegrator`'s Euler–Maruyama on this system with each step's landing point
 * mirrored back, on the same increments (tested to rounding). Errors: RangeError for g² ≤ 0.
 */
export function reflectedEnsembleSde(o: Pick<ReflectedEnsembleOptions, "drift" | "g2">): SdeSystem {
  requirePositive("g2 (noise strength g²)", o.g2);
  const K = o.drift,
    g = Math.sqrt(2 * o.g2);
  return {
    dim: 1,
    noiseDim: 1,
    drift(x, out) {
      out[0] = K(x[0]);
    },
    diffusion(_x, out) {
      out[0] = g;
    },
  };
}

/**
 * An ensemble of independent paths of a one-dimensional diffusion between reflecting walls,
 * dx = K(x) dτ + √(2g²) dW (the Itô SDE of the Fokker–Planck equation ∂τP = ∂x(g²∂x − K)P; as an
 * `SdeSystem`: `reflectedEnsembleSde`), by Euler–Maruyama with mirror reflection (weak order 1 in
 * dt). Returns the ensemble mean and standard error of x at each record time (and, with `centres`,
 * of (x − c)²). All paths advance together (one vector of normals per step from `stream`), so the
 * numbers depend only on the stream. Hand-written loop: it is the independent check of a
 * Fokker–Planck spectrum and runs 10⁷–10⁸ path-steps (npm run bench: its ratio to `SdeIntegrator`
 * path by path).
 *
 * Errors: RangeError for g² ≤ 0, dt ≤ 0, walls not ordered, x0 outside them, paths < 2, record
 * times that are not increasing multiples of dt, or centres that are not one finite number per
 * record time.
 */
export function reflectedEnsemble(o: ReflectedEnsembleOptions): ReflectedEnsembleResult {
  requirePositive("g2 (noise strength g²)", o.g2);
  requirePositive("dt", o.dt);
  requireInteger("paths", o.paths, 2);
  if (!(o.upper > o.lower))
    throw new RangeError(`reflectedEnsemble: the walls must satisfy lower < upper, got [${o.lower}, ${o.upper}]`);
  if (!(o.x0 >= o.lower && o.x0 <= o.upper))
    throw new RangeError(`reflectedEnsemble: x0 = ${o.x0} lies outside [${o.lower}, ${o.upper}]`);
  const steps = o.times.map((t) => Math.round(t / o.dt));
  steps.forEach((s, i) => {
    if (!(
      s >= 1 &&
      Math.abs(s * o.dt - o.times[i]) < 1e-9 * Math.max(1, o.times[i]) &&
      (i === 0 || s > steps[i - 1])
    )) {
      throw new RangeError(
        `reflectedEnsemble: record time ${o.times[i]} must be a positive multiple of dt = ${o.dt}, after the previous one`,
      );
    }
  });
  if (o.centres !== undefined) {
    requireLength("centres (one per record time)", o.centres, o.times.length);
    o.centres.forEach((c, i) => requireFinite(`centres[${i}]`, c));
  }
  const P = o.paths,
    x = new Float64Array(P).fill(o.x0),
    z = new Float64Array(P);
  const amp = Math.sqrt(2 * o.g2 * o.dt),
    dt = o.dt,
    lo = o.lower,
    hi = o.upper,
    K = o.drift;
  const mean: number[] = [],
    standardError: number[] = [],
    spread: number[] = [],
    spreadError: number[] = [];
  let step = 0;
  for (const [i, target] of steps.entries()) {
    for (; step < target; step++) {
      o.stream.fillNormal(z);
      for (let p = 0; p < P; p++) {
        let y = x[p] + K(x[p]) * dt + amp * z[p];
        if (y < lo) y = 2 * lo - y;
        if (y > hi) y = 2 * hi - y;
        x[p] = y;
      }
    }
    let s = 0,
      s2 = 0;
    for (let p = 0; p < P; p++) {
      s += x[p];
      s2 += x[p] * x[p];
    }
    const m = s / P;
    mean.push(m);
    standardError.push(Math.sqrt(Math.max(0, s2 / P - m * m) / (P - 1)));
    if (o.centres !== undefined) {
      const c = o.centres[i];
      let q = 0,
        q2 = 0;
      for (let p = 0; p < P; p++) {
        const d = (x[p] - c) * (x[p] - c);
        q += d;
        q2 += d * d;
      }
      const mq = q / P;
      spread.push(mq);
      spreadError.push(Math.sqrt(Math.max(0, q2 / P - mq * mq) / (P - 1)));
    }
  }
  return { times: o.times.slice(), mean, standardError, ...(o.centres !== undefined ? { spread, spreadError } : {}) };
}

/** Input of `rbmModeEnsemble`: plain data, so that batches can run on worker threads. */
export interface RbmModeEnsembleInput {
  kappa: number;
  mu2: number;
  /** 1: the talk's drift K; 2: the exact PCD gradient's (default 1). */
  factor?: number;
  g2: number;
  x0: number;
  paths: number;
  dt: number;
  times: number[];
  /** Optional centres, one per record time: the batch then also returns the mean of (x − c)² (see `reflectedEnsemble`). */
  centres?: number[];
  /** The named stream: batch `index` draws from Stream(seed, index). */
  seed: string;
  index: number;
}

/**
 * One batch of the RBM mode dx = K(x) dτ + √(2g²) dW, K(x) = factor·(1/κ − 1/(μ² − x))·x, between
 * a reflecting wall at 0 and one just inside μ² (where the drift already diverges): the ensemble
 * mean of x (and of (x − c)² with `centres`) at the record times (see `reflectedEnsemble`).
 * Errors: as there, and κ, μ² > 0.
 */
export function rbmModeEnsemble(input: RbmModeEnsembleInput): ReflectedEnsembleResult {
  const { drift } = rbmModePotential(input.kappa, input.mu2, input.factor ?? 1);
  return reflectedEnsemble({
    drift,
    g2: input.g2,
    lower: 0,
    upper: input.mu2 * (1 - 1e-12),
    x0: input.x0,
    paths: input.paths,
    dt: input.dt,
    times: input.times,
    centres: input.centres,
    stream: new Stream(input.seed, input.index),
  });
}

/** Worker-task handle of `rbmModeEnsemble`. */
export const rbmModeEnsembleTask = task("sde/reflected-ensemble", rbmModeEnsemble);
