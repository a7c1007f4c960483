import { SymmetricEigen } from "../linalg/symmetric-eigen";
import { requireStep } from "../util/validate";
import type { NormalLinearization } from "./linearization";

/** What `gdStability` returns. */
export interface GdStability {
  /** ‖Hess L(x*)‖ = h_max. */
  sharpness: number;
  /** Eigenvalues h_k of Hess L(x*) on the normal space, ascending. */
  curvatures: number[];
  /** μ(x*). */
  mu: number;
  /** 2/‖Hess L(x*)‖: GD is stable at x* for η below this. */
  threshold: number;
}

/** The eigenvalues h_k of Hess L(x*) on the normal space, ascending (symmetric QL, lib/linalg). */
export function normalCurvatures(lin: NormalLinearization): number[] {
  const r = lin.rank,
    h = lin.hessian();
  const m = new Float64Array(r * r); // (H + Hᵀ)/2: removes rounding asymmetry
  for (let p = 0; p < r; p++) for (let q = 0; q < r; q++) m[p * r + q] = 0.5 * (h[p * r + q] + h[q * r + p]);
  return Array.from(new SymmetricEigen(r).values(m, undefined, Infinity));
}

/**
 * GD stability of a global minimum (the talk's μ):
 *   μ(x*) = log ‖Dφ(x*)|_{(T_{x*}M)^⊥}‖ = log max_k |1 − η h_k|,
 * h_k > 0 the eigenvalues of Hess L(x*) on the normal space (it vanishes on the tangent space).
 * Since every h_k > 0, 1 − ηh_k < 1 always, so μ < 0 ⇔ 1 − ηh_max > −1 ⇔ η < 2/‖Hess L(x*)‖:
 * the talk's equivalence, derived (and tested against the definition).
 */
export function gdStability(lin: NormalLinearization, eta: number): GdStability {
  requireStep(eta);
  const curvatures = normalCurvatures(lin);
  const sharpness = curvatures[curvatures.length - 1];
  let worst = 0;
  for (const h of curvatures) worst = Math.max(worst, Math.abs(1 - eta * h));
  return { sharpness, curvatures, mu: Math.log(worst), threshold: 2 / sharpness };
}
