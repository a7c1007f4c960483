import type { BrownianPath } from "../random/brownian";
import { SdeIntegrator } from "../sde/integrate";
import { pathIncrements, wienerShift } from "./wiener-shift";
import { requireInteger } from "../util/validate";

/** What `sdeCocycleCheck` returns. */
export interface CocycleCheck {
  direct: Float64Array;
  composite: Float64Array;
  /** max_i |direct_i − composite_i| */
  deviation: number;
  /** The direct trajectory, (s + t + 1) × dim, for error bounds and figures. */
  trajectory: Float64Array;
}

/**
 * Numerical check of the cocycle identity φ^{t+s}_ω(x) = φ^t_{θ_s ω}(φ^s_ω(x)) for an SDE solved
 * on a sampled noise path. "direct" integrates over [0, s+t] on ω; "composite" integrates over
 * [0, s] on ω and then over [0, t] on the shifted path θ_{shift} ω, built by `wienerShift`
 * (ω(shift + ·) − ω(shift), a different floating-point representation of the same increments).
 * With shift = s the two agree to rounding error; any other shift breaks the identity.
 */
export function sdeCocycleCheck(
  integ: SdeIntegrator,
  path: BrownianPath,
  x0: Float64Array,
  s: number,
  t: number,
  shift = s,
): CocycleCheck {
  const steps = path.values.length - 1;
  requireInteger("s (steps)", s, 0, steps);
  requireInteger("t (steps)", t, 0, steps - s);
  requireInteger("shift (steps)", shift, 0, steps - t);
  if (integ.sys.noiseDim !== 1)
    throw new RangeError(`sdeCocycleCheck drives one Brownian motion; the system has noiseDim ${integ.sys.noiseDim}`);
  const dim = integ.sys.dim;
  const dW = pathIncrements(path, s + t);
  const trajectory = new Float64Array((s + t + 1) * dim);
  const direct = integ.solve(Float64Array.from(x0), path.dt, dW, trajectory);
  const mid = integ.solve(Float64Array.from(x0), path.dt, dW.subarray(0, s));
  const composite = integ.solve(mid, path.dt, pathIncrements(wienerShift(path, shift), t));
  let deviation = 0;
  for (let i = 0; i < dim; i++) deviation = Math.max(deviation, Math.abs(direct[i] - composite[i]));
  return { direct, composite, deviation, trajectory };
}
