import { LeastSquares, residual } from "../models/least-squares";
import { requirePositive, requireLength, requireInteger } from "../util/validate";

/**
 * Single-sample SGD on a least-squares problem as a cocycle over the shift of index sequences.
 *
 * ω = (ω_1, ω_2, …) is a sequence of sample indices, (θω)_k = ω_{k+1}, and
 *   φ^{n+1}_ω(x) = φ^n_ω(x) − η ∇L_{ω_{n+1}}(φ^n_ω(x)),   ∇L_i(x) = 2 (a_iᵀx − b_i) a_i.
 * `sgdFlow(p, eta, omega, x)` applies φ^{omega.length}_ω in place to x and returns it; the shifted
 * noise θ^m ω is simply omega.subarray(m).
 */
export function sgdFlow(
  p: LeastSquares,
  eta: number,
  omega: ArrayLike<number>,
  x: Float64Array,
  trajectory?: Float64Array,
): Float64Array {
  requirePositive("eta", eta);
  requireLength("x", x, p.dim);
  if (trajectory) requireLength("trajectory", trajectory, (omega.length + 1) * p.dim);
  const d = p.dim;
  if (trajectory) trajectory.set(x, 0);
  for (let k = 0; k < omega.length; k++) {
    const i = omega[k];
    if (!(i >= 0 && i < p.n && Number.isInteger(i))) requireInteger(`omega[${k}]`, i, 0, p.n - 1);
    const g = 2 * eta * residual(p, i, x);
    const row = i * d;
    for (let j = 0; j < d; j++) x[j] -= g * p.a[row + j];
    if (trajectory) trajectory.set(x, (k + 1) * d);
  }
  return x;
}
