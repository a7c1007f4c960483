import type { ResidualModel } from "../models/residual-model";
import { allSamples } from "../models/residual-model";
import { minimumFrame, MinimumFrame } from "../manifold/minima";

/**
 * The linearisation of GD and SGD at a global minimum x*, in coordinates of the normal space.
 *
 * Every φ̂_i(x) = x − η∇L_i(x) fixes each point of M, and Dφ̂_i(x*) = I − η Hess L_i(x*) with
 * Hess L_i(x*) = 2 g_i g_iᵀ, g_i = ∇r_i(x*) (the residual term vanishes on M). Each g_i lies in the
 * normal space (T_{x*}M)^⊥ = span{g_j}, so the tangent space is fixed pointwise and the normal
 * space is invariant: with an orthonormal normal basis U (D×r) and ĝ_i = Uᵀg_i ∈ R^r,
 *   A_i(x*) = Dφ̂_i(x*)|_normal = I_r − 2η ĝ_i ĝ_iᵀ,
 *   A_B(x*) = I_r − (2η/|B|) Σ_{i∈B} ĝ_i ĝ_iᵀ  (a minibatch B),
 *   Dφ(x*)|_normal = I_r − η Ĥ,  Ĥ = (2/N) Σ_i ĝ_i ĝ_iᵀ = Uᵀ Hess L(x*) U.
 * The factors are rank-|B| updates of the identity, applied here without forming matrices.
 */
export class NormalLinearization {
  readonly frame: MinimumFrame;
  /** Normal-space dimension r. */
  readonly rank: number;
  /** Number of samples N. */
  readonly n: number;
  /** Projected per-sample gradients ĝ_i, N × r row-major. */
  readonly g: Float64Array;
  private readonly coef: Float64Array;

  constructor(model: ResidualModel, xStar: Float64Array, o: { tol?: number } = {}) {
    this.frame = minimumFrame(model, xStar, { tol: o.tol });
    const D = model.dim,
      r = this.frame.rank;
    this.rank = r;
    this.n = model.n;
    this.g = new Float64Array(model.n * r);
    const full = new Float64Array(D);
    for (let i = 0; i < model.n; i++) {
      model.residualGradient(i, this.frame.x, full);
      for (let k = 0; k < r; k++) {
        let s = 0;
        for (let j = 0; j < D; j++) s += this.frame.normal[k * D + j] * full[j];
        this.g[i * r + k] = s;
      }
    }
    this.coef = new Float64Array(model.n);
  }

  /** Ĥ = Uᵀ Hess L(x*) U (r×r, row-major). */
  hessian(): Float64Array {
    return this.batchHessian(allSamples(this.n));
  }

  /** Ĥ_B = (1/|B|) Σ_{i∈B} 2 ĝ_iĝ_iᵀ (r×r, row-major). */
  batchHessian(batch: ArrayLike<number>): Float64Array {
    const r = this.rank,
      h = new Float64Array(r * r);
    const w = 2 / batch.length;
    for (let b = 0; b < batch.length; b++) {
      const o = batch[b] * r;
      for (let p = 0; p < r; p++) for (let q = 0; q < r; q++) h[p * r + q] += w * this.g[o + p] * this.g[o + q];
    }
    return h;
  }

  /**
   * v ← A_B v for each of `count` vectors of length r stored one after another in `vectors`
   * (the QR basis): v − (2η/|B|) Σ_{i∈B} ĝ_i (ĝ_iᵀ v), with all dot products taken before the update.
   */
  applyBatch(eta: number, batch: ArrayLike<number>, vectors: Float64Array, count: number): void {
    const r = this.rank,
      g = this.g,
      coef = this.coef;
    const w = (2 * eta) / batch.length;
    for (let c = 0; c < count; c++) {
      const vo = c * r;
      for (let b = 0; b < batch.length; b++) {
        const o = batch[b] * r;
        let s = 0;
        for (let p = 0; p < r; p++) s += g[o + p] * vectors[vo + p];
        coef[b] = w * s;
      }
      for (let b = 0; b < batch.length; b++) {
        const o = batch[b] * r,
          cb = coef[b];
        for (let p = 0; p < r; p++) vectors[vo + p] -= cb * g[o + p];
      }
    }
  }
}
