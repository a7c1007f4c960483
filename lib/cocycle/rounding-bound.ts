import { requireDifferentiable, type SdeSystem } from "../sde/system";
import { requireLength, requirePositive } from "../util/validate";

/** Unit roundoff of IEEE double: 2^-53. */
export const UNIT_ROUNDOFF = 1.1102230246251565e-16;

/**
 * A-priori bound on |direct − composite| in `sdeCocycleCheck` for a scalar Stratonovich SDE
 * dX = f(X) dt + g(X) ∘ dW solved by Heun, given as an SdeSystem with dim = noiseDim = 1 and both
 * Jacobians (f' and g').
 *
 * Both computations perform the same scheme; they differ by (i) rounding inside each step, at most
 * c·u·(|x_{k+1}| + |f(x_k)|dt + |g(x_k)ΔW_k|) per computation (c = 16 covers the ~14 flops of a
 * Heun step, Higham's γ_c), and (ii) in the composite, increments taken from the shifted path, each
 * off by at most 2u·max(|ω(t_k)|, |ω(t_{k+1})|, |ω(s)|), which enter as |g(x_k)|·δW_k. An error
 * committed at step k is carried to the end by the linearised flow, whose factor over steps k+1…n−1
 * is exp(Σ_j f'(x_j)dt + g'(x_j)ΔW_j) (Stratonovich: no Itô correction). So
 *   bound = Σ_k G_{k→n} · (2·c·u·(…) + [k ≥ s]·|g(x_k)|·δW_k).
 */
export function heunCocycleRoundingBound(
  sys: SdeSystem,
  trajectory: Float64Array,
  pathValues: Float64Array,
  dt: number,
  s: number,
  c = 16,
): number {
  requirePositive("dt", dt);
  requireDifferentiable(sys, "heunCocycleRoundingBound");
  if (sys.dim !== 1 || sys.noiseDim !== 1)
    throw new RangeError(
      `heunCocycleRoundingBound is for scalar SDEs (dim = noiseDim = 1), got dim ${sys.dim}, noiseDim ${sys.noiseDim}`,
    );
  const xs = new Float64Array(1),
    out = new Float64Array(1);
  const at = (fn: (x: Float64Array, o: Float64Array) => void, x: number) => {
    xs[0] = x;
    fn.call(sys, xs, out);
    return out[0];
  };
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
    const stepRound =
      2 * c * u * (Math.abs(trajectory[k + 1]) + Math.abs(at(sys.drift, x)) * dt + Math.abs(at(sys.diffusion, x) * dw));
    const shiftRound =
      k >= s
        ? Math.abs(at(sys.diffusion, x)) * 2 * u * Math.max(Math.abs(pathValues[k]), Math.abs(pathValues[k + 1]), ws)
        : 0;
    bound += Math.exp(logG) * (stepRound + shiftRound);
    logG += at(sys.driftJacobian, x) * dt + at(sys.diffusionJacobian, x) * dw;
  }
  return bound;
}
