import { Stream } from "../random/stream";
import { QrLyapunov } from "./qr";
import { requireFinite, requireInteger, requirePositive } from "../util/validate";

/**
 * The linear SDE dX = a X dt + σ dB X in R^d, B a d×d matrix of independent Brownian motions:
 * a linear cocycle whose Lyapunov spectrum is known in closed form.
 *
 * Itô reading (Euler–Maruyama step M = (1 + a dt) I + σ ΔB):      λ_k = a + σ² (d − 2k) / 2.
 * Stratonovich reading (Heun step M = I + C + C²/2, C = a dt I + σ ΔB): λ_k = a + σ² (d − 2k + 1) / 2.
 * The two differ by the Itô–Stratonovich correction σ²/2 · I (Σ_j E_ij E_ij = I): see the notebook
 * "Random dynamical systems and cocycles" for the derivation of λ_1 and of Σ λ_k.
 */
export type Reading = "ito" | "stratonovich";

export function isotropicLinearExponents(d: number, a: number, sigma: number, reading: Reading): Float64Array {
  requireInteger("d", d, 1);
  const shift = reading === "stratonovich" ? 1 : 0;
  return Float64Array.from({ length: d }, (_, i) => a + (sigma * sigma * (d - 2 * (i + 1) + shift)) / 2);
}

export interface IsotropicRunOptions {
  d: number;
  a: number;
  sigma: number;
  dt: number;
  /** Integration time T after the transient. */
  time: number;
  /** Transient time discarded before averaging (default 0: the linear cocycle has no transient of its state, only of the basis). */
  transient?: number;
  reading: Reading;
  stream: Stream;
  /** Record the running estimate this many times (default 0). */
  checkpoints?: number;
}

export interface IsotropicRun {
  exponents: Float64Array;
  /** Times of the running estimates and the estimates (checkpoints × d, row per time). */
  times: Float64Array;
  running: Float64Array;
}

/** One QR run of the linear cocycle with the given reading. */
export function runIsotropicLinear(o: IsotropicRunOptions): IsotropicRun {
  const { d, a, sigma, dt, reading, stream } = o;
  requireInteger("d", d, 1);
  requireFinite("a", a);
  requirePositive("sigma", sigma);
  requirePositive("dt", dt);
  requirePositive("time", o.time);
  if (reading !== "ito" && reading !== "stratonovich") throw new RangeError(`reading must be "ito" or "stratonovich", got "${String(reading)}"`);
  const steps = Math.round(o.time / dt);
  const transientSteps = Math.round((o.transient ?? 0) / dt);
  const nCheck = o.checkpoints ?? 0;
  const qr = new QrLyapunov(d);
  const m = new Float64Array(d * d);
  const c = new Float64Array(d * d);
  const sdt = Math.sqrt(dt);
  const times = new Float64Array(nCheck);
  const running = new Float64Array(nCheck * d);
  let nextCheck = 0;
  for (let n = 0; n < transientSteps + steps; n++) {
    if (n === transientSteps) qr.resetSums();
    // C = a dt I + σ ΔB with ΔB_ij ~ N(0, dt)
    stream.fillNormal(c);
    for (let i = 0; i < d * d; i++) c[i] *= sigma * sdt;
    for (let i = 0; i < d; i++) c[i * d + i] += a * dt;
    if (reading === "ito") {
      m.set(c);
    } else {
      // M = C + C²/2 (the I is added below)
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) {
          let s = 0;
          for (let l = 0; l < d; l++) s += c[i * d + l] * c[l * d + j];
          m[i * d + j] = c[i * d + j] + 0.5 * s;
        }
      }
    }
    for (let i = 0; i < d; i++) m[i * d + i] += 1;
    qr.applyMatrix(m);
    const done = n + 1 - transientSteps;
    if (nCheck > 0 && done > 0 && nextCheck < nCheck && done >= Math.round(((nextCheck + 1) * steps) / nCheck)) {
      times[nextCheck] = done * dt;
      running.set(qr.exponents(done * dt), nextCheck * d);
      nextCheck++;
    }
  }
  return { exponents: qr.exponents(steps * dt), times, running };
}
