import { requireInteger, requireLength } from "../util/validate";
import { Stream } from "../random/stream";

/**
 * The QR (Benettin) method for Lyapunov exponents of a product of linear maps
 * Y_n = M_n ⋯ M_1: k orthonormal tangent vectors are pushed through each map and re-orthonormalised
 * (modified Gram–Schmidt, with a second pass where the first cancelled most of a vector); the logs of the diagonal of R add
 * up to n·λ_i (Benettin et al. 1980; Shimada & Nagashima 1979).
 *
 * The starting basis is generic: k Gaussian vectors (from a fixed stream, so runs are reproducible)
 * orthonormalised. A coordinate basis would be blind to growth outside an invariant coordinate
 * subspace, e.g. when e₁ happens to be an eigenvector of every factor. Pass `initial` to choose.
 *
 * Storage is k columns of length d, contiguous per column. No allocation after construction.
 */
export class QrLyapunov {
  readonly d: number;
  readonly k: number;
  /** Σ log R_ii so far, one per exponent. */
  readonly logSums: Float64Array;
  private readonly q: Float64Array;
  private readonly y: Float64Array;

  constructor(d: number, k = d, initial?: Float64Array) {
    requireInteger("d (dimension)", d, 1);
    requireInteger("k (number of exponents)", k, 1, d);
    this.d = d;
    this.k = k;
    this.logSums = new Float64Array(k);
    this.y = new Float64Array(d * k);
    if (initial) {
      requireLength("initial (d·k entries, column by column)", initial, d * k);
      this.q = Float64Array.from(initial);
    } else {
      this.q = new Stream("QrLyapunov.basis", d).fillNormal(new Float64Array(d * k));
    }
    this.orthonormalize();
    this.logSums.fill(0);
  }

  /** Orthonormal tangent vectors, column c at [c·d, (c+1)·d). */
  get basis(): Float64Array {
    return this.q;
  }

  /** Push the tangent vectors through a d×d row-major matrix M and re-orthonormalise. */
  applyMatrix(m: Float64Array): void {
    const { d, k, q, y } = this;
    requireLength("M (d·d entries)", m, d * d);
    multiplyColumns(m, q, y, d, k);
    this.q.set(y);
    this.orthonormalize();
  }

  /**
   * Re-orthonormalise the basis after it was changed in place (e.g. by a variational equation
   * integrated on `basis`), and add log R_ii to the sums.
   */
  orthonormalize(): void {
    const { d, k, q } = this;
    for (let c = 0; c < k; c++) {
      const qc = c * d;
      let norm2 = 0;
      for (let i = 0; i < d; i++) norm2 += q[qc + i] * q[qc + i];
      // Modified Gram–Schmidt, repeated only when a pass cancelled most of the vector: if the norm
      // after a pass is still ≥ 1/√2 of the norm before it, the result is orthogonal to working
      // precision ("twice is enough": Daniel, Gragg, Kaufman & Stewart 1976; Giraud, Langou &
      // Rozložník 2005). Chaotic maps rarely trigger the second pass, which halves the O(d·k²) cost.
      for (let pass = 0; pass < 2 && c > 0; pass++) {
        for (let p = 0; p < c; p++) {
          const qp = p * d;
          let r = 0;
          for (let i = 0; i < d; i++) r += q[qp + i] * q[qc + i];
          for (let i = 0; i < d; i++) q[qc + i] -= r * q[qp + i];
        }
        const previous = norm2;
        norm2 = 0;
        for (let i = 0; i < d; i++) norm2 += q[qc + i] * q[qc + i];
        if (norm2 >= 0.5 * previous) break;
      }
      const norm = Math.sqrt(norm2);
      if (!(norm > 0) || !Number.isFinite(norm)) {
        throw new RangeError(
          `QrLyapunov: tangent vector ${c} became ${norm === 0 ? "zero" : "non-finite"}; re-orthonormalise more often`,
        );
      }
      this.logSums[c] += Math.log(norm);
      const inv = 1 / norm;
      for (let i = 0; i < d; i++) q[qc + i] *= inv;
    }
  }

  /** Exponents λ_i = logSums_i / time. */
  exponents(time: number): Float64Array {
    const out = new Float64Array(this.k);
    for (let c = 0; c < this.k; c++) out[c] = this.logSums[c] / time;
    return out;
  }

  /** Forget the sums (after a transient), keep the current basis. */
  resetSums(): void {
    this.logSums.fill(0);
  }
}

/**
 * out = M·Q for k columns of length d (Q and out column by column, M d×d row-major); out must not
 * alias q. The product step of the QR method (hand-written: allocation-free inner loop).
 */
export function multiplyColumns(m: Float64Array, q: Float64Array, out: Float64Array, d: number, k: number): void {
  for (let c = 0; c < k; c++) {
    const qc = c * d;
    for (let i = 0; i < d; i++) {
      let s = 0;
      const mi = i * d;
      for (let j = 0; j < d; j++) s += m[mi + j] * q[qc + j];
      out[qc + i] = s;
    }
  }
}
