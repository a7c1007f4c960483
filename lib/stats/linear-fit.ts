import { requireInteger } from "../util/validate";

/** What `fitLine` returns. */
export interface LineFit {
  intercept: number;
  slope: number;
  interceptError: number;
  slopeError: number;
  /** χ² of the residuals (weighted) and its degrees of freedom n − 2. */
  chi2: number;
  dof: number;
}

/**
 * Weighted least-squares line y ≈ a + b·x with standard errors, for data with known standard
 * errors σ_i (weights 1/σ_i²). Used for convergence orders (log error against log step) and
 * scaling laws. With σ omitted, an unweighted fit whose errors come from the residual scatter.
 */
export function fitLine(x: ArrayLike<number>, y: ArrayLike<number>, sigma?: ArrayLike<number>): LineFit {
  const n = x.length;
  requireInteger("number of points", n, 3);
  if (y.length !== n || (sigma && sigma.length !== n))
    throw new RangeError(`x, y${sigma ? ", sigma" : ""} must have the same length (${n})`);
  let s = 0,
    sx = 0,
    sy = 0,
    sxx = 0,
    sxy = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i]))
      throw new RangeError(`point ${i} is not finite: (${x[i]}, ${y[i]})`);
    const w = sigma ? 1 / (sigma[i] * sigma[i]) : 1;
    if (!Number.isFinite(w) || w <= 0) throw new RangeError(`sigma[${i}] must be finite and > 0, got ${sigma?.[i]}`);
    s += w;
    sx += w * x[i];
    sy += w * y[i];
    sxx += w * x[i] * x[i];
    sxy += w * x[i] * y[i];
  }
  const det = s * sxx - sx * sx;
  if (!(det > 0)) throw new RangeError("fitLine: the x values are all equal; a slope cannot be fitted");
  const slope = (s * sxy - sx * sy) / det;
  const intercept = (sxx * sy - sx * sxy) / det;
  let chi2 = 0;
  for (let i = 0; i < n; i++) {
    const w = sigma ? 1 / (sigma[i] * sigma[i]) : 1;
    chi2 += w * (y[i] - intercept - slope * x[i]) ** 2;
  }
  const dof = n - 2;
  // Without given σ, scale the covariance by the residual variance.
  const scale = sigma ? 1 : chi2 / dof;
  return {
    intercept,
    slope,
    interceptError: Math.sqrt((scale * sxx) / det),
    slopeError: Math.sqrt((scale * s) / det),
    chi2,
    dof,
  };
}
