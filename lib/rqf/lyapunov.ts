import { Stream } from "../random/stream";
import { QrLyapunov } from "../lyapunov/qr";
import { fillScaledIncrement, RqfNormalisation, timeScale } from "./noise";
import { field, requireOnSphere, uniformOnSphere } from "./flow";
import { requireInteger, requirePositive } from "../util/validate";

/**
 * Lyapunov spectrum of the RQF flow on S^{n−1} by the QR method on the linearised (tangent) flow.
 *
 * The tangent vectors are propagated by the exact derivative of the numerical step (Heun
 * predictor–corrector followed by renormalisation y ↦ y/|y|, whose derivative is P_{x'}/|y|), so
 * the exponents are those of the discrete random dynamical system; they converge to the SDE's as
 * dt → 0. Derivative of the field G(X) = dQ X − X (Xᵀ dQ X) in direction v (dQ symmetric):
 *   DG(X)[v] = dQ v − v (Xᵀ dQ X) − 2 X (Xᵀ dQ v).
 * Tangent vectors start tangent at X₀, stay tangent, and are re-orthonormalised every
 * `reorthEvery` steps.
 */
export interface RqfLyapunovOptions {
  n: number;
  /** Number of exponents, 1 … n−1 (default n−1: the whole spectrum on S^{n−1}). */
  k?: number;
  dt: number;
  /** Averaging time after the transient. */
  time: number;
  transient?: number;
  reorthEvery?: number;
  normalisation?: RqfNormalisation;
  stream: Stream;
  /** Starting point (default: uniform on the sphere from the stream). */
  x0?: Float64Array;
  /** Record the running estimate this many times. */
  checkpoints?: number;
  onProgress?: (fraction: number) => void;
}

export interface RqfLyapunovResult {
  exponents: Float64Array;
  times: Float64Array;
  /** checkpoints × k running estimates, row per time. */
  running: Float64Array;
}

export function rqfLyapunovSpectrum(o: RqfLyapunovOptions): RqfLyapunovResult {
  const { n, dt, stream } = o;
  requireInteger("n", n, 2);
  const k = o.k ?? n - 1;
  requireInteger("k (number of exponents)", k, 1, n - 1);
  requirePositive("dt", dt);
  requirePositive("time", o.time);
  const transient = o.transient ?? 0;
  if (!(transient >= 0)) throw new RangeError(`transient must be >= 0, got ${transient}`);
  const reorth = o.reorthEvery ?? 1;
  requireInteger("reorthEvery", reorth, 1);
  const norm = o.normalisation ?? "half";
  const x = o.x0 ? Float64Array.from(o.x0) : uniformOnSphere(stream, n, 1);
  requireOnSphere(x, n, 1);

  // Generic tangent basis at x: Gaussian vectors projected onto x⊥, then orthonormalised.
  const init = new Stream("rqf-tangent-basis", n).fillNormal(new Float64Array(n * k));
  for (let c = 0; c < k; c++) projectTangent(x, init, c * n, n);
  const qr = new QrLyapunov(n, k, init);
  const v = qr.basis;

  const kappa = timeScale(norm);
  const sDiag = Math.sqrt(kappa * dt), sOff = Math.sqrt((kappa * dt) / 2);
  const dq = new Float64Array(n * n);
  const normals = new Float64Array((n * (n + 1)) / 2);
  const g0 = new Float64Array(n), xp = new Float64Array(n), g1 = new Float64Array(n);
  const dv0 = new Float64Array(n * k), vp = new Float64Array(n * k), tmp = new Float64Array(n);
  const nTrans = Math.round(transient / dt);
  const nSteps = Math.round(o.time / dt);
  const nCheck = o.checkpoints ?? 0;
  const times = new Float64Array(nCheck);
  const running = new Float64Array(nCheck * k);
  let nextCheck = 0;
  const progressEvery = Math.max(1, Math.floor((nTrans + nSteps) / 100));

  for (let step = 0; step < nTrans + nSteps; step++) {
    if (step === nTrans) qr.resetSums();
    fillScaledIncrement(stream, n, sDiag, sOff, dq, normals);
    // predictor
    field(dq, x, 0, n, g0);
    for (let i = 0; i < n; i++) xp[i] = x[i] + g0[i];
    for (let c = 0; c < k; c++) {
      fieldDerivative(dq, x, v, c * n, n, dv0, tmp);
      for (let i = 0; i < n; i++) vp[c * n + i] = v[c * n + i] + dv0[c * n + i];
    }
    // corrector
    field(dq, xp, 0, n, g1);
    let norm2 = 0;
    for (let i = 0; i < n; i++) {
      x[i] += 0.5 * (g0[i] + g1[i]);
      norm2 += x[i] * x[i];
    }
    for (let c = 0; c < k; c++) {
      fieldDerivative(dq, xp, vp, c * n, n, vp, tmp); // vp ← DG(xp)[vp] in place (tmp holds dQ·vp)
      for (let i = 0; i < n; i++) v[c * n + i] += 0.5 * (dv0[c * n + i] + vp[c * n + i]);
    }
    // renormalise x, and push v through the derivative of y ↦ y/|y|: P_{x'} v / |y|
    const len = Math.sqrt(norm2);
    for (let i = 0; i < n; i++) x[i] /= len;
    for (let c = 0; c < k; c++) {
      projectTangent(x, v, c * n, n);
      for (let i = 0; i < n; i++) v[c * n + i] /= len;
    }
    if ((step + 1) % reorth === 0) qr.orthonormalize();
    const done = step + 1 - nTrans;
    if (nCheck > 0 && done > 0 && nextCheck < nCheck && done >= Math.round(((nextCheck + 1) * nSteps) / nCheck)) {
      if ((step + 1) % reorth !== 0) qr.orthonormalize();
      times[nextCheck] = done * dt;
      running.set(qr.exponents(done * dt), nextCheck * k);
      nextCheck++;
    }
    if (o.onProgress && step % progressEvery === 0) o.onProgress(step / (nTrans + nSteps));
  }
  if (nSteps % reorth !== 0) qr.orthonormalize();
  o.onProgress?.(1);
  return { exponents: qr.exponents(nSteps * dt), times, running };
}

/** out[o..o+n) = DG(x)[v[o..o+n)] = dQ v − v (xᵀdQx) − 2x (xᵀdQv). out may alias v. */
function fieldDerivative(dq: Float64Array, x: Float64Array, v: Float64Array, o: number, n: number, out: Float64Array, tmp: Float64Array): void {
  let s = 0, t = 0;
  for (let i = 0; i < n; i++) {
    let rv = 0, rx = 0;
    const row = i * n;
    for (let j = 0; j < n; j++) {
      rv += dq[row + j] * v[o + j];
      rx += dq[row + j] * x[j];
    }
    tmp[i] = rv;
    s += x[i] * rx;
    t += x[i] * rv;
  }
  for (let i = 0; i < n; i++) out[o + i] = tmp[i] - v[o + i] * s - 2 * x[i] * t;
}

/** v[o..o+n) ← P_x v = v − x (xᵀv). */
function projectTangent(x: Float64Array, v: Float64Array, o: number, n: number): void {
  let d = 0;
  for (let i = 0; i < n; i++) d += x[i] * v[o + i];
  for (let i = 0; i < n; i++) v[o + i] -= d * x[i];
}
