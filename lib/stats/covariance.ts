import { requireInteger, requireLength } from "../util/validate";

/**
 * The sample covariance ⟨φφᵀ⟩ of n rows of p values (row-major), after subtracting the column means
 * when `center` is true (default). Divides by n (the maximum-likelihood estimate the RBM fits).
 * Errors: a RangeError when the data length is not n·p.
 */
export function sampleCovariance(data: ArrayLike<number>, n: number, p: number, center = true): Float64Array {
  requireInteger("rows n", n, 1);
  requireInteger("columns p", p, 1);
  requireLength("data (n·p entries)", data, n * p);
  const mean = new Float64Array(p);
  if (center) for (let r = 0; r < n; r++) for (let i = 0; i < p; i++) mean[i] += data[r * p + i] / n;
  const c = new Float64Array(p * p);
  const row = new Float64Array(p);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < p; i++) row[i] = data[r * p + i] - mean[i];
    for (let i = 0; i < p; i++) {
      const v = row[i];
      if (v === 0) continue;
      for (let j = 0; j <= i; j++) c[i * p + j] += v * row[j];
    }
  }
  for (let i = 0; i < p; i++)
    for (let j = 0; j <= i; j++) {
      c[i * p + j] /= n;
      c[j * p + i] = c[i * p + j];
    }
  return c;
}
