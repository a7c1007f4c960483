import { fitLine } from "../stats/linear-fit";
import { requireInRange, requireInteger } from "../util/validate";

/** What `correlationDimension` returns. */
export interface CorrelationDimension {
  /** The mean of the groups' slopes of log C(r) against log r over the scaling range. */
  dimension: number;
  /** sd of the group slopes / √groups (groups − 1 degrees of freedom). */
  standardError: number;
  dof: number;
  /** Each group's slope. */
  slopes: Float64Array;
  /** The radii of the scaling range (log-spaced) and the correlation sum C(r) there, averaged over groups. */
  radii: Float64Array;
  correlationSum: Float64Array;
}

/**
 * The correlation dimension of a sample of points (n × d, row-major) by Grassberger & Procaccia
 * (1983): C(r) = the fraction of pairs closer than r, and ν = d log C / d log r over a scaling range.
 *
 * The documented choices: the scaling range runs between the radii at which the first group's
 * C(r) equals `range` = [1e-3, 5e-2] by default (below, too few pairs; above, the attractor's
 * extent bends the curve), on `radii` = 10 log-spaced radii; the points are cut into `groups` = 8
 * consecutive groups, each group's C(r) is computed from its own pairs (excluding pairs less than
 * `theiler` apart in the sequence, for time series: Theiler 1986) and its slope fitted by least
 * squares; the estimate is the mean slope and its error the spread over groups (independent
 * samples, e.g. pullback runs, or time blocks much longer than the correlation time).
 *
 * Errors: RangeErrors for inconsistent sizes, too few points per group (< 50), a bad range, or
 * a scaling range that collapses (repeated points).
 */
export function correlationDimension(points: Float64Array, d: number, o: { groups?: number; radii?: number; range?: [number, number]; theiler?: number } = {}): CorrelationDimension {
  requireInteger("d (dimension of the points)", d, 1);
  const n = points.length / d;
  requireInteger("number of points (points.length / d)", n, 1);
  const G = o.groups ?? 8, R = o.radii ?? 10, [q0, q1] = o.range ?? [1e-3, 5e-2], w = o.theiler ?? 0;
  requireInteger("groups", G, 2);
  requireInteger("radii", R, 3);
  requireInteger("theiler", w, 0);
  requireInRange("range[0] (correlation sum at the smallest radius)", q0, 0, 1);
  requireInRange("range[1] (correlation sum at the largest radius)", q1, q0, 1);
  const m = Math.floor(n / G);
  if (m < 50) throw new RangeError(`correlationDimension: ${n} points give ${m} per group; at least 50 per group are needed`);
  const groupDistances = (g: number): Float64Array => {
    const out: number[] = [];
    for (let i = g * m; i < (g + 1) * m; i++) for (let j = i + 1 + w; j < (g + 1) * m; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) { const z = points[i * d + c] - points[j * d + c]; s += z * z; }
      out.push(Math.sqrt(s));
    }
    return Float64Array.from(out).sort();
  };
  const first = groupDistances(0);
  const quantile = (q: number) => first[Math.min(first.length - 1, Math.floor(q * first.length))];
  const r0 = quantile(q0), r1 = quantile(q1);
  if (!(r0 > 0 && r1 > r0)) throw new RangeError(`correlationDimension: the scaling range [${r0}, ${r1}] is empty (repeated points?)`);
  const radii = Float64Array.from({ length: R }, (_, k) => r0 * Math.pow(r1 / r0, k / (R - 1)));
  const logR = Array.from(radii, Math.log);
  const slopes = new Float64Array(G), sum = new Float64Array(R);
  for (let g = 0; g < G; g++) {
    const dist = g === 0 ? first : groupDistances(g);
    const C = Array.from(radii, (r) => lowerCount(dist, r) / dist.length);
    if (C.some((c) => c === 0)) throw new RangeError(`correlationDimension: group ${g} has no pair closer than ${r0}; use more points or a larger range[0]`);
    C.forEach((c, k) => (sum[k] += c / G));
    slopes[g] = fitLine(logR, C.map(Math.log)).slope;
  }
  const mean = slopes.reduce((a, b) => a + b, 0) / G;
  const sd = Math.sqrt(slopes.reduce((a, b) => a + (b - mean) ** 2, 0) / (G - 1));
  return { dimension: mean, standardError: sd / Math.sqrt(G), dof: G - 1, slopes, radii, correlationSum: sum };
}

/** The number of entries of the ascending array a that are < r (binary search). */
function lowerCount(a: Float64Array, r: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (a[mid] < r) lo = mid + 1; else hi = mid; }
  return lo;
}
