import { choleskyInPlace } from "../linalg/cholesky";
import { requireInteger } from "../util/validate";

/**
 * Sample covariance of the mean of independent replicate vectors, S/n (p×p row-major), where S is
 * the unbiased sample covariance of the replicates. Errors: a RangeError for fewer than two
 * replicates or replicates of different lengths.
 */
export function meanCovariance(replicates: ArrayLike<number>[]): Float64Array {
  const n = replicates.length;
  requireInteger("number of replicates", n, 2);
  const p = replicates[0].length;
  const mean = new Float64Array(p);
  for (const r of replicates) {
    if (r.length !== p) throw new RangeError(`replicates must all have length ${p}, got ${r.length}`);
    for (let i = 0; i < p; i++) mean[i] += r[i] / n;
  }
  const c = new Float64Array(p * p);
  for (const r of replicates)
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) c[i * p + j] += (r[i] - mean[i]) * (r[j] - mean[j]);
  for (let k = 0; k < p * p; k++) c[k] /= (n - 1) * n;
  return c;
}

/**
 * Whitened residuals w = L⁻¹ d, where cov = L Lᵀ (Cholesky). When d ~ N(0, cov) the entries of w
 * are independent standard normals, so Σ w² = dᵀ cov⁻¹ d is χ² with p degrees of freedom: the test
 * to use when the residuals of one group are correlated (for instance the Lyapunov exponents of
 * one set of runs), where treating them as independent would count a common-mode fluctuation p
 * times. Errors: a RangeError if cov is not positive definite or the sizes disagree.
 */
export function whitenResiduals(d: ArrayLike<number>, cov: Float64Array): Float64Array {
  const p = d.length;
  if (cov.length !== p * p) throw new RangeError(`cov must have ${p}·${p} = ${p * p} entries, got ${cov.length}`);
  const l = Float64Array.from(cov);
  if (!choleskyInPlace(l, p)) throw new RangeError("whitenResiduals: the covariance is not positive definite");
  const w = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = d[i];
    for (let k = 0; k < i; k++) s -= l[i * p + k] * w[k];
    w[i] = s / l[i * p + i];
  }
  return w;
}
