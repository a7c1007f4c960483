import type { SdeSystem } from "../sde/system";
import { requireFinite, requireInteger, requirePositive } from "../util/validate";

/** How an SDE is read: in the Itô or the Stratonovich sense. */
export type Calculus = "ito" | "stratonovich";

/**
 * The linear SDE dX = a X dt + σ dB X in R^d, B a d×d matrix of independent Brownian motions
 * (noise j = (i, l) ↦ i·d + l drives g_j(x) = σ E_il x): a linear cocycle whose Lyapunov spectrum
 * is known in closed form (`isotropicLinearExponents`). Both Jacobians are given, so
 * `sdeTangent` can compute its spectrum.
 */
export function isotropicLinearSde(d: number, a: number, sigma: number): SdeSystem & { a: number; sigma: number } {
  requireInteger("d", d, 1);
  requireFinite("a", a);
  requirePositive("sigma", sigma);
  const m = d * d;
  return {
    a,
    sigma,
    dim: d,
    noiseDim: m,
    drift(x, out) {
      for (let i = 0; i < d; i++) out[i] = a * x[i];
    },
    diffusion(x, out) {
      // g_(i,l)(x) = σ x_l e_i: row r of G has σ x_l in column (r, l) and zeros elsewhere.
      out.fill(0);
      for (let r = 0; r < d; r++) for (let l = 0; l < d; l++) out[r * m + r * d + l] = sigma * x[l];
    },
    driftJacobian(_x, out) {
      out.fill(0);
      for (let i = 0; i < d; i++) out[i * d + i] = a;
    },
    diffusionJacobian(_x, out) {
      // ∂(g_(i,l))_r / ∂x_q = σ δ_ri δ_lq
      out.fill(0);
      for (let i = 0; i < d; i++) for (let l = 0; l < d; l++) out[(i * d + l) * m + i * d + l] = sigma;
    },
  };
}

/**
 * The Lyapunov spectrum of `isotropicLinearSde(d, a, σ)`:
 *   Itô:          λ_k = a + σ² (d − 2k) / 2,
 *   Stratonovich: λ_k = a + σ² (d − 2k + 1) / 2,   k = 1 … d.
 * The two differ by the Itô–Stratonovich correction σ²/2 · I (Σ_j E_ij E_ij = I): see the notebook
 * "Random dynamical systems and cocycles" for the derivation of λ_1 and of Σ λ_k.
 */
export function isotropicLinearExponents(d: number, a: number, sigma: number, calculus: Calculus): Float64Array {
  requireInteger("d", d, 1);
  if (calculus !== "ito" && calculus !== "stratonovich")
    throw new RangeError(`calculus must be "ito" or "stratonovich", got "${String(calculus)}"`);
  const shift = calculus === "stratonovich" ? 1 : 0;
  return Float64Array.from({ length: d }, (_, i) => a + (sigma * sigma * (d - 2 * (i + 1) + shift)) / 2);
}
