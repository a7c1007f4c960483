import { requireInteger, requireLength } from "../util/validate";
import { wasmHeap, wasmKernel } from "../kernels/wasm";

/** The size from which the wasm reduction is used (below it, copying into wasm memory costs more than it saves). */
const WASM_FROM = 32;

/**
 * Eigenvalues of a real symmetric n×n matrix (row-major Float64Array): Householder reduction to
 * tridiagonal form, then the implicit QL algorithm with Wilkinson shifts on the tridiagonal matrix.
 *
 * Why hand-written: the spectra in the random-matrix notebooks need eigenvalues only, of matrices up
 * to 1000×1000 and of thousands of tiny ones. ml-matrix's EigenvalueDecomposition always
 * accumulates eigenvectors (≈ 9n³ flops instead of ≈ 4n³/3) and stores rows as separate arrays;
 * here the reduction touches only the lower triangle of one contiguous Float64Array, the QL sweep
 * is O(n²), and all workspace is allocated once per size. From n = 32 on, the reduction runs in the
 * WebAssembly SIMD kernel of lib/kernels (wasm/tridiagonal.ts: the rank-2 update and the next
 * symmetric product fused into one sweep); below that, and when the module is not built, in the JS
 * loop here. The two agree to rounding (tested); `npm run bench` compares both with ml-matrix and,
 * when Python is present, with LAPACK.
 *
 * `SymmetricEigen(n)` owns its workspace, so `values(a, out)` allocates nothing: call it in a loop.
 */
export class SymmetricEigen {
  readonly n: number;
  private readonly a: Float64Array;
  private readonly d: Float64Array;
  private readonly e: Float64Array;
  private readonly v: Float64Array;
  private readonly p: Float64Array;

  constructor(n: number) {
    requireInteger("n", n, 1);
    this.n = n;
    this.a = new Float64Array(n * n);
    this.d = new Float64Array(n);
    this.e = new Float64Array(n);
    this.v = new Float64Array(n);
    this.p = new Float64Array(n);
  }

  /**
   * Eigenvalues of the symmetric matrix `matrix` in ascending order, written to `out` (allocated
   * when omitted). The input is not modified. Throws if the matrix is not symmetric to within
   * `symmetryTol` times its largest entry (pass Infinity to skip the O(n²) check), or if QL does
   * not converge (which for a finite symmetric matrix signals NaN or Inf entries).
   */
  values(matrix: ArrayLike<number>, out: Float64Array = new Float64Array(this.n), symmetryTol = 1e-12): Float64Array {
    const n = this.n;
    requireLength("matrix (n·n entries, row-major)", matrix, n * n);
    requireLength("out", out, n);
    if (symmetryTol !== Infinity) requireSymmetric(matrix, n, symmetryTol);
    if (n >= WASM_FROM && this.useWasm && wasmKernel()) this.tridiagonalizeWasm(matrix);
    else {
      const a = this.a;
      for (let k = 0; k < n * n; k++) a[k] = matrix[k];
      this.tridiagonalize();
    }
    this.ql();
    const d = this.d;
    for (let i = 0; i < n; i++) out[i] = d[i];
    out.sort();
    return out;
  }

  /** Whether `values` may use the wasm reduction (set false to force the JS loop, e.g. to compare them). */
  useWasm = true;

  /** The reduction in the wasm kernel: the matrix is copied into its memory, d and e copied back. */
  private tridiagonalizeWasm(matrix: ArrayLike<number>): void {
    const n = this.n,
      nn = n * n;
    const heap = wasmHeap(nn + 6 * n);
    if (matrix instanceof Float64Array) heap.set(matrix, 0);
    else for (let k = 0; k < nn; k++) heap[k] = matrix[k];
    const off = (slot: number) => 8 * (nn + slot * n);
    wasmKernel()!.tridiagonalize(0, n, off(0), off(1), off(2), off(3), off(4), off(5));
    this.d.set(heap.subarray(nn, nn + n));
    this.e.set(heap.subarray(nn + n, nn + 2 * n));
  }

  /**
   * Householder tridiagonalisation on the lower triangle of this.a: after it, d holds the diagonal
   * and e[1..n) the sub-diagonal of T = QᵀAQ (e[0] = 0). Only the trailing block is updated, by the
   * symmetric rank-2 update A ← A − v wᵀ − w vᵀ, with w = p − (βvᵀp/2) v and p = βAv.
   */
  private tridiagonalize(): void {
    const { n, a, d, e, v, p } = this;
    e[0] = 0;
    for (let k = 0; k < n - 2; k++) {
      // x = A[k+1.., k]; reflect it onto −sign(x₀)|x| e₁.
      let scale = 0;
      for (let i = k + 1; i < n; i++) scale += Math.abs(a[i * n + k]);
      d[k] = a[k * n + k];
      if (scale === 0) {
        e[k + 1] = 0;
        continue;
      }
      let h = 0;
      for (let i = k + 1; i < n; i++) {
        const x = a[i * n + k] / scale; // scaled to avoid overflow and underflow in h
        v[i] = x;
        h += x * x;
      }
      const x0 = v[k + 1];
      const g = x0 >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
      e[k + 1] = scale * g;
      h -= x0 * g; // = vᵀv / 2 with v = x − g e₁
      v[k + 1] = x0 - g;
      // p = A' v / h, using the lower triangle of the trailing block A' = A[k+1.., k+1..].
      for (let i = k + 1; i < n; i++) p[i] = 0;
      for (let i = k + 1; i < n; i++) {
        const row = i * n;
        const vi = v[i];
        let s = a[row + i] * vi;
        for (let j = k + 1; j < i; j++) {
          const aij = a[row + j];
          s += aij * v[j];
          p[j] += aij * vi;
        }
        p[i] += s;
      }
      let vp = 0;
      for (let i = k + 1; i < n; i++) {
        p[i] /= h;
        vp += v[i] * p[i];
      }
      const kk = vp / (2 * h);
      for (let i = k + 1; i < n; i++) p[i] -= kk * v[i]; // p is now w
      for (let i = k + 1; i < n; i++) {
        const row = i * n;
        const vi = v[i],
          wi = p[i];
        for (let j = k + 1; j <= i; j++) a[row + j] -= vi * p[j] + wi * v[j];
      }
    }
    if (n >= 2) {
      d[n - 2] = a[(n - 2) * n + n - 2];
      e[n - 1] = a[(n - 1) * n + n - 2];
    }
    d[n - 1] = a[(n - 1) * n + n - 1];
  }

  /** Implicit QL with Wilkinson shifts on (d, e): eigenvalues left in d (unsorted). */
  private ql(): void {
    const { n, d, e } = this;
    for (let i = 1; i < n; i++) e[i - 1] = e[i];
    e[n - 1] = 0;
    for (let l = 0; l < n; l++) {
      let iter = 0;
      for (;;) {
        // Find a negligible off-diagonal element e[m] to split the matrix.
        let m = l;
        for (; m < n - 1; m++) {
          const dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
          if (Math.abs(e[m]) <= Number.EPSILON * dd) break;
        }
        if (m === l) break;
        if (++iter > 60)
          throw new Error(`SymmetricEigen: QL did not converge for eigenvalue ${l} (NaN or Inf in the matrix?)`);
        // Wilkinson shift from the leading 2×2 block.
        let g = (d[l + 1] - d[l]) / (2 * e[l]);
        let r = Math.hypot(g, 1);
        g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
        let s = 1,
          c = 1,
          pp = 0;
        let i = m - 1;
        let underflow = false;
        for (; i >= l; i--) {
          const f = s * e[i];
          const b = c * e[i];
          r = Math.hypot(f, g);
          e[i + 1] = r;
          if (r === 0) {
            d[i + 1] -= pp;
            e[m] = 0;
            underflow = true;
            break;
          }
          s = f / r;
          c = g / r;
          g = d[i + 1] - pp;
          r = (d[i] - g) * s + 2 * c * b;
          pp = s * r;
          d[i + 1] = g + pp;
          g = c * r - b;
        }
        if (underflow) continue;
        d[l] -= pp;
        e[l] = g;
        e[m] = 0;
      }
    }
    if (!d.every(Number.isFinite)) throw new Error("SymmetricEigen: non-finite eigenvalue (NaN or Inf in the matrix)");
  }
}

/** Eigenvalues (ascending) of a symmetric n×n row-major matrix; allocates a solver per call. */
export function symmetricEigenvalues(matrix: ArrayLike<number>, n: number): Float64Array {
  return new SymmetricEigen(n).values(matrix);
}

/**
 * Throws a RangeError naming the worst pair when |A_ij − A_ji| > tol·max|A|: an eigen-solver for
 * symmetric matrices given a non-symmetric one returns the spectrum of its lower triangle, silently.
 */
export function requireSymmetric(a: ArrayLike<number>, n: number, tol = 1e-12): void {
  let amax = 0;
  for (let k = 0; k < n * n; k++) {
    const x = Math.abs(a[k]);
    if (!(x <= amax)) amax = x; // also catches NaN
  }
  if (!Number.isFinite(amax)) throw new RangeError("matrix has a NaN or Inf entry");
  let worst = 0,
    wi = 0,
    wj = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const diff = Math.abs(a[i * n + j] - a[j * n + i]);
      if (diff > worst) {
        worst = diff;
        wi = i;
        wj = j;
      }
    }
  }
  if (worst > tol * amax) {
    throw new RangeError(
      `matrix is not symmetric: |A[${wi}][${wj}] − A[${wj}][${wi}]| = ${worst.toExponential(3)} > ${tol} × max|A| = ${(tol * amax).toExponential(3)}`,
    );
  }
}
