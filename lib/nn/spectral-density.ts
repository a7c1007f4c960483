import { gaussQuadrature } from "../linalg/gauss-quadrature";
import type { Stream } from "../random/stream";
import { requireInteger, requirePositive } from "../util/validate";
import { lanczosTridiagonal, type Hvp } from "./curvature";
import type { Estimate } from "../stats/estimate";

/** What `stochasticLanczosQuadrature` returns: one Gauss rule per probe. */
export interface SpectralQuadrature {
  dim: number;
  /** Per probe: the Ritz values θ_i (ascending), the nodes of its rule. */
  nodes: Float64Array[];
  /** Per probe: the weights τ_i² (summing to 1). */
  weights: Float64Array[];
}

/**
 * The spectral density μ = (1/D) Σ_j δ(λ_j) of a symmetric operator H (dim D, given by HVPs), by
 * stochastic Lanczos quadrature (Golub & Meurant; Ubaru, Chen & Saad 2017; as PyHessian computes
 * Hessian densities, Yao et al. 2020): for each of `probes` Rademacher vectors v, `steps` Lanczos
 * iterations from v/‖v‖ give a Gauss rule (θ_i, τ_i²) with Σ τ_i² f(θ_i) = vᵀf(H)v/‖v‖² exactly for
 * polynomials f of degree ≤ 2·steps − 1; since E[vᵀf(H)v]/D = (1/D) tr f(H), the average of the
 * probes' rules estimates ∫ f dμ. Options: probes (≥ 2), steps (default min(dim, 80)), stream.
 * Errors: RangeErrors for bad counts.
 */
export function stochasticLanczosQuadrature(
  hvp: Hvp,
  dim: number,
  o: { probes: number; steps?: number; stream: Stream },
): SpectralQuadrature {
  requireInteger("dim", dim, 1);
  requireInteger("probes", o.probes, 2);
  const steps = o.steps ?? Math.min(dim, 80);
  requireInteger("steps", steps, 1, dim);
  const nodes: Float64Array[] = [],
    weights: Float64Array[] = [];
  for (let p = 0; p < o.probes; p++) {
    const v = new Float64Array(dim);
    for (let i = 0; i < dim; i++) v[i] = o.stream.uniform() < 0.5 ? -1 : 1;
    const { alpha, beta } = lanczosTridiagonal(hvp, v, steps);
    const rule = gaussQuadrature(alpha, beta);
    nodes.push(rule.nodes);
    weights.push(rule.weights);
  }
  return { dim, nodes, weights };
}

/**
 * ∫ f dμ = (1/D) tr f(H) estimated from the quadrature: the mean over probes of Σ_i τ_i² f(θ_i),
 * as an `Estimate`: the value and the standard error of that mean (sd over probes / √probes). E.g. f = x gives tr H / D, f = x²
 * the mean squared eigenvalue.
 */
export function spectralMoment(q: SpectralQuadrature, f: (x: number) => number): Estimate {
  const per = q.nodes.map((th, p) => th.reduce((a, x, i) => a + q.weights[p][i] * f(x), 0));
  const n = per.length,
    mean = per.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(per.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { value: mean, se: sd / Math.sqrt(n) };
}

/**
 * The density smoothed by a Gaussian kernel of width `sigma` on the points `grid`:
 * φ(t) = mean over probes of Σ_i τ_i² N(t; θ_i, σ²) (PyHessian's plot; it integrates to 1 over ℝ).
 * Errors: a RangeError for sigma ≤ 0.
 */
export function spectralDensity(q: SpectralQuadrature, grid: ArrayLike<number>, sigma: number): Float64Array {
  requirePositive("sigma", sigma);
  const out = new Float64Array(grid.length),
    c = 1 / (Math.sqrt(2 * Math.PI) * sigma * q.nodes.length);
  for (let p = 0; p < q.nodes.length; p++) {
    for (let i = 0; i < q.nodes[p].length; i++) {
      const th = q.nodes[p][i],
        w = q.weights[p][i] * c;
      for (let t = 0; t < grid.length; t++) {
        const z = (grid[t] - th) / sigma;
        out[t] += w * Math.exp(-0.5 * z * z);
      }
    }
  }
  return out;
}
