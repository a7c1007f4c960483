import { Stream } from "../random/stream";
import type { TangentSystem } from "../lyapunov/tangent-system";
import { fillScaledIncrement, RqfNormalisation, timeScale } from "./noise";
import { field, requireOnSphere, uniformOnSphere } from "./flow";
import { requireInteger, requirePositive } from "../util/validate";

/** Options of `rqfTangent`. */
export interface RqfTangentOptions {
  n: number;
  dt: number;
  normalisation?: RqfNormalisation;
  /** Starting point (default: uniform on the sphere, drawn from the run's stream). */
  x0?: Float64Array;
}

/**
 * The RQF flow on S^{n−1} with its linearisation, as a TangentSystem for `lyapunovSpectrum`
 * (maxExponents n − 1: the tangent space of the sphere).
 *
 * The tangent vectors are propagated by the exact derivative of the numerical step (Heun
 * predictor–corrector followed by renormalisation y ↦ y/|y|, whose derivative is P_{x'}/|y|), so
 * the exponents are those of the discrete random dynamical system; they converge to the SDE's as
 * dt → 0. Derivative of the field G(X) = dQ X − X (Xᵀ dQ X) in direction v (dQ symmetric):
 *   DG(X)[v] = dQ v − v (Xᵀ dQ X) − 2 X (Xᵀ dQ v).
 * Tangent vectors start tangent at X₀ (Gaussian vectors projected onto X₀⊥) and stay tangent.
 *
 * Why hand-written rather than `sdeTangent` of the RQF as an SdeSystem: the noise is a symmetric
 * matrix with n(n+1)/2 entries, so the generic diffusion Jacobians cost O(n⁴) per step against
 * O(n²·k) here, and the generic scheme has no renormalisation onto the sphere.
 *
 * Errors: a RangeError for n < 2, a bad dt or normalisation, or an x0 off the sphere.
 */
export function rqfTangent(o: RqfTangentOptions): TangentSystem {
  const { n, dt } = o;
  requireInteger("n", n, 2);
  requirePositive("dt", dt);
  const norm = o.normalisation ?? "half";
  const kappa = timeScale(norm);
  if (o.x0) requireOnSphere(o.x0, n, 1);
  const sDiag = Math.sqrt(kappa * dt),
    sOff = Math.sqrt((kappa * dt) / 2);
  const x = new Float64Array(n);
  const dq = new Float64Array(n * n);
  const normals = new Float64Array((n * (n + 1)) / 2);
  const g0 = new Float64Array(n),
    xp = new Float64Array(n),
    g1 = new Float64Array(n),
    tmp = new Float64Array(n);
  let dv0 = new Float64Array(0),
    vp = new Float64Array(0);
  return {
    dim: n,
    maxExponents: n - 1,
    dt,
    start(stream: Stream, basis: Float64Array, k: number) {
      x.set(o.x0 ?? uniformOnSphere(stream, n, 1));
      new Stream("rqf-tangent-basis", n).fillNormal(basis, 0, n * k);
      for (let c = 0; c < k; c++) projectTangent(x, basis, c * n, n);
      dv0 = new Float64Array(n * k);
      vp = new Float64Array(n * k);
    },
    advance(v: Float64Array, k: number, stream: Stream) {
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
    },
  };
}

/** out[o..o+n) = DG(x)[v[o..o+n)] = dQ v − v (xᵀdQx) − 2x (xᵀdQv). out may alias v. */
function fieldDerivative(
  dq: Float64Array,
  x: Float64Array,
  v: Float64Array,
  o: number,
  n: number,
  out: Float64Array,
  tmp: Float64Array,
): void {
  let s = 0,
    t = 0;
  for (let i = 0; i < n; i++) {
    let rv = 0,
      rx = 0;
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
