import type { ResidualModel } from "../models/residual-model";
import { pivotedQr } from "../linalg/pivoted-qr";
import { requireLength, requirePositive, requireInteger } from "../util/validate";

/**
 * The manifold of global minima M = {x : L(x) = 0} = {x : r_i(x) = 0 for all i}.
 *
 * At x* ∈ M the tangent space T_{x*}M is the kernel of the residual Jacobian J (N×D) and the
 * normal space (T_{x*}M)^⊥ is its row space, span{∇r_i(x*)}. Its dimension, the rank of J, is the
 * codimension of M (the "manifold" assumption of the theorems: the rank is constant along M).
 */

/** Default tolerance on max_i |r_i| for "this point is a global minimum". */
export const MINIMUM_TOLERANCE = 1e-8;

function maxAbsResidual(m: ResidualModel, x: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < m.n; i++) {
    const r = Math.abs(m.residual(i, x));
    if (!(r <= worst)) worst = r; // NaN propagates as "worst"
  }
  return worst;
}

/** Throw a RangeError, reporting the residual, unless x is a global minimum within tol. */
export function requireMinimum(m: ResidualModel, x: Float64Array, tol = MINIMUM_TOLERANCE): void {
  requireLength(`x (one entry per parameter, D = ${m.dim})`, x, m.dim);
  const r = maxAbsResidual(m, x);
  if (!(r <= tol)) {
    throw new RangeError(
      `x is not a global minimum: max_i |r_i(x)| = ${r.toExponential(3)} > tolerance ${tol.toExponential(1)} (L(x) > 0); project it onto M first (projectOntoMinima)`,
    );
  }
}

function jacobianColumns(
  m: ResidualModel,
  x: Float64Array,
  out: Float64Array,
  scratch: Float64Array,
  res: Float64Array,
): void {
  // column i of Jᵀ is ∇r_i
  for (let i = 0; i < m.n; i++) {
    res[i] = m.residualGradient(i, x, scratch);
    out.set(scratch, i * m.dim);
  }
}

/** What `minimumFrame` returns: orthonormal bases of the normal and tangent spaces of M at a minimum. */
export interface MinimumFrame {
  /** The point (a copy). */
  x: Float64Array;
  /** Codimension of M at x: dimension of the normal space. */
  rank: number;
  /** Orthonormal basis of the normal space, D × rank, column-major. */
  normal: Float64Array;
  /** Orthonormal basis of the tangent space, D × (D − rank), column-major. */
  tangent: Float64Array;
  /** max_i |r_i(x)|. */
  residual: number;
}

/**
 * Orthonormal bases of the normal and tangent spaces of M at a global minimum x (checked: a point
 * off M is an error). rtol decides the numerical rank of J relative to its largest pivot.
 */
export function minimumFrame(m: ResidualModel, x: Float64Array, o: { tol?: number; rtol?: number } = {}): MinimumFrame {
  requireMinimum(m, x, o.tol);
  const D = m.dim;
  const cols = new Float64Array(D * m.n),
    g = new Float64Array(D),
    res = new Float64Array(m.n);
  jacobianColumns(m, x, cols, g, res);
  const qr = pivotedQr(cols, D, m.n, o.rtol ?? 1e-9);
  if (qr.rank === 0)
    throw new RangeError("minimumFrame: every residual gradient vanishes at x; M is not a manifold there");
  return {
    x: Float64Array.from(x),
    rank: qr.rank,
    normal: qr.q.slice(0, D * qr.rank),
    tangent: qr.q.slice(D * qr.rank),
    residual: maxAbsResidual(m, x),
  };
}

/** What `projectOntoMinima` returns: the point of M reached and how far the projection moved. */
export interface Projection {
  /** The nearest point of M found (a copy). */
  x: Float64Array;
  /** max_i |r_i| there. */
  residual: number;
  /** |x − x₀|. */
  distance: number;
  iterations: number;
}

/**
 * Orthogonal projection of x₀ onto M: the point x ∈ M nearest to x₀, found by projecting x₀ onto
 * the linearised constraint {r(x_k) + J(x − x_k) = 0} again and again (a Gauss–Newton iteration for
 * min |x − x₀|² s.t. r(x) = 0, converging linearly near M at a rate set by its curvature times the
 * distance). Only the rank-many pivoted residuals enter the step; all are checked at the end.
 * Throws, reporting the residual, if it does not reach `tol` within `maxIterations`.
 */
export function projectOntoMinima(
  m: ResidualModel,
  x0: Float64Array,
  o: { tol?: number; maxIterations?: number; rtol?: number } = {},
): Projection {
  const D = m.dim;
  requireLength(`x0 (one entry per parameter, D = ${D})`, x0, D);
  const tol = o.tol ?? 1e-12;
  requirePositive("tol", tol);
  const maxIterations = o.maxIterations ?? 100;
  requireInteger("maxIterations", maxIterations, 1);
  const x = Float64Array.from(x0);
  const cols = new Float64Array(D * m.n),
    g = new Float64Array(D),
    res = new Float64Array(m.n);
  let residual = maxAbsResidual(m, x);
  for (let it = 1; it <= maxIterations; it++) {
    jacobianColumns(m, x, cols, g, res);
    const qr = pivotedQr(cols, D, m.n, o.rtol ?? 1e-9);
    const r = qr.rank;
    if (r === 0) throw new RangeError("projectOntoMinima: all residual gradients vanish; cannot project");
    // w_k = r_p(x) + ∇r_p(x)·(x₀ − x) for the pivoted residuals p; solve Rᵀu = w; x ← x₀ − Q_r u
    const u = new Float64Array(r);
    for (let k = 0; k < r; k++) {
      const p = qr.perm[k];
      let w = res[p];
      for (let j = 0; j < D; j++) w += cols[p * D + j] * (x0[j] - x[j]);
      for (let i = 0; i < k; i++) w -= qr.r[i + k * r] * u[i];
      u[k] = w / qr.r[k + k * r];
    }
    let step = 0;
    for (let j = 0; j < D; j++) {
      let s = x0[j];
      for (let k = 0; k < r; k++) s -= qr.q[k * D + j] * u[k];
      step = Math.max(step, Math.abs(s - x[j]));
      x[j] = s;
    }
    residual = maxAbsResidual(m, x);
    if (!Number.isFinite(residual)) break;
    if (residual <= tol && step <= 1e-13 * (1 + norm(x))) return { x, residual, distance: dist(x, x0), iterations: it };
  }
  throw new RangeError(
    `projectOntoMinima did not converge in ${maxIterations} iterations: max_i |r_i| = ${residual.toExponential(3)} (tolerance ${tol.toExponential(1)}); is x0 close enough to M?`,
  );
}

function norm(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

function dist(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}
