import { fitLine } from "../stats/linear-fit";
import { requireInRange, requireInteger } from "../util/validate";
import { coincidenceRadius } from "./coincidence";
import type { Estimate } from "../stats/estimate";

/** What `informationDimension` returns: the dimension as an `Estimate` (`value`, `se`) with its degrees of freedom, and the groups' fits. */
export interface InformationDimension extends Estimate {
  /** The dimension: the mean of the groups' slopes of ψ(k) against ⟨log r_k⟩. */
  value: number;
  /** sd of the group slopes / √groups (groups − 1 degrees of freedom). */
  se: number;
  dof: number;
  /** Each group's slope (0 for a group that is a finite set at the largest rank's mass). */
  slopes: Float64Array;
  /** The neighbour ranks k used, and ⟨log r_k⟩ (the mean over points of the log distance to the k-th neighbour), averaged over groups. */
  ranks: Int32Array;
  meanLogRadius: Float64Array;
  /** ψ(k) at those ranks, up to a constant (the harmonic number H_{k−1}): plot it against meanLogRadius. */
  psi: Float64Array;
  /** How many groups were finite sets (every point's largest-rank neighbour coincides with it): slope 0. */
  atomicGroups: number;
}

/**
 * The information dimension D₁ of a sample of points (n × d, row-major) by the fixed-mass
 * (nearest-neighbour) method (Badii & Politi 1985; Grassberger 1985): around each point, the ball
 * reaching its k-th nearest neighbour among m − 1 others holds a mass p with E[log p] = ψ(k) − ψ(m−1)
 * exactly (the order statistics of uniform masses), and log p ≈ D₁ log r + c(x) on a measure of
 * information dimension D₁. Averaging over the points (which are drawn from the measure) gives
 *   ψ(k) = D₁ ⟨log r_k⟩ + const,
 * so D₁ is the slope of ψ(k) against ⟨log r_k⟩. This is the dimension that the Kaplan–Yorke
 * conjecture names (D₁ = D_KY for typical invertible systems: Kaplan & Yorke 1979; Ledrappier &
 * Young 1985), where the correlation dimension D₂ ≤ D₁ is only a lower bound.
 *
 * The documented choices: the points are cut into `groups` = 8 consecutive groups of m points; the
 * ranks are `ranks` = 8 log-spaced integers from 2 to max(4, ⌊massRange·m⌋) (default massRange =
 * 0.05, the same upper mass as `correlationDimension`'s range); neighbours less than `theiler` apart
 * in the sequence are excluded (time series); each group's slope is fitted by least squares and
 * the estimate is the mean slope, its error the spread over groups. The method adapts its radii to
 * the sample by construction (each point's own neighbours set them), so no scaling range can miss a
 * group.
 *
 * Finite sets: points closer than the coincidence radius (`resolution`, default `coincidenceRadius`:
 * 1e-9 × the largest coordinate) coincide. A group in which every point's largest-rank neighbour
 * coincides with it is a finite set at that mass (a periodic orbit, a fixed point): its mass does
 * not grow with the radius, and its slope is 0 (the information dimension of a finite set). In
 * any other group a coincident neighbour's distance is taken as the coincidence radius, so that an
 * exact repeat never gives log 0.
 *
 * Errors: RangeErrors for inconsistent sizes, fewer than 50 points per group, a bad range or
 * resolution, or a group whose ⟨log r_k⟩ does not grow with k (all its points coincide up to the
 * smaller ranks but not the largest: neither a continuum nor a finite set at these masses).
 */
export function informationDimension(
  points: Float64Array,
  d: number,
  o: { groups?: number; ranks?: number; massRange?: number; theiler?: number; resolution?: number } = {},
): InformationDimension {
  requireInteger("d (dimension of the points)", d, 1);
  const n = points.length / d;
  requireInteger("number of points (points.length / d)", n, 1);
  const G = o.groups ?? 8,
    R = o.ranks ?? 8,
    q = o.massRange ?? 0.05,
    w = o.theiler ?? 0;
  requireInteger("groups", G, 2);
  requireInteger("ranks", R, 3);
  requireInteger("theiler", w, 0);
  requireInRange("massRange (largest neighbour mass fraction)", q, 0, 0.5);
  const m = Math.floor(n / G);
  if (m < 50)
    throw new RangeError(`informationDimension: ${n} points give ${m} per group; at least 50 per group are needed`);
  const kMax = Math.max(4, Math.floor(q * m));
  const ranks = Int32Array.from(
    new Set(Array.from({ length: R }, (_, i) => Math.round(2 * Math.pow(kMax / 2, i / (R - 1))))),
  );
  if (ranks.length < 3)
    throw new RangeError(
      `informationDimension: only ${ranks.length} distinct ranks between 2 and ${kMax}; use more points`,
    );
  if (kMax >= m - 2 * w - 1)
    throw new RangeError(
      `informationDimension: rank ${kMax} needs more than ${m} points per group with theiler = ${w}`,
    );
  // ψ(k) up to a constant: the harmonic number H_{k−1}
  const psi = Float64Array.from(ranks, (k) => {
    let s = 0;
    for (let j = 1; j < k; j++) s += 1 / j;
    return s;
  });
  const eps = coincidenceRadius(points, o.resolution),
    eps2 = eps * eps,
    logEps = Math.log(eps > 0 ? eps : Number.MIN_VALUE);
  const slopes = new Float64Array(G),
    mean = new Float64Array(ranks.length);
  const dist = new Float64Array(m);
  let atomic = 0;
  for (let g = 0; g < G; g++) {
    const sums = new Float64Array(ranks.length);
    let onAtoms = 0;
    for (let a = g * m; a < (g + 1) * m; a++) {
      let cnt = 0;
      for (let b = g * m; b < (g + 1) * m; b++) {
        if (Math.abs(a - b) <= w) continue;
        let s = 0;
        for (let c = 0; c < d; c++) {
          const z = points[a * d + c] - points[b * d + c];
          s += z * z;
        }
        dist[cnt++] = s;
      }
      const sorted = dist.subarray(0, cnt).sort();
      if (sorted[kMax - 1] <= eps2) onAtoms++;
      for (let r = 0; r < ranks.length; r++) {
        const r2 = sorted[ranks[r] - 1];
        sums[r] += (r2 > eps2 ? 0.5 * Math.log(r2) : logEps) / m;
      }
    }
    sums.forEach((v, r) => (mean[r] += v / G));
    if (onAtoms === m) {
      atomic++;
      slopes[g] = 0;
      continue;
    }
    if (!(sums[ranks.length - 1] > sums[0]))
      throw new RangeError(
        `informationDimension: in group ${g}, ⟨log r_k⟩ does not grow with the rank k (${onAtoms} of ${m} points sit on coincident points up to rank ${kMax}); neither a continuum nor a finite set at these masses`,
      );
    slopes[g] = fitLine(Array.from(sums), psi).slope;
  }
  const avg = slopes.reduce((a, b) => a + b, 0) / G;
  const sd = Math.sqrt(slopes.reduce((a, b) => a + (b - avg) ** 2, 0) / (G - 1));
  return {
    value: avg,
    se: sd / Math.sqrt(G),
    dof: G - 1,
    slopes,
    ranks,
    meanLogRadius: mean,
    psi,
    atomicGroups: atomic,
  };
}
