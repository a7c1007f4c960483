import { requireInteger, requireLength } from "../util/validate";

/** What `pivotedQr` returns. */
export interface PivotedQr {
  /** Numerical rank r. */
  rank: number;
  /** perm[k] = original column of A in position k. */
  perm: Int32Array;
  /** Full Q, D×D, column-major. */
  q: Float64Array;
  /** R, r×r upper triangular, column-major: R[i + k·r] (on the first r pivoted columns). */
  r: Float64Array;
  /** |R_kk| for k < r, and the first remaining column norm (0 when r = m). */
  diagonal: Float64Array;
}

/**
 * Householder QR with column pivoting of a D×m matrix A: A P = Q R, stopping at the
 * numerical rank r, i.e. when the largest remaining column norm falls below rtol times the first
 * pivot. Q is the full D×D orthogonal matrix: its first r columns span the range of A, the other
 * D − r its orthogonal complement. Used for the normal and tangent spaces of the manifold of minima
 * (A = Jᵀ), where the rank is the codimension of M and may be smaller than N (parallel residual
 * gradients, as in the factorisation model).
 *
 * Storage is column-major (column j of A at [jD, (j+1)D)) because every operation here is on columns.
 */
export function pivotedQr(aColumns: Float64Array, rows: number, cols: number, rtol = 1e-10): PivotedQr {
  requireInteger("rows (D)", rows, 1);
  requireInteger("cols (m)", cols, 0);
  requireLength("A (D·m entries, column-major)", aColumns, rows * cols);
  const D = rows,
    m = cols;
  const a = Float64Array.from(aColumns);
  const perm = new Int32Array(m);
  for (let j = 0; j < m; j++) perm[j] = j;
  const vs: Float64Array[] = [];
  const betas: number[] = [];
  const diag: number[] = [];
  let first = 0;
  let rank = 0;
  for (let k = 0; k < Math.min(m, D); k++) {
    // pivot: the remaining column with the largest norm below row k
    let best = -1,
      bestNorm = -1;
    for (let j = k; j < m; j++) {
      let s = 0;
      for (let i = k; i < D; i++) s += a[j * D + i] ** 2;
      if (s > bestNorm) {
        bestNorm = s;
        best = j;
      }
    }
    const norm = Math.sqrt(bestNorm);
    if (k === 0) first = norm;
    if (!(norm > rtol * first) || norm === 0) {
      diag.push(norm);
      break;
    }
    if (best !== k) {
      for (let i = 0; i < D; i++) {
        const t = a[k * D + i];
        a[k * D + i] = a[best * D + i];
        a[best * D + i] = t;
      }
      const t = perm[k];
      perm[k] = perm[best];
      perm[best] = t;
    }
    // Householder vector v (zero above row k) with (I − β v vᵀ) a_k = ∓norm e_k
    const v = new Float64Array(D);
    const alpha = a[k * D + k] >= 0 ? -norm : norm;
    for (let i = k; i < D; i++) v[i] = a[k * D + i];
    v[k] -= alpha;
    let vv = 0;
    for (let i = k; i < D; i++) vv += v[i] * v[i];
    const beta = vv > 0 ? 2 / vv : 0;
    for (let j = k; j < m; j++) {
      let s = 0;
      for (let i = k; i < D; i++) s += v[i] * a[j * D + i];
      s *= beta;
      for (let i = k; i < D; i++) a[j * D + i] -= s * v[i];
    }
    vs.push(v);
    betas.push(beta);
    diag.push(norm);
    rank++;
  }
  // Q = H_0 H_1 ⋯ H_{r−1}, applied to the identity from the right-most reflector
  const q = new Float64Array(D * D);
  for (let j = 0; j < D; j++) q[j * D + j] = 1;
  for (let k = rank - 1; k >= 0; k--) {
    const v = vs[k],
      beta = betas[k];
    for (let j = 0; j < D; j++) {
      let s = 0;
      for (let i = k; i < D; i++) s += v[i] * q[j * D + i];
      s *= beta;
      if (s !== 0) for (let i = k; i < D; i++) q[j * D + i] -= s * v[i];
    }
  }
  const r = new Float64Array(rank * rank);
  for (let k = 0; k < rank; k++) for (let i = 0; i <= k; i++) r[i + k * rank] = a[k * D + i];
  if (rank === Math.min(m, D)) diag.push(0);
  return { rank, perm, q, r, diagonal: Float64Array.from(diag) };
}
