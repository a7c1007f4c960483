import type { BrownianPath } from "../random/brownian";
import { requireInteger } from "../util/validate";

/**
 * The Wiener shift θ_s on sampled paths: (θ_s ω)(t) = ω(s + t) − ω(s), for s = m·dt on the grid.
 * It is the metric dynamical system under an SDE's solution cocycle: φ^{t+s}_ω = φ^t_{θ_s ω} ∘ φ^s_ω.
 */
export function wienerShift(path: BrownianPath, m: number): BrownianPath {
  const steps = path.values.length - 1;
  requireInteger("shift m", m, 0, steps);
  const w0 = path.values[m];
  const values = new Float64Array(steps - m + 1);
  for (let k = 0; k <= steps - m; k++) values[k] = path.values[m + k] - w0;
  return { dt: path.dt, values };
}

/** The increments ω(t_{k+1}) − ω(t_k) of the first `steps` steps of a sampled path. */
export function pathIncrements(path: BrownianPath, steps = path.values.length - 1): Float64Array {
  requireInteger("steps", steps, 0, path.values.length - 1);
  const dW = new Float64Array(steps);
  for (let k = 0; k < steps; k++) dW[k] = path.values[k + 1] - path.values[k];
  return dW;
}
