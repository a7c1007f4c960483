import { requireInteger } from "../util/validate";

/** What `replicateMean` returns. */
export interface VectorEstimate {
  mean: Float64Array;
  standardError: Float64Array;
  n: number;
}

/** Component-wise mean and standard error over independent replicates (each a vector). */
export function replicateMean(replicates: ArrayLike<number>[]): VectorEstimate {
  requireInteger("number of replicates", replicates.length, 2);
  const d = replicates[0].length;
  const mean = new Float64Array(d);
  const m2 = new Float64Array(d);
  replicates.forEach((r, k) => {
    if (r.length !== d) throw new RangeError(`replicate ${k} has length ${r.length}, expected ${d}`);
    for (let i = 0; i < d; i++) {
      if (!Number.isFinite(r[i])) throw new RangeError(`replicate ${k}[${i}] must be finite, got ${r[i]}`);
      // Welford's update: stable for large means
      const delta = r[i] - mean[i];
      mean[i] += delta / (k + 1);
      m2[i] += delta * (r[i] - mean[i]);
    }
  });
  const n = replicates.length;
  const standardError = m2.map((v) => Math.sqrt(v / (n - 1) / n));
  return { mean, standardError, n };
}
