import { Stream } from "../random/stream";
import { requireInteger, requireLength, requireAllFinite } from "../util/validate";

/** What `leastSquares` returns. */
export interface LeastSquares {
  /** Number of samples N. */
  n: number;
  /** Number of parameters D. */
  dim: number;
  /** Rows a_i, row-major N × D. */
  a: Float64Array;
  /** Targets b_i. */
  b: Float64Array;
}

/**
 * A least-squares problem L(x) = (1/N) Σ_i L_i(x), L_i(x) = (a_iᵀx − b_i)², with data rows a_i ∈ R^D.
 * The talk's loss with Φ(x, y_i) = a_iᵀx linear in the parameters x.
 */
export function leastSquares(a: Float64Array, b: Float64Array, dim: number): LeastSquares {
  requireInteger("dim", dim, 1);
  const n = b.length;
  requireInteger("number of samples", n, 1);
  requireLength("a (N·D entries)", a, n * dim);
  requireAllFinite("a", a);
  requireAllFinite("b", b);
  return { n, dim, a, b };
}

/** A random problem: a_i ~ N(0, I_D / D) and b = A x_true + noise·N(0, 1). */
export function randomLeastSquares(stream: Stream, n: number, dim: number, noise = 0): LeastSquares {
  requireInteger("n", n, 1);
  requireInteger("dim", dim, 1);
  const a = stream.fillNormal(new Float64Array(n * dim));
  const s = 1 / Math.sqrt(dim);
  for (let k = 0; k < a.length; k++) a[k] *= s;
  const xTrue = stream.fillNormal(new Float64Array(dim));
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let j = 0; j < dim; j++) r += a[i * dim + j] * xTrue[j];
    b[i] = r + noise * stream.normal();
  }
  return { n, dim, a, b };
}

/** Residual a_iᵀx − b_i of sample i. */
export function residual(p: LeastSquares, i: number, x: ArrayLike<number>): number {
  let r = -p.b[i];
  const row = i * p.dim;
  for (let j = 0; j < p.dim; j++) r += p.a[row + j] * x[j];
  return r;
}

/** Full loss L(x) = (1/N) Σ_i (a_iᵀx − b_i)². */
export function loss(p: LeastSquares, x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < p.n; i++) s += residual(p, i, x) ** 2;
  return s / p.n;
}
