import { choleskyInPlace, choleskyInverse, choleskySolve } from "../linalg/cholesky";
import { chiSquareSurvival } from "./chi-square";

/** What `fitLinearModel` returns. */
export interface LinearModelFit {
  names: string[];
  coefficients: number[];
  standardErrors: number[];
  /** Covariance of the coefficients, p×p row-major. */
  covariance: number[];
  chi2: number;
  dof: number;
  pValue: number;
}

/**
 * Weighted least squares y_i ≈ offset_i + Σ_k X_ik β_k with known standard errors σ_i, for scaling
 * laws with several regressors, e.g. log⟨S⟩ = c + a log α + b log|B| (notebook 09), where a
 * one-variable line cannot separate the two exponents. The covariance of β̂ is (XᵀWX)⁻¹ with
 * W = diag(1/σ²); χ² of the residuals on n − p degrees of freedom measures whether the model
 * describes every point within its error. `offset` holds known terms (e.g. a derived finite-step
 * correction) that are not fitted.
 */
export function fitLinearModel(
  design: number[][],
  y: ArrayLike<number>,
  sigma: ArrayLike<number>,
  o: { names?: string[]; offset?: ArrayLike<number> } = {},
): LinearModelFit {
  const n = design.length;
  if (n === 0) throw new RangeError("fitLinearModel: no data points");
  const p = design[0].length;
  if (p === 0) throw new RangeError("fitLinearModel: the design has no columns");
  if (y.length !== n || sigma.length !== n || (o.offset && o.offset.length !== n))
    throw new RangeError(`design, y, sigma${o.offset ? ", offset" : ""} must have the same length (${n})`);
  if (n <= p)
    throw new RangeError(
      `fitLinearModel: ${n} points cannot determine ${p} coefficients with a goodness of fit (need n > p)`,
    );
  const names = o.names ?? design[0].map((_, k) => `β${k}`);
  if (names.length !== p) throw new RangeError(`names has ${names.length} entries for ${p} columns`);
  const a = new Float64Array(p * p),
    b = new Float64Array(p);
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = design[i];
    if (row.length !== p) throw new RangeError(`design row ${i} has ${row.length} columns, expected ${p}`);
    const s = sigma[i];
    if (!(s > 0 && Number.isFinite(s))) throw new RangeError(`sigma[${i}] must be finite and > 0, got ${s}`);
    r[i] = y[i] - (o.offset ? o.offset[i] : 0);
    if (!Number.isFinite(r[i]) || row.some((v) => !Number.isFinite(v)))
      throw new RangeError(`point ${i} is not finite`);
    const w = 1 / (s * s);
    for (let j = 0; j < p; j++) {
      b[j] += w * row[j] * r[i];
      for (let k = 0; k <= j; k++) a[j * p + k] += w * row[j] * row[k];
    }
  }
  for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) a[k * p + j] = a[j * p + k];
  if (!choleskyInPlace(a, p))
    throw new RangeError(
      "fitLinearModel: the design columns are linearly dependent; the coefficients are not determined",
    );
  const beta = choleskySolve(a, b, new Float64Array(p), p);
  const cov = choleskyInverse(a, p);
  let chi2 = 0;
  for (let i = 0; i < n; i++) {
    let f = 0;
    for (let k = 0; k < p; k++) f += design[i][k] * beta[k];
    chi2 += ((r[i] - f) / sigma[i]) ** 2;
  }
  const dof = n - p;
  return {
    names,
    coefficients: Array.from(beta),
    standardErrors: Array.from({ length: p }, (_, k) => Math.sqrt(cov[k * p + k])),
    covariance: Array.from(cov),
    chi2,
    dof,
    pValue: chiSquareSurvival(chi2, dof),
  };
}
