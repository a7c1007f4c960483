import { Stream } from "./stream";
import { requirePositive, requireInteger } from "../util/validate";

/**
 * Brownian increments: out[k] = √dt · N(0, 1), the increments W(t_{k+1}) − W(t_k) of a standard
 * Brownian motion on a grid of step dt. No allocation.
 */
export function brownianIncrements(stream: Stream, dt: number, out: Float64Array): Float64Array {
  requirePositive("dt", dt);
  stream.fillNormal(out);
  const s = Math.sqrt(dt);
  for (let k = 0; k < out.length; k++) out[k] *= s;
  return out;
}

/** A sampled Brownian path W(0) = 0, W(dt), …, W(steps·dt), as its values on the grid. */
export interface BrownianPath {
  dt: number;
  /** values[k] = W(k·dt), length steps + 1. */
  values: Float64Array;
}

/** A standard Brownian path on [0, steps·dt]. */
export function brownianPath(stream: Stream, dt: number, steps: number): BrownianPath {
  requirePositive("dt", dt);
  requireInteger("steps", steps, 1);
  const inc = brownianIncrements(stream, dt, new Float64Array(steps));
  const values = new Float64Array(steps + 1);
  for (let k = 0; k < steps; k++) values[k + 1] = values[k] + inc[k];
  return { dt, values };
}
