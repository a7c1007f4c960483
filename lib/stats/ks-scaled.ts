import type { Stream } from "../random/stream";
import type { KsResult } from "./ks";
import { VERDICT_LEVEL } from "../params";
import { requireInRange, requireInteger } from "../util/validate";

/** Options of `ksScaleFamily`. */
export interface ScaleFamilyOptions {
  /** The smallest significance level the p-value must resolve (default VERDICT_LEVEL). */
  level?: number;
  /** Most bootstrap replicates (default ⌈1/level⌉, so that p < level is attainable). */
  maxReplicates?: number;
  /** Stop once this many replicates reach the observed D (default 20; Besag & Clifford's h). */
  exceedances?: number;
}

/**
 * Kolmogorov–Smirnov test of a scale family when each group's scale is estimated from the data:
 * every group (e.g. the spacings of one degenerate pair across runs) is divided by its own mean,
 * the pooled values are compared with `cdf` (the law with unit mean), and the p-value comes from a
 * parametric bootstrap of the same procedure (Lilliefors' idea): with estimated scales the
 * Kolmogorov distribution would make the test far too lenient.
 *
 * The bootstrap is sequential (Besag & Clifford, Biometrika 78, 1991): replicates are drawn until
 * `exceedances` = h of them reach the observed D, giving p = h/r after r replicates, or until
 * `maxReplicates` = M, giving p = (e + 1)/(M + 1) with e exceedances. The p-value is valid at every
 * level (P(p ≤ a) ≤ a under the null), a typical sample stops after a few dozen replicates, and a
 * sample far from the law runs all M, which by default resolve p down to the run's per-verdict level.
 * (A fixed 200 replicates cannot give p below 1/201 = 0.005: a test at level 10⁻⁴ with them can never
 * reject.) Errors: a RangeError for no group, a group with fewer than two values or a non-positive
 * mean, or bad options.
 */
export function ksScaleFamily(
  groups: ArrayLike<number>[],
  cdf: (s: number) => number,
  sampleUnitMean: (stream: Stream, out: Float64Array) => Float64Array,
  stream: Stream,
  options: ScaleFamilyOptions = {},
): KsResult & { replicates: number } {
  if (groups.length === 0 || groups.some((g) => g.length < 2))
    throw new RangeError("ksScaleFamily: need at least one group, each with ≥ 2 values");
  const level = options.level ?? VERDICT_LEVEL;
  requireInRange("level", level, 0, 1);
  const maxReplicates = options.maxReplicates ?? Math.ceil(1 / level);
  requireInteger("maxReplicates", maxReplicates, 1);
  const h = options.exceedances ?? 20;
  requireInteger("exceedances", h, 1);
  const statistic = scaledD(groups, cdf);
  let exceed = 0;
  const sims = groups.map((g) => new Float64Array(g.length));
  const n = groups.reduce((a, g) => a + g.length, 0);
  for (let r = 1; r <= maxReplicates; r++) {
    for (const s of sims) sampleUnitMean(stream, s);
    if (scaledD(sims, cdf) >= statistic && ++exceed === h) return { statistic, pValue: h / r, n, replicates: r };
  }
  return { statistic, pValue: (exceed + 1) / (maxReplicates + 1), n, replicates: maxReplicates };
}

function scaledD(groups: ArrayLike<number>[], cdf: (s: number) => number): number {
  let total = 0;
  for (const g of groups) total += g.length;
  const pooled = new Float64Array(total);
  let k = 0;
  for (const g of groups) {
    let m = 0;
    for (let i = 0; i < g.length; i++) m += g[i];
    m /= g.length;
    if (!(m > 0)) throw new RangeError("ksScaleFamily: a group has a non-positive mean");
    for (let i = 0; i < g.length; i++) pooled[k++] = g[i] / m;
  }
  pooled.sort(); // numeric for a typed array
  const n = pooled.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(pooled[i]);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}
