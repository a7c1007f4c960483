import { fitLine } from "../stats/linear-fit";
import { requireInRange, requireInteger } from "../util/validate";
import { coincidenceRadius } from "./coincidence";
import type { Estimate } from "../stats/estimate";

/** What `correlationDimension` returns: the dimension as an `Estimate` (`value`, `se`) with its degrees of freedom, and the groups' fits. */
export interface CorrelationDimension extends Estimate {
  /** The dimension: the mean of the groups' slopes of log C(r) against log r over their scaling ranges. */
  value: number;
  /** sd of the group slopes / √groups (groups − 1 degrees of freedom). */
  se: number;
  dof: number;
  /** Each group's slope (0 for a group that is a finite set at the scale of its range). */
  slopes: Float64Array;
  /** Each group's scaling range [r₀, r₁] (its own, see below): 2 × groups, row-major. */
  ranges: Float64Array;
  /**
   * The curve averaged over the groups that are not finite sets, at the `radii` levels of each
   * group's range: the geometric mean of the groups' k-th radii, and the mean of their C there (for
   * a plot of log C against log r); empty when every group is a finite set.
   */
  radii: Float64Array;
  correlationSum: Float64Array;
  /** How many groups were finite sets (every pair within the range coincides): slope 0. */
  atomicGroups: number;
}

/**
 * The correlation dimension of a sample of points (n × d, row-major) by Grassberger & Procaccia
 * (1983): C(r) = the fraction of pairs closer than r, and ν = d log C / d log r over a scaling range.
 *
 * The points are cut into `groups` = 8 consecutive groups; each group's C(r) is computed from its
 * own pairs (excluding pairs less than `theiler` apart in the sequence, for time series: Theiler
 * 1986) and its slope fitted by least squares on `radii` = 10 log-spaced radii; the estimate is the
 * mean slope and its error the spread over groups (independent samples, e.g. pullback runs, or time
 * blocks much longer than the correlation time).
 *
 * The scaling range adapts to each group: it runs between the group's own radii at which C(r)
 * equals `range` = [1e-3, 5e-2] (below, too few pairs; above, the set's extent bends the curve),
 * with the lower end raised, where needed, to the `minPairs`-th (default 10) closest pair and to the
 * first distance above the coincidence radius, so that every C on the range counts real pairs. A
 * common range taken from one group fails when groups differ in scale (runs that settle in
 * different places), which per-group ranges cannot. A group whose upper radius is itself within
 * the coincidence radius (`resolution`, default `coincidenceRadius`: 1e-9 × the largest coordinate)
 * is a finite set at that scale, such as a periodic orbit: C(r) is flat there, and its slope is 0.
 *
 * Errors: RangeErrors for inconsistent sizes, too few points per group (< 50), a bad range or
 * resolution, or a group whose range collapses (fewer than `minPairs` pairs below its upper end).
 */
export function correlationDimension(
  points: Float64Array,
  d: number,
  o: {
    groups?: number;
    radii?: number;
    range?: [number, number];
    minPairs?: number;
    theiler?: number;
    resolution?: number;
  } = {},
): CorrelationDimension {
  requireInteger("d (dimension of the points)", d, 1);
  const n = points.length / d;
  requireInteger("number of points (points.length / d)", n, 1);
  const G = o.groups ?? 8,
    R = o.radii ?? 10,
    [q0, q1] = o.range ?? [1e-3, 5e-2],
    w = o.theiler ?? 0,
    minPairs = o.minPairs ?? 10;
  requireInteger("groups", G, 2);
  requireInteger("radii", R, 3);
  requireInteger("theiler", w, 0);
  requireInteger("minPairs", minPairs, 1);
  requireInRange("range[0] (correlation sum at the smallest radius)", q0, 0, 1);
  requireInRange("range[1] (correlation sum at the largest radius)", q1, q0, 1);
  const m = Math.floor(n / G);
  if (m < 50)
    throw new RangeError(`correlationDimension: ${n} points give ${m} per group; at least 50 per group are needed`);
  const eps = coincidenceRadius(points, o.resolution);
  const groupDistances = (g: number): Float64Array => {
    const out: number[] = [];
    for (let i = g * m; i < (g + 1) * m; i++)
      for (let j = i + 1 + w; j < (g + 1) * m; j++) {
        let s = 0;
        for (let c = 0; c < d; c++) {
          const z = points[i * d + c] - points[j * d + c];
          s += z * z;
        }
        out.push(Math.sqrt(s));
      }
    return Float64Array.from(out).sort();
  };
  const slopes = new Float64Array(G),
    ranges = new Float64Array(2 * G),
    logR = new Float64Array(R),
    sum = new Float64Array(R);
  let atomic = 0;
  for (let g = 0; g < G; g++) {
    const dist = groupDistances(g),
      P = dist.length;
    const at = (q: number) => dist[Math.min(P - 1, Math.max(0, Math.ceil(q * P) - 1))];
    const r1 = at(q1);
    if (r1 <= eps) {
      // a finite set at this scale: C(r) is flat from the coincidence radius up to r1
      atomic++;
      ranges[2 * g] = ranges[2 * g + 1] = r1;
      slopes[g] = 0;
      continue;
    }
    const above = lowerCount(dist, eps * (1 + 1e-12)); // pairs that coincide
    const r0 = Math.max(at(q0), dist[Math.min(P - 1, minPairs - 1)], dist[Math.min(P - 1, above)]);
    if (!(r1 > r0) || lowerCount(dist, r1) < minPairs) {
      throw new RangeError(
        `correlationDimension: group ${g} has no scaling range (its ${minPairs}-th closest pair ${r0.toPrecision(3)} is not below its C = ${q1} radius ${r1.toPrecision(3)}); use more points per group or a larger range[1]`,
      );
    }
    ranges[2 * g] = r0;
    ranges[2 * g + 1] = r1;
    const radii = Array.from({ length: R }, (_, k) => r0 * Math.pow(r1 / r0, k / (R - 1)));
    // C at the k-th radius counts pairs at distance ≤ r (r0 is itself a pair distance, so C > 0 there)
    const C = radii.map((r) => upperCount(dist, r) / P);
    radii.forEach((r, k) => {
      logR[k] += Math.log(r);
      sum[k] += C[k];
    });
    slopes[g] = fitLine(radii.map(Math.log), C.map(Math.log)).slope;
  }
  const mean = slopes.reduce((a, b) => a + b, 0) / G;
  const sd = Math.sqrt(slopes.reduce((a, b) => a + (b - mean) ** 2, 0) / (G - 1));
  // the averaged curve over the groups that have one (none when every group is a finite set)
  const curves = G - atomic;
  return {
    value: mean,
    se: sd / Math.sqrt(G),
    dof: G - 1,
    slopes,
    ranges,
    radii: curves ? Float64Array.from(logR, (v) => Math.exp(v / curves)) : new Float64Array(0),
    correlationSum: curves ? sum.map((v) => v / curves) : new Float64Array(0),
    atomicGroups: atomic,
  };
}

/** The number of entries of the ascending array a that are < r (binary search). */
function lowerCount(a: Float64Array, r: number): number {
  let lo = 0,
    hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < r) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The number of entries of the ascending array a that are ≤ r. */
function upperCount(a: Float64Array, r: number): number {
  let lo = 0,
    hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] <= r) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
