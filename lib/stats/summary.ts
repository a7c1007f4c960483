import { mean as ssMean, sampleVariance } from "simple-statistics";
import { requireInteger } from "../util/validate";

/** Mean of independent replicates with its standard error s/√n. */
export interface MeanEstimate {
  mean: number;
  standardError: number;
  n: number;
}

/**
 * Mean and standard error (sd/√n) of independent values. Errors: a RangeError for fewer than two
 * values.
 */
export function meanWithError(x: ArrayLike<number>): MeanEstimate {
  requireInteger("sample size", x.length, 2);
  const arr = Array.from(x);
  for (let i = 0; i < arr.length; i++) {
    if (!Number.isFinite(arr[i])) throw new RangeError(`sample[${i}] must be finite, got ${arr[i]}`);
  }
  return { mean: ssMean(arr), standardError: Math.sqrt(sampleVariance(arr) / arr.length), n: arr.length };
}
