import { requireLength } from "../util/validate";

/**
 * The Gauss quadrature rule of the symmetric tridiagonal (Jacobi) matrix J with diagonal `alpha`
 * (m entries) and off-diagonal `beta` (m − 1): nodes are J's eigenvalues, weights the squared first
 * components of its unit eigenvectors (Golub & Welsch 1969). For the Lanczos matrix of an operator
 * H started from a unit vector q, Σ w_i f(θ_i) approximates qᵀ f(H) q and is exact for polynomials
 * of degree ≤ 2m − 1: the building block of stochastic Lanczos quadrature.
 *
 * Method: implicit QL with Wilkinson shifts, applying each rotation to the first row of the
 * eigenvector matrix only (O(m²) instead of O(m³)). Nodes ascending; the weights sum to 1.
 * Errors: a RangeError for inconsistent lengths, an Error if QL does not converge (NaN or Inf).
 */
export function gaussQuadrature(
  alpha: ArrayLike<number>,
  beta: ArrayLike<number>,
): { nodes: Float64Array; weights: Float64Array } {
  const m = alpha.length;
  if (m < 1) throw new RangeError("gaussQuadrature: alpha is empty");
  requireLength("beta (m − 1 off-diagonal entries)", beta, m - 1);
  const d = Float64Array.from(alpha),
    e = new Float64Array(m),
    z = new Float64Array(m);
  for (let i = 0; i + 1 < m; i++) e[i] = beta[i];
  z[0] = 1;
  for (let l = 0; l < m; l++) {
    for (let iter = 0; ; iter++) {
      let k = l;
      for (; k < m - 1; k++) if (Math.abs(e[k]) <= Number.EPSILON * (Math.abs(d[k]) + Math.abs(d[k + 1]))) break;
      if (k === l) break;
      if (iter > 60) throw new Error(`gaussQuadrature: QL did not converge for node ${l} (NaN or Inf in the matrix?)`);
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.hypot(g, 1);
      g = d[k] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1,
        c = 1,
        p = 0,
        deflated = false;
      for (let i = k - 1; i >= l; i--) {
        const f = s * e[i],
          b = c * e[i];
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1] -= p;
          e[k] = 0;
          deflated = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        const zf = z[i + 1]; // the rotation on columns i, i + 1 of the eigenvector matrix, first row only
        z[i + 1] = s * z[i] + c * zf;
        z[i] = c * z[i] - s * zf;
      }
      if (deflated) continue;
      d[l] -= p;
      e[l] = g;
      e[k] = 0;
    }
  }
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => d[a] - d[b]);
  return { nodes: Float64Array.from(order, (i) => d[i]), weights: Float64Array.from(order, (i) => z[i] * z[i]) };
}
