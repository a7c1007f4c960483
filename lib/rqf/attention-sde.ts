import type { SdeSystem } from "../sde/system";
import { attentionField } from "./attention";
import { requireInteger, requireNonNegative } from "../util/validate";

/** Options of `attentionSde`: the model of `tokenDynamicsRun` without its run controls. */
export interface AttentionSdeOptions {
  /** Ambient dimension (the sphere is S^{n−1}), ≥ 2. */
  n: number;
  /** Tokens, ≥ 1. */
  m: number;
  /** Attention's inverse temperature β > 0; omit for no attention (zero drift). */
  beta?: number;
  /** Strength σ ≥ 0 of the RQF's common quadratic noise (default 0). */
  sigma?: number;
  /** Strength ε ≥ 0 of the random bias (default 0). */
  bias?: number;
  /** "common" (default): one dQ and dW for all tokens; "independent": each token its own. */
  noise?: "common" | "independent";
}

/**
 * The token dynamics of `tokenDynamicsRun` (self-attention with the RQF's quadratic noise and a random
 * bias, Engel & Shalova 2026, §5.2), dx_p = a_p(x) dt + σ G_p(x) ∘dQ + ε B_p(x) ∘dW, as a generic
 * Stratonovich `SdeSystem` on the m·n ambient coordinates (token p at [p·n, (p+1)·n)):
 * - drift: `attentionField` (zero without β);
 * - noise: per source (one for "common" noise, one per token for "independent", token p's block
 *   then feeds token p only) n(n+1)/2 columns for the independent entries of dQ, in the order
 *   `fillScaledIncrement` draws them (row i: (i, i), then (i, j) for j > i), followed by n columns
 *   for dW. With unit Brownian motions per column, dQ_ii = dW and dQ_ij = dW/√2 ("half"
 *   normalisation), so column (i, i) of token p is σ·(y_i e_i − y_i² y), column (i, j) is
 *   (σ/√2)·(y_j e_i + y_i e_j − 2 y_i y_j y), and bias column k is ε·(e_k − y_k y), y = x_p: the
 *   ambient extension G(y) = dQ y − y⟨y, dQ y⟩ that `tokenDynamicsRun` evaluates at its predictor.
 * The columns are present whatever σ and ε are (a zero strength gives a zero column), so the layout
 * does not depend on the strengths: noiseDim = sources·(n(n+1)/2 + n).
 *
 * Heun (`SdeIntegrator`, "heun") on this system, each token renormalised after each step, is the scheme
 * of `tokenDynamicsRun` (`tokenStepper`) on the same increments; this system exists to test that
 * hand-written stepper against the generic integrator and to measure it in `npm run bench`.
 * Errors: RangeError for n < 2, m < 1, β ≤ 0 (when given), σ < 0, ε < 0 or an unknown noise.
 */
export function attentionSde(o: AttentionSdeOptions): SdeSystem {
  const { n, m } = o;
  requireInteger("n", n, 2);
  requireInteger("m (tokens)", m, 1);
  if (o.beta !== undefined && !(o.beta > 0))
    throw new RangeError(`beta (the attention's inverse temperature) must be > 0, got ${o.beta}`);
  const sigma = o.sigma ?? 0,
    eps = o.bias ?? 0;
  requireNonNegative("sigma (quadratic noise strength)", sigma);
  requireNonNegative("bias (random bias strength)", eps);
  const noise = o.noise ?? "common";
  if (noise !== "common" && noise !== "independent")
    throw new RangeError(`noise must be "common" or "independent", got "${String(noise)}"`);
  const beta = o.beta;
  const nq = (n * (n + 1)) / 2,
    perSource = nq + n,
    noiseDim = (noise === "common" ? 1 : m) * perSource,
    sOff = sigma / Math.SQRT2;
  return {
    dim: n * m,
    noiseDim,
    drift(x, out) {
      if (beta !== undefined) attentionField(x, n, m, beta, out);
      else out.fill(0);
    },
    diffusion(x, out) {
      out.fill(0);
      for (let p = 0; p < m; p++) {
        const o2 = p * n,
          c0 = noise === "common" ? 0 : p * perSource;
        let c = c0;
        for (let i = 0; i < n; i++) {
          const xi = x[o2 + i];
          for (let j = i; j < n; j++, c++) {
            if (i === j) {
              for (let r = 0; r < n; r++) out[(o2 + r) * noiseDim + c] = -sigma * xi * xi * x[o2 + r];
              out[(o2 + i) * noiseDim + c] += sigma * xi;
            } else {
              const xj = x[o2 + j];
              for (let r = 0; r < n; r++) out[(o2 + r) * noiseDim + c] = -2 * sOff * xi * xj * x[o2 + r];
              out[(o2 + i) * noiseDim + c] += sOff * xj;
              out[(o2 + j) * noiseDim + c] += sOff * xi;
            }
          }
        }
        for (let k = 0; k < n; k++, c++) {
          for (let r = 0; r < n; r++) out[(o2 + r) * noiseDim + c] = -eps * x[o2 + k] * x[o2 + r];
          out[(o2 + k) * noiseDim + c] += eps;
        }
      }
    },
  };
}
