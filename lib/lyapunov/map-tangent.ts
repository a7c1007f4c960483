import type { Stream } from "../random/stream";
import { requireAllFinite, requireInteger, requireLength } from "../util/validate";
import type { TangentSystem } from "./tangent-system";

/**
 * A deterministic map x ↦ F(x) on R^dim with its Jacobian action. `map` writes F(x) into out;
 * `jacobianAction` writes DF(x)·v into out (v and out of length dim, distinct arrays). Neither may
 * allocate.
 */
export interface DeterministicMap {
  dim: number;
  map(x: Float64Array, out: Float64Array): void;
  jacobianAction(x: Float64Array, v: Float64Array, out: Float64Array): void;
}

/**
 * The map and its tangent map as a TangentSystem for `lyapunovSpectrum` (dt = 1: exponents are
 * per iteration). Each step pushes the tangent vectors through DF(x) at the current x, then moves x.
 * Errors: a RangeError for a bad x0, or when the orbit leaves the finite range.
 */
export function mapTangent(f: DeterministicMap, x0: ArrayLike<number>): TangentSystem {
  const dim = f.dim;
  requireInteger("dim", dim, 1);
  const start0 = Float64Array.from(x0);
  requireLength("x0", start0, dim);
  requireAllFinite("x0", start0);
  const x = new Float64Array(dim),
    next = new Float64Array(dim);
  const v = new Float64Array(dim),
    jv = new Float64Array(dim);
  return {
    dim,
    dt: 1,
    start(_stream: Stream) {
      x.set(start0);
    },
    advance(basis: Float64Array, k: number) {
      for (let c = 0; c < k; c++) {
        for (let i = 0; i < dim; i++) v[i] = basis[c * dim + i];
        f.jacobianAction(x, v, jv);
        for (let i = 0; i < dim; i++) basis[c * dim + i] = jv[i];
      }
      f.map(x, next);
      for (let i = 0; i < dim; i++) {
        if (!Number.isFinite(next[i]))
          throw new RangeError(`mapTangent: the orbit left the finite range (x[${i}] = ${next[i]})`);
      }
      x.set(next);
    },
  };
}

/**
 * The Hénon map (x, y) ↦ (1 − a x² + y, b x) (Hénon 1976), the classic chaotic map: at
 * a = 1.4, b = 0.3 its Lyapunov exponents are λ₁ ≈ 0.4192 and λ₂ = log b − λ₁ ≈ −1.6232 per
 * iteration (the Jacobian's determinant is −b everywhere), and its Kaplan–Yorke dimension ≈ 1.258.
 */
export function henonMap(a = 1.4, b = 0.3): DeterministicMap {
  return {
    dim: 2,
    map(x, out) {
      const x0 = x[0];
      out[0] = 1 - a * x0 * x0 + x[1];
      out[1] = b * x0;
    },
    jacobianAction(x, v, out) {
      out[0] = -2 * a * x[0] * v[0] + v[1];
      out[1] = b * v[0];
    },
  };
}
