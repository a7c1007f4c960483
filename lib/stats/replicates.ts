import { requireInteger } from "../util/validate";
import type { Estimate } from "./estimate";

/**
 * What `replicateMean` returns: a vector of estimates, component i being the `Estimate`
 * { value: value[i], se: se[i] } (`estimateAt`), over n replicates.
 */
export interface VectorEstimate {
  /** The component-wise mean. */
  value: Float64Array;
  /** The component-wise standard error s/√n. */
  se: Float64Array;
  /** The number of replicates. */
  n: number;
}

/** Component-wise mean and standard error over independent replicates (each a vector), as `{ value, se, n }`. */
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
  const se = m2.map((v) => Math.sqrt(v / (n - 1) / n));
  return { value: mean, se, n };
}

/**
 * Component i of a vector of estimates as one `Estimate` (`replicateMean(...)` → `richardson`).
 * Errors: a RangeError for an index outside the vector.
 */
export function estimateAt(v: { value: ArrayLike<number>; se: ArrayLike<number> }, i: number): Estimate {
  if (!(Number.isInteger(i) && i >= 0 && i < v.value.length))
    throw new RangeError(`component index must be an integer in [0, ${v.value.length}), got ${i}`);
  return { value: v.value[i], se: v.se[i] };
}
