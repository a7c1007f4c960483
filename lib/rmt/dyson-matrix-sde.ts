import type { SdeSystem } from "../sde/system";
import { requireSymmetric } from "../linalg/symmetric-eigen";
import { requireInteger, requireLength, requirePositive } from "../util/validate";

/**
 * The matrix Ornstein–Uhlenbeck SDE of `DysonMatrixOu`, dX = −Ω(X − C)dt + GOE-normalised noise,
 * as a generic `SdeSystem` on the n(n+1)/2 upper-triangle entries (row by row: X_ii, then X_ij for
 * j > i, the order in which DysonMatrixOu draws its normals). The noise is additive (Itô and
 * Stratonovich coincide): diagonal entries get √(2g²) dW, off-diagonal ones √(g²) dW. Both
 * Jacobians are given (constant), so `sdeTangent` applies: every exponent is −Ω.
 */
export function dysonMatrixSde(target: Float64Array, n: number, omega: number, g2: number): SdeSystem {
  requireInteger("n", n, 1);
  requireLength("target C (n·n)", target, n * n);
  requireSymmetric(target, n);
  requirePositive("omega Ω", omega);
  requirePositive("g²", g2);
  const m = (n * (n + 1)) / 2;
  const c = new Float64Array(m),
    scale = new Float64Array(m);
  for (let i = 0, p = 0; i < n; i++)
    for (let j = i; j < n; j++, p++) {
      c[p] = target[i * n + j];
      scale[p] = i === j ? Math.sqrt(2 * g2) : Math.sqrt(g2);
    }
  return {
    dim: m,
    noiseDim: m,
    drift(x, out) {
      for (let p = 0; p < m; p++) out[p] = -omega * (x[p] - c[p]);
    },
    diffusion(_x, out) {
      out.fill(0);
      for (let p = 0; p < m; p++) out[p * m + p] = scale[p];
    },
    driftJacobian(_x, out) {
      out.fill(0);
      for (let p = 0; p < m; p++) out[p * m + p] = -omega;
    },
    diffusionJacobian(_x, out) {
      out.fill(0);
    },
  };
}
