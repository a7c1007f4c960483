import { requireInteger, requireAllFinite } from "../util/validate";
import { chiSquareSurvival } from "../stats/chi-square";
import { nelderMead } from "./nelder-mead";
import { choleskyInPlace, choleskyInverse } from "../linalg/cholesky";

/** Raised when a fit does not converge: it reports why instead of returning numbers. */
export class FitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FitError";
  }
}

/**
 * What `fitDensity` returns: the maximum-likelihood parameters, their Fisher errors and the goodness
 * of fit.
 */
export interface DensityFit {
  names: readonly string[];
  params: Float64Array;
  /** Standard errors from the inverse Fisher information (observed, by finite differences). */
  errors: Float64Array;
  covariance: Float64Array;
  /** Poisson deviance 2Σ[μ − n + n log(n/μ)] over the bins: ≈ χ²(dof) when the model holds. */
  deviance: number;
  dof: number;
  /** P(χ²_dof ≥ deviance). */
  pValue: number;
  /** Number of samples and the bin edges used. */
  n: number;
  edges: Float64Array;
  iterations: number;
}

/** Options of `fitDensity`. */
export interface DensityFitOptions {
  /** Parameter names, for messages and tables. */
  names: readonly string[];
  /** The model's cumulative mass F(x; θ) (it may integrate to less than 1, e.g. a partial bulk). */
  cdf: (x: number, params: Float64Array) => number;
  /** Starting parameters and initial simplex steps. */
  start: ArrayLike<number>;
  steps: ArrayLike<number>;
  /** Bins over [lo, hi]; samples outside are left out of the fit but still count in n. */
  bins: number;
  lo: number;
  hi: number;
  /** Returns false where the parameters are invalid (the likelihood is then −∞). */
  valid?: (params: Float64Array) => boolean;
  maxIterations?: number;
}

/**
 * Binned maximum-likelihood fit of a parametric law to a sample: the bin counts are independent
 * Poisson with means μ_k = n·[F(b_{k+1}; θ) − F(b_k; θ)], so the fit maximises
 * Σ_k (n_k log μ_k − μ_k). Binning keeps the fit regular where the support moves with θ (the
 * Marchenko–Pastur edges), and the deviance is a goodness-of-fit statistic. The errors assume
 * independent samples: eigenvalues of one matrix are not (their histogram fluctuates far less than
 * Poisson), so for a single spectrum use replicates instead.
 *
 * Throws FitError if the simplex does not converge or the Fisher matrix is not positive definite
 * (a parameter not determined by the data); RangeError for an empty or constant sample.
 */
export function fitDensity(sample: ArrayLike<number>, o: DensityFitOptions): DensityFit {
  const n = sample.length;
  if (n === 0) throw new RangeError("fitDensity: empty sample");
  requireAllFinite("sample", sample);
  let smin = Infinity,
    smax = -Infinity;
  for (let i = 0; i < n; i++) {
    smin = Math.min(smin, sample[i]);
    smax = Math.max(smax, sample[i]);
  }
  if (smin === smax)
    throw new RangeError(`fitDensity: constant sample (every value is ${smin}); a density cannot be fitted`);
  requireInteger("bins", o.bins, 2);
  if (!(o.hi > o.lo)) throw new RangeError(`fitDensity: empty range [${o.lo}, ${o.hi}]`);
  const p = o.start.length;
  if (o.names.length !== p || o.steps.length !== p)
    throw new RangeError("fitDensity: names, start and steps must have the same length");
  const bins = o.bins;
  const w = (o.hi - o.lo) / bins;
  const edges = new Float64Array(bins + 1).map((_, k) => o.lo + k * w);
  const counts = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const k = Math.floor((sample[i] - o.lo) / w);
    if (k >= 0 && k < bins) counts[k]++;
  }
  const mu = new Float64Array(bins);
  const expected = (th: Float64Array): boolean => {
    if (o.valid && !o.valid(th)) return false;
    let prev = o.cdf(edges[0], th);
    for (let k = 0; k < bins; k++) {
      const next = o.cdf(edges[k + 1], th);
      // A floor instead of 0: one count where the model has no mass (an eigenvalue a little past a
      // finite-size edge) costs ≈ 21 in log-likelihood instead of making every fit impossible.
      mu[k] = Math.max(n * (next - prev), 1e-9 * n);
      prev = next;
    }
    return true;
  };
  const nll = (th: Float64Array): number => {
    if (!expected(th)) return Infinity;
    let s = 0;
    for (let k = 0; k < bins; k++) {
      s += mu[k] - counts[k] * Math.log(mu[k]);
    }
    return s;
  };
  let best = nelderMead(nll, o.start, o.steps, { maxIterations: o.maxIterations ?? 4000 });
  // Restart once from the optimum: Nelder–Mead can stall on a ridge.
  if (best.converged)
    best = nelderMead(
      nll,
      best.x,
      Array.from(o.steps, (s) => s / 10),
      { maxIterations: o.maxIterations ?? 4000 },
    );
  if (!best.converged) {
    throw new FitError(
      `fitDensity (${o.names.join(", ")}): the simplex did not converge in ${best.iterations} iterations (last θ = ${Array.from(best.x, (v) => v.toPrecision(4)).join(", ")})`,
    );
  }
  const th = best.x;
  // Observed Fisher information: central second differences of the negative log-likelihood.
  const h = Array.from(th, (v, i) => 1e-4 * Math.max(Math.abs(v), Math.abs(o.steps[i])));
  const fisher = new Float64Array(p * p);
  const f0 = nll(th);
  const at = (di: number, dj: number, si: number, sj: number): number => {
    const t = Float64Array.from(th);
    t[di] += si * h[di];
    t[dj] += sj * h[dj];
    return nll(t);
  };
  for (let i = 0; i < p; i++) {
    fisher[i * p + i] = (at(i, i, 0.5, 0.5) - 2 * f0 + at(i, i, -0.5, -0.5)) / (h[i] * h[i]);
    for (let j = 0; j < i; j++) {
      const v = (at(i, j, 1, 1) - at(i, j, 1, -1) - at(i, j, -1, 1) + at(i, j, -1, -1)) / (4 * h[i] * h[j]);
      fisher[i * p + j] = v;
      fisher[j * p + i] = v;
    }
  }
  if (!fisher.every(Number.isFinite)) {
    throw new FitError(
      `fitDensity (${o.names.join(", ")}): the optimum θ = ${Array.from(th, (v) => v.toPrecision(4)).join(", ")} lies on the boundary of the valid parameters; standard errors are undefined there`,
    );
  }
  const covariance = invertSpd(fisher, p);
  if (!covariance) {
    throw new FitError(
      `fitDensity (${o.names.join(", ")}): the Fisher information is not positive definite at the optimum; a parameter is not determined by the data`,
    );
  }
  const errors = new Float64Array(p).map((_, i) => Math.sqrt(covariance[i * p + i]));
  expected(th);
  let deviance = 0;
  for (let k = 0; k < bins; k++) {
    const c = counts[k];
    deviance += 2 * (mu[k] - c + (c > 0 ? c * Math.log(c / mu[k]) : 0));
  }
  const dof = bins - p;
  return {
    names: o.names,
    params: th,
    errors,
    covariance,
    deviance,
    dof,
    pValue: dof > 0 ? chiSquareSurvival(deviance, dof) : NaN,
    n,
    edges,
    iterations: best.iterations,
  };
}

/** Inverse of a symmetric positive definite p×p matrix by Cholesky; null if not positive definite. */
function invertSpd(a: Float64Array, p: number): Float64Array | null {
  const l = Float64Array.from(a);
  return choleskyInPlace(l, p) ? choleskyInverse(l, p) : null;
}
