import type { Objective } from "./mlp";
import { requireInteger } from "../util/validate";
import { NonFiniteError } from "./tape";

/**
 * The quadratic model L(x) = ½ xᵀHx for a symmetric dim × dim matrix H (row-major): gradient Hx,
 * Hessian-vector product Hv, exactly. GD on it, x ← (I − ηH)x, is stable iff η < 2/λ_max(H) (for
 * H ⪰ 0): the classical threshold that the edge of stability is measured against.
 * Errors: a RangeError if H is not dim × dim or not symmetric.
 */
export function quadraticObjective(H: ArrayLike<number>, dim: number): Objective {
  requireInteger("dim", dim, 1);
  if (H.length !== dim * dim)
    throw new RangeError(`H has ${H.length} entries, a ${dim} × ${dim} matrix needs ${dim * dim}`);
  for (let i = 0; i < dim; i++)
    for (let j = 0; j < i; j++) {
      if (
        Math.abs(H[i * dim + j] - H[j * dim + i]) >
        1e-12 * (Math.abs(H[i * dim + j]) + Math.abs(H[j * dim + i]) + 1e-300)
      )
        throw new RangeError(`H is not symmetric at (${i}, ${j})`);
    }
  const Hm = Float64Array.from(H);
  const times = (x: ArrayLike<number>) => {
    const y = new Float64Array(dim);
    for (let i = 0; i < dim; i++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += Hm[i * dim + j] * x[j];
      y[i] = s;
    }
    return y;
  };
  return {
    dim,
    evaluate(theta, v) {
      if (theta.length !== dim) throw new RangeError(`θ has ${theta.length} entries, the quadratic has ${dim}`);
      const gradient = times(theta);
      let loss = 0;
      for (let i = 0; i < dim; i++) loss += 0.5 * theta[i] * gradient[i];
      if (!Number.isFinite(loss)) throw new NonFiniteError(`quadratic: the loss is ${loss}`);
      return { loss, gradient, hvp: v ? times(v) : null };
    },
  };
}

/**
 * A symmetric matrix with the given eigenvalues in a random orthonormal basis (Gram–Schmidt on
 * Gaussian vectors from `normal`): H = Σ_k λ_k q_k q_kᵀ, row-major, with the unit eigenvectors q_k
 * (so that closed forms in the eigenbasis can be checked against anything run on H).
 */
export function matrixWithSpectrum(
  eigenvalues: ArrayLike<number>,
  normal: () => number,
): { H: Float64Array; eigenvectors: Float64Array[] } {
  const n = eigenvalues.length;
  const Q: Float64Array[] = [];
  for (let k = 0; k < n; k++) {
    const q = Float64Array.from({ length: n }, normal);
    for (let pass = 0; pass < 2; pass++)
      for (const p of Q) {
        let c = 0;
        for (let i = 0; i < n; i++) c += q[i] * p[i];
        for (let i = 0; i < n; i++) q[i] -= c * p[i];
      }
    const norm = Math.sqrt(q.reduce((a, b) => a + b * b, 0));
    for (let i = 0; i < n; i++) q[i] /= norm;
    Q.push(q);
  }
  const H = new Float64Array(n * n);
  for (let k = 0; k < n; k++)
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) H[i * n + j] += eigenvalues[k] * Q[k][i] * Q[k][j];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) H[i * n + j] = H[j * n + i] = 0.5 * (H[i * n + j] + H[j * n + i]);
  return { H, eigenvectors: Q };
}
