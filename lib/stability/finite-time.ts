import { VERDICT_LEVEL } from "../params";
import { zForConfidence } from "../stats/normal";
import { requireInteger, requireNonNegative, requirePositive } from "../util/validate";

/**
 * The distance to M below which floating point can no longer follow a run (relative rounding of the
 * residuals): the floor of `finiteTimeResolution`, and where `descend`'s linearised confirmation
 * restarts the normal deviation.
 */
export const ROUNDING_FLOOR = 1e-15;

/**
 * How unstable a minimum can be and still pass the runner's convergence test (loss ≤ lossTol for
 * W = confirmSteps steps; lib/optim/descent). Near x* the log-distance to M moves by log|A_B| per
 * step: drift λ, spread σ per step (σ = 0 for GD). A run sitting at distance ≤ √lossTol with λ > 0
 * stays there for W steps only if (i) the drift over W steps does not lift it from the rounding
 * floor (~1e-15 relative) to the tolerance, gap = ln(√lossTol / 1e-15), and (ii) the noise does not
 * make up for the drift, z·σ√W. So limits are resolved up to
 *   δ = (gap + z·σ·√W) / W,
 * in units of λ (or μ for GD); a limit with λ(x_lim) > δ is a genuine violation of the theorem.
 * z is the one-sided quantile at the given confidence after a Bonferroni split over `runs` runs.
 */
export function finiteTimeResolution(o: {
  sigma: number;
  confirmSteps: number;
  lossTol: number;
  runs?: number;
  confidence?: number;
}): number {
  requireNonNegative("sigma", o.sigma);
  requireInteger("confirmSteps", o.confirmSteps, 1);
  requirePositive("lossTol", o.lossTol);
  const runs = o.runs ?? 1;
  requireInteger("runs", runs, 1);
  const alpha = (1 - (o.confidence ?? 1 - VERDICT_LEVEL)) / runs;
  const z = zForConfidence(1 - 2 * alpha); // two-sided helper at 1 − 2α = one-sided at 1 − α
  const gap = Math.max(0, Math.log(Math.sqrt(o.lossTol) / ROUNDING_FLOOR));
  return (gap + z * o.sigma * Math.sqrt(o.confirmSteps)) / o.confirmSteps;
}
