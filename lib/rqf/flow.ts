import { Stream } from "../random/stream";
import { fillScaledIncrement, RqfNormalisation, timeScale } from "./noise";
import { requireInteger, requirePositive } from "../util/validate";

/**
 * The Random Quadratic Form on the sphere S^{n−1} (Engel & Shalova 2026):
 *   dX = P_X ∘dQ(t) X,   P_X = I − XXᵀ,   Q symmetric matrix noise (see ./noise),
 * for m points ("tokens") driven by one common noise path. Itô form (derived in the notebooks):
 *   dX = P_X dQ X − κ(n−1)/4 · X dt.
 *
 * Integrator: Heun (stochastic trapezoid: the Stratonovich solution) in ambient coordinates,
 * followed by renormalisation onto the sphere (a projection of size O(dt^{3/2}) per step).
 * The vector field G(X) = dQ X − X (Xᵀ dQ X) is evaluated with the same dQ at X and at the
 * predictor. Points are stored row by row: point p at [p·n, (p+1)·n).
 */
export class RqfFlow {
  readonly n: number;
  readonly m: number;
  readonly dt: number;
  readonly normalisation: RqfNormalisation;
  /** The current increment dQ (n×n). */
  readonly dq: Float64Array;
  private readonly normals: Float64Array;
  private readonly g0: Float64Array;
  private readonly xp: Float64Array;
  private readonly g1: Float64Array;
  private readonly sDiag: number;
  private readonly sOff: number;

  constructor(n: number, m: number, dt: number, normalisation: RqfNormalisation = "half") {
    requireInteger("n (dimension of the ambient space; the sphere is S^{n−1})", n, 2);
    requireInteger("m (number of points)", m, 1);
    requirePositive("dt", dt);
    this.n = n;
    this.m = m;
    this.dt = dt;
    this.normalisation = normalisation;
    this.dq = new Float64Array(n * n);
    this.normals = new Float64Array((n * (n + 1)) / 2);
    this.g0 = new Float64Array(n);
    this.xp = new Float64Array(n);
    this.g1 = new Float64Array(n);
    const kappa = timeScale(normalisation);
    this.sDiag = Math.sqrt(kappa * dt);
    this.sOff = Math.sqrt((kappa * dt) / 2);
  }

  /** Draw the next common increment dQ from the stream. */
  drawIncrement(stream: Stream): void {
    fillScaledIncrement(stream, this.n, this.sDiag, this.sOff, this.dq, this.normals);
  }

  /** Advance every point by one Heun step with the current dQ, then renormalise. */
  stepPoints(x: Float64Array): void {
    if (this.n === 3) {
      stepPoints3(this.dq, x, this.m);
      return;
    }
    const { n, m, dq, g0, xp, g1 } = this;
    for (let p = 0; p < m; p++) {
      const o = p * n;
      field(dq, x, o, n, g0);
      for (let i = 0; i < n; i++) xp[i] = x[o + i] + g0[i];
      field(dq, xp, 0, n, g1);
      let norm2 = 0;
      for (let i = 0; i < n; i++) {
        const v = x[o + i] + 0.5 * (g0[i] + g1[i]);
        x[o + i] = v;
        norm2 += v * v;
      }
      const inv = 1 / Math.sqrt(norm2);
      for (let i = 0; i < n; i++) x[o + i] *= inv;
    }
  }

  /** Draw an increment and step: one step of the common-noise flow. */
  step(stream: Stream, x: Float64Array): void {
    this.drawIncrement(stream);
    this.stepPoints(x);
  }
}

/**
 * The same Heun step unrolled for S² (n = 3), the case the token figures and benchmarks use:
 * the generic loops are mostly loop overhead at this size (npm run bench: ~2x). Same arithmetic
 * as the generic path up to the order of additions.
 */
function stepPoints3(dq: Float64Array, x: Float64Array, m: number): void {
  const q00 = dq[0],
    q01 = dq[1],
    q02 = dq[2],
    q11 = dq[4],
    q12 = dq[5],
    q22 = dq[8];
  for (let p = 0, o = 0; p < m; p++, o += 3) {
    const x0 = x[o],
      x1 = x[o + 1],
      x2 = x[o + 2];
    let r0 = q00 * x0 + q01 * x1 + q02 * x2;
    let r1 = q01 * x0 + q11 * x1 + q12 * x2;
    let r2 = q02 * x0 + q12 * x1 + q22 * x2;
    let s = x0 * r0 + x1 * r1 + x2 * r2;
    const a0 = r0 - x0 * s,
      a1 = r1 - x1 * s,
      a2 = r2 - x2 * s;
    const y0 = x0 + a0,
      y1 = x1 + a1,
      y2 = x2 + a2;
    r0 = q00 * y0 + q01 * y1 + q02 * y2;
    r1 = q01 * y0 + q11 * y1 + q12 * y2;
    r2 = q02 * y0 + q12 * y1 + q22 * y2;
    s = y0 * r0 + y1 * r1 + y2 * r2;
    const z0 = x0 + 0.5 * (a0 + r0 - y0 * s);
    const z1 = x1 + 0.5 * (a1 + r1 - y1 * s);
    const z2 = x2 + 0.5 * (a2 + r2 - y2 * s);
    const inv = 1 / Math.sqrt(z0 * z0 + z1 * z1 + z2 * z2);
    x[o] = z0 * inv;
    x[o + 1] = z1 * inv;
    x[o + 2] = z2 * inv;
  }
}

/** g = dQ y − y (yᵀ dQ y) for y = x[o .. o+n). */
export function field(dq: Float64Array, x: Float64Array, o: number, n: number, g: Float64Array): void {
  let s = 0;
  for (let i = 0; i < n; i++) {
    let r = 0;
    const row = i * n;
    for (let j = 0; j < n; j++) r += dq[row + j] * x[o + j];
    g[i] = r;
    s += x[o + i] * r;
  }
  for (let i = 0; i < n; i++) g[i] -= x[o + i] * s;
}

/** Validate points: m rows of length n on the unit sphere (|‖x‖ − 1| ≤ 1e-9). */
export function requireOnSphere(x: Float64Array, n: number, m: number): void {
  if (x.length !== n * m) throw new RangeError(`points must have m·n = ${m * n} entries, got ${x.length}`);
  for (let p = 0; p < m; p++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[p * n + i] ** 2;
    if (!(Math.abs(Math.sqrt(s) - 1) <= 1e-9)) {
      throw new RangeError(
        `point ${p} is not on the unit sphere S^${n - 1}: its norm is ${Math.sqrt(s)} (expected 1 ± 1e-9)`,
      );
    }
  }
}

/** m independent uniform points on S^{n−1} (normalised Gaussians). */
export function uniformOnSphere(stream: Stream, n: number, m: number): Float64Array {
  requireInteger("n", n, 2);
  requireInteger("m", m, 1);
  const x = stream.fillNormal(new Float64Array(n * m));
  for (let p = 0; p < m; p++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[p * n + i] ** 2;
    const inv = 1 / Math.sqrt(s);
    for (let i = 0; i < n; i++) x[p * n + i] *= inv;
  }
  return x;
}

/** Two points on S^{n−1} with inner product z: e₁ and z e₁ + √(1−z²) e₂. */
export function pairWithInnerProduct(n: number, z: number): Float64Array {
  requireInteger("n", n, 2);
  if (!(z >= -1 && z <= 1)) throw new RangeError(`z must be in [−1, 1], got ${z}`);
  const x = new Float64Array(2 * n);
  x[0] = 1;
  x[n] = z;
  x[n + 1] = Math.sqrt(1 - z * z);
  return x;
}
