import type { Stream } from "../random/stream";
import type { KsResult } from "./ks";

/**
 * Kolmogorov–Smirnov test of a scale family when each group's scale is estimated from the data:
 * every group (e.g. the spacings of one degenerate pair across runs) is divided by its own mean,
 * the pooled values are compared with `cdf` (the law with unit mean), and the p-value comes from a
 * parametric bootstrap of the same procedure (Lilliefors' idea): with estimated scales the
 * Kolmogorov distribution would make the test far too lenient.
 */
export function ksScaleFamily(
  groups: ArrayLike<number>[],
  cdf: (s: number) => number,
  sampleUnitMean: (stream: Stream, out: Float64Array) => Float64Array,
  stream: Stream,
  replicates = 400,
): KsResult & { replicates: number } {
  if (groups.length === 0 || groups.some((g) => g.length < 2)) throw new RangeError("ksScaleFamily: need at least one group, each with ≥ 2 values");
  const statistic = scaledD(groups, cdf);
  let exceed = 0;
  const sims = groups.map((g) => new Float64Array(g.length));
  for (let r = 0; r < replicates; r++) {
    for (const s of sims) sampleUnitMean(stream, s);
    if (scaledD(sims, cdf) >= statistic) exceed++;
  }
  const n = groups.reduce((a, g) => a + g.length, 0);
  return { statistic, pValue: (exceed + 1) / (replicates + 1), n, replicates };
}

function scaledD(groups: ArrayLike<number>[], cdf: (s: number) => number): number {
  const pooled: number[] = [];
  for (const g of groups) {
    let m = 0;
    for (let i = 0; i < g.length; i++) m += g[i];
    m /= g.length;
    if (!(m > 0)) throw new RangeError("ksScaleFamily: a group has a non-positive mean");
    for (let i = 0; i < g.length; i++) pooled.push(g[i] / m);
  }
  pooled.sort((a, b) => a - b);
  const n = pooled.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(pooled[i]);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}
