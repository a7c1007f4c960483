/**
 * An SDE dX = f(X) dt + Σ_j g_j(X) dW^j in R^dim with noiseDim driving Brownian motions: the one
 * SDE type of the project. Whether it is read in the Itô or the Stratonovich sense is decided by
 * the scheme that solves it (lib/sde/integrate: Euler–Maruyama → Itô, Heun → Stratonovich).
 *
 * - `drift` writes f(x) into out (length dim).
 * - `diffusion` writes the dim × noiseDim matrix [g_1(x) … g_m(x)] row-major into out.
 * - `driftJacobian` (optional; needed for Lyapunov exponents and error bounds) writes Df(x),
 *   dim × dim row-major: out[i·dim + l] = ∂f_i/∂x_l.
 * - `diffusionJacobian` (optional, likewise) writes the noiseDim Jacobians Dg_j(x), one dim × dim
 *   block per noise: out[j·dim² + i·dim + l] = ∂g_ij/∂x_l.
 *
 * None of them may allocate: integrators call them every step.
 */
export interface SdeSystem {
  dim: number;
  noiseDim: number;
  drift(x: Float64Array, out: Float64Array): void;
  diffusion(x: Float64Array, out: Float64Array): void;
  driftJacobian?(x: Float64Array, out: Float64Array): void;
  diffusionJacobian?(x: Float64Array, out: Float64Array): void;
}

/** The system with both Jacobians given (what the variational equation needs). */
export type DifferentiableSde = SdeSystem & Required<Pick<SdeSystem, "driftJacobian" | "diffusionJacobian">>;

/** Errors: a RangeError naming what is missing if `sys` lacks a Jacobian. */
export function requireDifferentiable(sys: SdeSystem, who: string): asserts sys is DifferentiableSde {
  if (typeof sys.driftJacobian !== "function" || typeof sys.diffusionJacobian !== "function") {
    throw new RangeError(`${who} needs the SDE's driftJacobian and diffusionJacobian`);
  }
}
