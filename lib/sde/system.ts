/**
 * An SDE dX = f(X) dt + Σ_j g_j(X) dW^j in R^dim with noiseDim driving Brownian motions.
 * `drift` writes f(x) into out (length dim); `diffusion` writes the dim × noiseDim matrix
 * [g_1(x) … g_m(x)] row-major into out. Both must not allocate: integrators call them every step.
 */
export interface SdeSystem {
  dim: number;
  noiseDim: number;
  drift(x: Float64Array, out: Float64Array): void;
  diffusion(x: Float64Array, out: Float64Array): void;
}
