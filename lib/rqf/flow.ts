import { Stream } from "../random/stream";
import { fillSymmetricIncrement, RqfNormalisation } from "./noise";
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
    fillSymmetricIncrement(new Stream(0), n, dt, normalisation, this.dq, this.normals); // validates normalisation
  }

  /** Draw the next common increment dQ from the stream. */
  drawIncrement(stream: Stream): void {
    fillSymmetricIncrement(stream, this.n, this.dt, this.normalisation, this.dq, this.normals);
  }

  /** Advance every point by one Heun step with the current dQ, then renormalise. */
  stepPoints(x: Float64Array): void {
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
      throw new RangeError(`point ${p} is not on the unit sphere S^${n - 1}: its norm is ${Math.sqrt(s)} (expected 1 ± 1e-9)`);
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
