import { Stream } from "./stream";
import { requireInteger, requirePositive } from "../util/validate";

/**
 * Random matrices, returned row-major in a Float64Array (entry (i, j) at i·cols + j).
 * Conventions are stated with each function because the literature uses several.
 */

/** rows × cols matrix of independent N(0, σ²) entries. */
export function gaussianMatrix(stream: Stream, rows: number, cols: number, sigma = 1): Float64Array {
  requireInteger("rows", rows, 1);
  requireInteger("cols", cols, 1);
  requirePositive("sigma", sigma);
  const a = stream.fillNormal(new Float64Array(rows * cols));
  if (sigma !== 1) for (let k = 0; k < a.length; k++) a[k] *= sigma;
  return a;
}

/**
 * Gaussian Orthogonal Ensemble: H = (A + Aᵀ)/√2 with A n×n of i.i.d. N(0, σ²) entries, so
 * H_ij ~ N(0, σ²) off the diagonal and H_ii ~ N(0, 2σ²); the density is ∝ exp(−tr H² / (4σ²)).
 * The spectrum of H/√n tends to the semicircle on [−2σ, 2σ].
 */
export function goe(stream: Stream, n: number, sigma = 1): Float64Array {
  requireInteger("n", n, 1);
  requirePositive("sigma", sigma);
  const h = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    h[i * n + i] = Math.SQRT2 * sigma * stream.normal();
    for (let j = i + 1; j < n; j++) {
      const x = sigma * stream.normal();
      h[i * n + j] = x;
      h[j * n + i] = x;
    }
  }
  return h;
}

/**
 * Sample covariance (Wishart) matrix W = XᵀX / n of size p × p, with X an n × p matrix of i.i.d.
 * N(0, σ²) entries (n samples of p features). As n, p → ∞ with p/n → r ∈ (0, 1], the spectrum of W
 * tends to the Marchenko–Pastur law with ratio r and scale σ².
 */
export function wishart(stream: Stream, p: number, n: number, sigma = 1): Float64Array {
  requireInteger("p", p, 1);
  requireInteger("n", n, 1);
  const x = gaussianMatrix(stream, n, p, sigma);
  const w = new Float64Array(p * p);
  // W_ij = (1/n) Σ_k X_ki X_kj: accumulate row by row of X (contiguous reads).
  for (let k = 0; k < n; k++) {
    const row = k * p;
    for (let i = 0; i < p; i++) {
      const xi = x[row + i];
      const wi = i * p;
      for (let j = i; j < p; j++) w[wi + j] += xi * x[row + j];
    }
  }
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) {
      const v = w[i * p + j] / n;
      w[i * p + j] = v;
      w[j * p + i] = v;
    }
  }
  return w;
}
