import { SymmetricEigen } from "../linalg/symmetric-eigen";
import type { Stream } from "../random/stream";
import { requireInteger } from "../util/validate";
import type { Estimate } from "../stats/estimate";

/** A Hessian-vector product: writes H·v into out (both of length dim). */
export type Hvp = (v: Float64Array, out: Float64Array) => void;

/** What `lanczosTop` returns. */
export interface LanczosResult {
  /** The k largest Ritz values, descending (the top one is the sharpness). */
  eigenvalues: Float64Array;
  /**
   * ‖H y − θ y‖ for each unit Ritz vector y: for a symmetric H some true eigenvalue lies within
   * this distance of θ (the stated tolerance of each eigenvalue).
   */
  residuals: Float64Array;
  /** Lanczos steps taken (HVPs, plus k for the residuals). */
  steps: number;
  /** The unit Ritz vectors of the k eigenvalues (a warm start for the next call: option `start`). */
  vectors: Float64Array[];
}

/**
 * The k largest eigenvalues of a symmetric operator given only through Hessian-vector products,
 * by the Lanczos method with full reorthogonalisation (Paige 1972; as PyHessian does for the top
 * eigenvalues of network Hessians). The start vector is `start` if given (e.g. the previous call's
 * top Ritz vector, along a training run) or Gaussian from `stream`. After `steps`
 * iterations (default min(dim, 60); fewer if an invariant subspace is found) the tridiagonal
 * matrix's top eigenvalues are the Ritz values; their Ritz vectors are formed and their residuals
 * measured with one more HVP each, so every eigenvalue comes with a rigorous error bound.
 *
 * Errors: a RangeError for k outside 1…steps or a bad dimension.
 */
export function lanczosTop(
  hvp: Hvp,
  dim: number,
  o: { k?: number; steps?: number; stream: Stream; start?: Float64Array },
): LanczosResult {
  requireInteger("dim", dim, 1);
  const m0 = o.steps ?? Math.min(dim, 60);
  requireInteger("steps", m0, 1, dim);
  const k = o.k ?? 1;
  requireInteger("k (number of eigenvalues)", k, 1, m0);
  if (o.start && o.start.length !== dim)
    throw new RangeError(`start has ${o.start.length} entries, the operator's dimension is ${dim}`);
  const {
    alpha,
    beta,
    basis: Q,
    steps: m,
  } = lanczosTridiagonal(hvp, o.start ? Float64Array.from(o.start) : o.stream.fillNormal(new Float64Array(dim)), m0);
  const T = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    T[i * m + i] = alpha[i];
    if (i + 1 < m) T[i * m + i + 1] = T[(i + 1) * m + i] = beta[i];
  }
  const ritz = new SymmetricEigen(m).values(T);
  const kk = Math.min(k, m);
  const eigenvalues = Float64Array.from({ length: kk }, (_, j) => ritz[m - 1 - j]);
  const residuals = new Float64Array(kk);
  const vectors: Float64Array[] = [];
  const hy = new Float64Array(dim);
  for (let j = 0; j < kk; j++) {
    const s = tridiagonalEigenvector(alpha, beta, m, eigenvalues[j]);
    const y = new Float64Array(dim);
    for (let i = 0; i < m; i++) for (let t = 0; t < dim; t++) y[t] += s[i] * Q[i][t];
    normalize(y);
    vectors.push(y);
    hvp(y, hy);
    let r = 0;
    for (let t = 0; t < dim; t++) r += (hy[t] - eigenvalues[j] * y[t]) ** 2;
    residuals[j] = Math.sqrt(r);
  }
  return { eigenvalues, residuals, steps: m + kk, vectors };
}

/** The Lanczos recurrence's output: T = tridiag(beta, alpha, beta) = Qᵀ H Q on the orthonormal basis Q. */
export interface LanczosTridiagonal {
  alpha: number[];
  /** steps − 1 off-diagonal entries. */
  beta: number[];
  /** The orthonormal Lanczos vectors q₁ … q_steps (q₁ = the normalised start). */
  basis: Float64Array[];
  /** Steps taken: the requested number, or fewer when an invariant subspace was found (T's eigenvalues are then exact eigenvalues of H). */
  steps: number;
}

/**
 * `steps` iterations of the Lanczos recurrence on a symmetric operator from `start` (normalised
 * here; it is overwritten), with full reorthogonalisation, twice, against every earlier vector
 * (Paige 1972's loss of orthogonality is then at rounding level). Shared by lanczosTop and
 * stochastic Lanczos quadrature. Errors: a RangeError for a zero start or a zero operator.
 */
export function lanczosTridiagonal(hvp: Hvp, start: Float64Array, steps: number): LanczosTridiagonal {
  const dim = start.length;
  requireInteger("steps", steps, 1, dim);
  const Q: Float64Array[] = [];
  const alpha: number[] = [],
    beta: number[] = [];
  let q = start;
  normalize(q);
  const w = new Float64Array(dim);
  let m = 0;
  for (; m < steps; m++) {
    Q.push(q);
    hvp(q, w);
    alpha.push(dot(w, q));
    for (let pass = 0; pass < 2; pass++)
      for (const p of Q) {
        const c = dot(w, p);
        for (let i = 0; i < dim; i++) w[i] -= c * p[i];
      }
    const b = Math.sqrt(dot(w, w));
    if (m + 1 === steps) {
      m++;
      break;
    }
    const scale = Math.max(...alpha.map(Math.abs), 1e-300);
    if (b <= 1e-12 * scale) {
      m++;
      break;
    } // invariant subspace: the Ritz values are exact
    beta.push(b);
    q = Float64Array.from(w, (x) => x / b);
  }
  return { alpha, beta, basis: Q, steps: m };
}

/** What `hutchinsonTrace` returns: the estimate of tr H (`value`) with its standard error (`se`), and the number of probes. */
export interface TraceEstimate extends Estimate {
  probes: number;
}

/**
 * Hutchinson's estimator of tr H: the mean of zᵀHz over Rademacher probes z (Hutchinson 1989), with
 * its standard error sd/√probes (the variance of one probe is 2Σ_{i≠j}H_ij²). Errors: a RangeError
 * for fewer than two probes.
 */
export function hutchinsonTrace(hvp: Hvp, dim: number, o: { probes: number; stream: Stream }): TraceEstimate {
  requireInteger("dim", dim, 1);
  requireInteger("probes", o.probes, 2);
  const z = new Float64Array(dim),
    hz = new Float64Array(dim);
  const vals: number[] = [];
  for (let p = 0; p < o.probes; p++) {
    for (let i = 0; i < dim; i++) z[i] = o.stream.uniform() < 0.5 ? -1 : 1;
    hvp(z, hz);
    vals.push(dot(z, hz));
  }
  const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
  const sd = Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / (vals.length - 1));
  return { value: mean, se: sd / Math.sqrt(vals.length), probes: o.probes };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function normalize(a: Float64Array): void {
  const n = Math.sqrt(dot(a, a));
  if (!(n > 0)) throw new RangeError("lanczosTop: a zero vector (is the operator zero?)");
  for (let i = 0; i < a.length; i++) a[i] /= n;
}

/** Eigenvector of the m×m symmetric tridiagonal (alpha, beta) for eigenvalue θ, by inverse iteration (three sweeps). */
function tridiagonalEigenvector(alpha: number[], beta: number[], m: number, theta: number): Float64Array {
  const scale = Math.max(...alpha.map(Math.abs), ...beta.map(Math.abs), 1e-300);
  const shift = theta + 1e-10 * scale; // keeps T − shift·I nonsingular
  let x = new Float64Array(m).fill(1);
  for (let it = 0; it < 3; it++) {
    // solve (T − shift I) y = x by the Thomas algorithm with partial safeguards
    const c = new Float64Array(m),
      d = new Float64Array(m),
      y = new Float64Array(m);
    let denom = alpha[0] - shift;
    if (denom === 0) denom = 1e-300;
    c[0] = m > 1 ? beta[0] / denom : 0;
    d[0] = x[0] / denom;
    for (let i = 1; i < m; i++) {
      denom = alpha[i] - shift - beta[i - 1] * c[i - 1];
      if (denom === 0) denom = 1e-300;
      c[i] = i + 1 < m ? beta[i] / denom : 0;
      d[i] = (x[i] - beta[i - 1] * d[i - 1]) / denom;
    }
    y[m - 1] = d[m - 1];
    for (let i = m - 2; i >= 0; i--) y[i] = d[i] - c[i] * y[i + 1];
    const n = Math.sqrt(y.reduce((a, b) => a + b * b, 0));
    x = y.map((v) => v / n);
  }
  return x;
}
