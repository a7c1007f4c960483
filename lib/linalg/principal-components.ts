import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { requireAllFinite, requireInteger } from "../util/validate";

/** What `principalComponents` returns. */
export interface PrincipalComponents {
  /** The points' coordinates on the top `components` principal directions: n × components, row-major. */
  scores: Float64Array;
  /** The variance along each of those directions (descending), as a sum of squares over the n points / n. */
  variances: Float64Array;
  /** The total variance of the points (the trace of their covariance), so variances[c] / total is the share of direction c. */
  total: number;
  components: number;
}

/**
 * The top principal components of n points in R^d (row-major, n × d), for n ≪ d such as a training
 * run's weights θ_t over a window of steps: the points are centred on their mean, their n × n Gram
 * matrix G = X_c X_cᵀ is diagonalised (ml-matrix's symmetric eigenvalue decomposition), and the
 * scores of point i on component c are √μ_c u_c[i], with μ_c the c-th largest eigenvalue of G and u_c
 * its unit eigenvector (= the projection of x_i − x̄ on the c-th principal direction, which is
 * X_cᵀu_c/√μ_c). Cost O(n²d + n³); the d-dimensional directions are never formed.
 *
 * Errors: a RangeError for points.length not n·d, fewer than 2 points, components outside 1…n − 1,
 * or a value that is not finite.
 */
export function principalComponents(points: ArrayLike<number>, d: number, components: number): PrincipalComponents {
  requireInteger("d (dimension of the points)", d, 1);
  const n = points.length / d;
  requireInteger("number of points (points.length / d)", n, 2);
  requireInteger(`components (at most n − 1 = ${n - 1})`, components, 1, n - 1);
  requireAllFinite("points", points);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += points[i * d + j] / n;
  const X = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) X[i * d + j] = points[i * d + j] - mean[j];
  const G = new Matrix(n, n);
  let total = 0;
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += X[a * d + j] * X[b * d + j];
      G.set(a, b, s);
      G.set(b, a, s);
    }
    total += G.get(a, a) / n;
  }
  const e = new EigenvalueDecomposition(G, { assumeSymmetric: true });
  const order = e.realEigenvalues.map((v, i) => [v, i] as const).sort((p, q) => q[0] - p[0]);
  const V = e.eigenvectorMatrix;
  const scores = new Float64Array(n * components),
    variances = new Float64Array(components);
  for (let c = 0; c < components; c++) {
    const [mu, col] = order[c];
    const s = Math.sqrt(Math.max(mu, 0));
    variances[c] = Math.max(mu, 0) / n;
    for (let i = 0; i < n; i++) scores[i * components + c] = s * V.get(i, col);
  }
  return { scores, variances, total, components };
}
