import type { Stream } from "../random/stream";
import { RqfFlow } from "./flow";
import { requireInteger, requirePositive } from "../util/validate";

/**
 * Pairwise gaps 1 − |⟨x_i, x_j⟩| of m points on S^{n−1} (stored row by row), sorted ascending:
 * 0 for a pair in the same or in antipodal positions, 1 for orthogonal points. m(m−1)/2 values.
 */
export function pairGaps(points: Float64Array, n: number, m: number): Float64Array {
  requireInteger("n", n, 1);
  requireInteger("m", m, 2);
  if (points.length !== n * m) throw new RangeError(`points must have m·n = ${n * m} entries, got ${points.length}`);
  const gaps = new Float64Array((m * (m - 1)) / 2);
  let p = 0;
  for (let i = 0; i < m; i++)
    for (let j = i + 1; j < m; j++) {
      let z = 0;
      for (let k = 0; k < n; k++) z += points[i * n + k] * points[j * n + k];
      gaps[p++] = 1 - Math.abs(z);
    }
  return gaps.sort();
}

/** Options of `tokenClustering`. */
export interface TokenClusteringOptions {
  /** Duration in model time. */
  T: number;
  /** Record the gap statistics every this many steps (default 20). */
  every?: number;
  /** Times at which to keep a copy of all points (each rounded to the nearest step; default none). */
  snapshotTimes?: number[];
  /** A pair counts as clustered when its gap is below this (default 1e-3). */
  clusteredBelow?: number;
}

/** What `tokenClustering` records. */
export interface TokenClustering {
  /** Times of the records, and per record the median gap and the fraction of clustered pairs. */
  times: number[];
  medianGap: number[];
  clusteredFraction: number[];
  /** Copies of the points at `snapshotTimes`. */
  snapshots: Float64Array[];
  /** The sorted pair gaps at the end. */
  finalGaps: Float64Array;
}

/**
 * Runs m tokens (the rows of `points`, moved in place) under one common RQF noise path for `time`,
 * recording how the pairs cluster into polar or antipolar configurations (the RQF paper's
 * clustering claim): the median over pairs of 1 − |Z_ij| and the fraction below `clusteredBelow`.
 * Errors: a RangeError for a non-positive time or `every`.
 */
export function tokenClustering(
  flow: RqfFlow,
  points: Float64Array,
  stream: Stream,
  o: TokenClusteringOptions,
): TokenClustering {
  requirePositive("T", o.T);
  const every = o.every ?? 20;
  requireInteger("every", every, 1);
  const tol = o.clusteredBelow ?? 1e-3;
  const { n, m, dt } = flow;
  const steps = Math.round(o.T / dt);
  const out: TokenClustering = {
    times: [],
    medianGap: [],
    clusteredFraction: [],
    snapshots: [],
    finalGaps: new Float64Array(0),
  };
  const snaps = o.snapshotTimes ?? [];
  for (let k = 0; k <= steps; k++) {
    const t = k * dt;
    if (snaps.some((s) => Math.abs(s - t) < dt / 2)) out.snapshots.push(Float64Array.from(points));
    if (k % every === 0) {
      const g = pairGaps(points, n, m);
      out.times.push(t);
      out.clusteredFraction.push(g.filter((v) => v < tol).length / g.length);
      out.medianGap.push(g[Math.floor(g.length / 2)]);
    }
    if (k < steps) flow.step(stream, points);
  }
  out.finalGaps = pairGaps(points, n, m);
  return out;
}

/**
 * The two antipodal clusters of m points on S^{n−1} relative to point 0: `withFirst` counts the
 * points with ⟨x_i, x_0⟩ > 0 (point 0 included), and `spread` = max_i (1 − |⟨x_i, x_0⟩|) says how
 * tight the polar/anti-polar configuration is (0 when every point sits at ±x_0).
 */
export function antipodalClusters(points: Float64Array, n: number, m: number): { withFirst: number; spread: number } {
  requireInteger("n", n, 1);
  requireInteger("m", m, 1);
  if (points.length !== n * m) throw new RangeError(`points must have m·n = ${n * m} entries, got ${points.length}`);
  let withFirst = 0,
    spread = 0;
  for (let i = 0; i < m; i++) {
    let z = 0;
    for (let k = 0; k < n; k++) z += points[i * n + k] * points[k];
    if (z > 0) withFirst++;
    spread = Math.max(spread, 1 - Math.abs(z));
  }
  return { withFirst, spread };
}
