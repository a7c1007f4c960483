import { requireLength, requirePositive } from "../util/validate";

/** Unit roundoff of IEEE double: 2^-53. */
export const UNIT_ROUNDOFF = 1.1102230246251565e-16;

/**
 * A-priori bound on |direct − composite| in `sdeCocycleCheck` for a scalar Stratonovich SDE
 * dX = f(X) dt + g(X) ∘ dW solved by Heun.
 *
 * Both computations perform the same scheme; they differ by (i) rounding inside each step, at most
 * c·u·(|x_{k+1}| + |f(x_k)|dt + |g(x_k)ΔW_k|) per computation (c = 16 covers the ~14 flops of a
 * Heun step, Higham's γ_c), and (ii) in the composite, increments taken from the shifted path, each
 * off by at most 2u·max(|ω(t_k)|, |ω(t_{k+1})|, |ω(s)|), which enter as |g(x_k)|·δW_k. An error
 * committed at step k is carried to the end by the linearised flow, whose factor over steps k+1…n−1
 * is exp(Σ_j f'(x_j)dt + g'(x_j)ΔW_j) (Stratonovich: no Itô correction). So
 *   bound = Σ_k G_{k→n} · (2·c·u·(…) + [k ≥ s]·|g(x_k)|·δW_k).
 */
export interface ScalarSde {
  f(x: number): number;
  g(x: number): number;
  df(x: number): number;
  dg(x: number): number;
}

export function heunCocycleRoundingBound(sde: ScalarSde, trajectory: Float64Array, pathValues: Float64Array, dt: number, s: number, c = 16): number {
  requirePositive("dt", dt);
  const n = trajectory.length - 1;
  if (pathValues.length < n + 1) requireLength("pathValues", pathValues, n + 1);
  const u = UNIT_ROUNDOFF;
  const ws = Math.abs(pathValues[s]);
  let bound = 0;
  // Walk backwards so that the growth factor G_{k→n} accumulates in one pass.
  let logG = 0;
  for (let k = n - 1; k >= 0; k--) {
    const x = trajectory[k];
    const dw = pathValues[k + 1] - pathValues[k];
    const stepRound = 2 * c * u * (Math.abs(trajectory[k + 1]) + Math.abs(sde.f(x)) * dt + Math.abs(sde.g(x) * dw));
    const shiftRound = k >= s ? Math.abs(sde.g(x)) * 2 * u * Math.max(Math.abs(pathValues[k]), Math.abs(pathValues[k + 1]), ws) : 0;
    bound += Math.exp(logG) * (stepRound + shiftRound);
    logG += sde.df(x) * dt + sde.dg(x) * dw;
  }
  return bound;
}
