import type { DifferentiableSde } from "../sde/system";
import { requireFinite, requirePositive } from "../util/validate";

/**
 * The stochastic pitchfork dX = (αX − X³) dt + σ X ∘ dW (Stratonovich), a standard random
 * dynamical system: for α > 0 the origin is unstable and all positive solutions synchronise onto
 * one random point (Crauel & Flandoli, 1998).
 *
 * Facts used by the notebooks (derived there): for x > 0 the one-point motion has the stationary
 * density p(x) ∝ x^{2α/σ² − 1} e^{−x²/σ²}, so E X² = α, and the Lyapunov exponent of the
 * linearisation dv = (α − 3X²) v dt + σ v ∘ dW is λ = E[α − 3X²] = −2α.
 */
export function pitchfork(alpha: number, sigma: number): DifferentiableSde & { alpha: number; sigma: number } {
  requireFinite("alpha", alpha);
  requirePositive("sigma", sigma);
  return {
    alpha,
    sigma,
    dim: 1,
    noiseDim: 1,
    drift(x, out) {
      out[0] = alpha * x[0] - x[0] * x[0] * x[0];
    },
    diffusion(x, out) {
      out[0] = sigma * x[0];
    },
    driftJacobian(x, out) {
      out[0] = alpha - 3 * x[0] * x[0];
    },
    diffusionJacobian(_x, out) {
      out[0] = sigma;
    },
  };
}
