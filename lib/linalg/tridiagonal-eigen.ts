import { requireAllFinite, requireInteger, requireLength } from "../util/validate";

/**
 * The number of eigenvalues below `x` of the symmetric tridiagonal matrix with diagonal `diag`
 * (length n) and off-diagonal `off` (length n − 1): the sign changes of the Sturm sequence
 * q_i = (d_i − x) − e_{i−1}²/q_{i−1} (Wilkinson 1965, §5.37). A zero pivot is replaced by −1e-300
 * and counted (LAPACK's dstebz does the same with its pivmin). Hand-written: the bisection below calls it 50–500 times per
 * eigenvalue (more for graded matrices), on grids of thousands of points, without allocation.
 */
export function sturmCount(diag: Float64Array, off: Float64Array, x: number): number {
  const n = diag.length;
  let count = 0,
    q = diag[0] - x;
  if (q === 0) q = -1e-300;
  if (q < 0) count++;
  for (let i = 1; i < n; i++) {
    const e = off[i - 1];
    q = diag[i] - x - (e * e) / q;
    if (q === 0) q = -1e-300;
    if (q < 0) count++;
  }
  return count;
}

/**
 * The `count` smallest eigenvalues (ascending) of a real symmetric tridiagonal matrix, by bisection
 * on the Sturm count inside the Gershgorin interval, each to relative accuracy ~2ε (absolute
 * floor 4ε·max(max|e_i|, min|d_i|)), so that graded matrices keep their small eigenvalues.
 * `gaussQuadrature`'s implicit QL also gives a tridiagonal spectrum, but only to accuracy ε‖T‖,
 * which loses every low level of a graded matrix; bisection also returns just the lowest few.
 * Method: Barth, Martin & Wilkinson (1967). Cost O(n · count · log₂(range/accuracy)), no allocation
 * beyond the output.
 *
 * Errors: RangeError for mismatched lengths, non-finite entries or count outside 1..n.
 */
export function tridiagonalEigenvalues(diag: Float64Array, off: Float64Array, count = diag.length): Float64Array {
  const n = diag.length;
  requireInteger("n (matrix size)", n, 1);
  requireLength("off-diagonal (n − 1 entries)", off, n - 1);
  requireAllFinite("diagonal", diag);
  requireAllFinite("off-diagonal", off);
  requireInteger("count (number of eigenvalues)", count, 1, n);
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const r = (i > 0 ? Math.abs(off[i - 1]) : 0) + (i < n - 1 ? Math.abs(off[i]) : 0);
    lo = Math.min(lo, diag[i] - r);
    hi = Math.max(hi, diag[i] + r);
  }
  // relative accuracy (graded matrices: a Fokker–Planck operator's wall rows are many orders of
  // magnitude above its low levels), with an absolute floor at the scale of the coupling
  const floor = 4 * Number.EPSILON * couplingScale(diag, off);
  const out = new Float64Array(count);
  let left = lo;
  for (let k = 0; k < count; k++) {
    // the (k+1)-th eigenvalue lies where the count first exceeds k
    let a = left,
      b = hi;
    while (b - a > Math.max(floor, 2 * Number.EPSILON * Math.max(Math.abs(a), Math.abs(b)))) {
      const m = 0.5 * (a + b);
      if (m === a || m === b) break;
      if (sturmCount(diag, off, m) > k) b = m;
      else a = m;
    }
    out[k] = 0.5 * (a + b);
    left = a;
  }
  return out;
}

/**
 * The unit eigenvector of a symmetric tridiagonal matrix for a computed eigenvalue `lambda`, by
 * inverse iteration: solve (T − (λ + δ)I) y = v with a small shift δ, twice, from a fixed start,
 * by Gaussian elimination with partial pivoting on the band (LAPACK's dstein method, simplified).
 * The sign is fixed so that the largest component is positive. Accurate for eigenvalues that are
 * separated from their neighbours by much more than δ = 1e3·ε·max(|λ|, max|e_i|, min|d_i|) (a scale
 * that ignores graded rows, such as a Fokker–Planck operator's wall).
 */
export function tridiagonalEigenvector(diag: Float64Array, off: Float64Array, lambda: number): Float64Array {
  const n = diag.length;
  requireLength("off-diagonal (n − 1 entries)", off, n - 1);
  const shift = lambda + 1e3 * Number.EPSILON * Math.max(Math.abs(lambda), couplingScale(diag, off));
  let y: Float64Array = new Float64Array(n).fill(1 / Math.sqrt(n));
  for (let it = 0; it < 3; it++) {
    y = solveShifted(diag, off, shift, y);
    let s = 0;
    for (let i = 0; i < n; i++) s += y[i] * y[i];
    const inv = 1 / Math.sqrt(s);
    for (let i = 0; i < n; i++) y[i] *= inv;
  }
  let big = 0;
  for (let i = 0; i < n; i++) if (Math.abs(y[i]) > Math.abs(y[big])) big = i;
  if (y[big] < 0) for (let i = 0; i < n; i++) y[i] = -y[i];
  return y;
}

/**
 * The scale of a graded tridiagonal matrix that its low eigenvalues live at: max(max|e_i|, min|d_i|),
 * ignoring rows whose diagonal is orders of magnitude larger (a wall). Never 0.
 */
function couplingScale(diag: Float64Array, off: Float64Array): number {
  let scale = 0,
    minDiag = Infinity;
  for (let i = 0; i < off.length; i++) scale = Math.max(scale, Math.abs(off[i]));
  for (let i = 0; i < diag.length; i++) minDiag = Math.min(minDiag, Math.abs(diag[i]));
  return Math.max(scale, minDiag, Number.MIN_VALUE);
}

/** (T − sI)⁻¹ b for tridiagonal T, by elimination with partial pivoting (fill-in: one extra superdiagonal). */
function solveShifted(diag: Float64Array, off: Float64Array, s: number, b: Float64Array): Float64Array {
  const n = diag.length;
  if (n === 1) return Float64Array.of(b[0] / (diag[0] - s || Number.EPSILON));
  // rows hold (sub, main, sup1, sup2) of the upper-triangular factor
  const d0 = new Float64Array(n),
    d1 = new Float64Array(n),
    d2 = new Float64Array(n),
    rhs = Float64Array.from(b);
  let m0 = diag[0] - s,
    m1 = off[0],
    m2 = 0;
  for (let i = 0; i < n - 1; i++) {
    const sub = off[i],
      nextMain = diag[i + 1] - s,
      nextSup = i + 1 < n - 1 ? off[i + 1] : 0;
    if (Math.abs(m0) >= Math.abs(sub)) {
      const f = m0 === 0 ? 0 : sub / m0;
      d0[i] = m0;
      d1[i] = m1;
      d2[i] = m2;
      rhs[i + 1] -= f * rhs[i];
      m0 = nextMain - f * m1;
      m1 = nextSup - f * m2;
      m2 = 0;
    } else {
      const f = m0 / sub;
      d0[i] = sub;
      d1[i] = nextMain;
      d2[i] = nextSup;
      const t = rhs[i];
      rhs[i] = rhs[i + 1];
      rhs[i + 1] = t - f * rhs[i + 1];
      const a = m1 - f * nextMain,
        c = m2 - f * nextSup;
      m0 = a;
      m1 = c;
      m2 = 0;
    }
  }
  d0[n - 1] = m0;
  const tiny = Number.EPSILON * 1e-3;
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let r = rhs[i];
    if (i + 1 < n) r -= d1[i] * x[i + 1];
    if (i + 2 < n) r -= d2[i] * x[i + 2];
    x[i] = r / (d0[i] === 0 ? tiny : d0[i]);
  }
  return x;
}
