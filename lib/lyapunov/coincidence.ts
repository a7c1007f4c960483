import { requireNonNegative } from "../util/validate";

/**
 * The default relative resolution of the point-sample dimension estimators: two points closer than
 * RELATIVE_RESOLUTION times the sample's largest coordinate magnitude count as the same point.
 * Iterates of a map that has converged onto a fixed point or a cycle agree to rounding (~1e-16
 * relative), seven decades below. A sample of a continuum has pairs that close only among its very
 * closest few, which no scaling range reaches: the estimators use the resolution to recognise a
 * finite set (a group whose every point has its neighbours, up to the largest rank or quantile,
 * within it has dimension 0) and to keep an exact repeat from giving log 0.
 */
export const RELATIVE_RESOLUTION = 1e-9;

/**
 * The distance at or below which two points of a sample (n × d, row-major) coincide: `resolution`
 * when given, else RELATIVE_RESOLUTION × max |coordinate| (RELATIVE_RESOLUTION itself when every
 * coordinate is 0). Errors: a RangeError for a negative or non-finite resolution.
 */
export function coincidenceRadius(points: Float64Array, resolution?: number): number {
  if (resolution !== undefined) {
    requireNonNegative("resolution", resolution);
    return resolution;
  }
  let scale = 0;
  for (let i = 0; i < points.length; i++) scale = Math.max(scale, Math.abs(points[i]));
  return RELATIVE_RESOLUTION * (scale > 0 ? scale : 1);
}
