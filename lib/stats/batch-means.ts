import { requireInteger } from "../util/validate";
import type { Estimate } from "./estimate";

/**
 * The batch-means standard error of a long correlated run's average: the run is cut into B
 * consecutive blocks, and with blocks long compared with the correlation time their averages are
 * nearly independent, so se = √(Σ_b (m_b − c)² / ((B − 1)·B)) with c the centre (default: the mean
 * of the block averages, summed in index order). Returns `{ value: c, se, dof: B − 1 }`. A caller whose blocks differ in length passes the
 * run's overall mean as `centre`. Used by `lyapunovSpectrum` (the exponents of one run) and
 * `Factorization.balancedLineExponents` (Birkhoff averages on the balanced line).
 * Method: e.g. Flyvbjerg & Petersen, J. Chem. Phys. 91, 461 (1989).
 * Errors: a RangeError for fewer than two blocks or a non-finite block average.
 */
export function batchMeansError(blockMeans: ArrayLike<number>, centre?: number): Estimate & { dof: number } {
  const B = blockMeans.length;
  requireInteger("number of blocks", B, 2);
  let sum = 0;
  for (let b = 0; b < B; b++) {
    if (!Number.isFinite(blockMeans[b]))
      throw new RangeError(`block average ${b} must be finite, got ${blockMeans[b]}`);
    sum += blockMeans[b];
  }
  const c = centre ?? sum / B;
  let s2 = 0;
  for (let b = 0; b < B; b++) s2 += (blockMeans[b] - c) ** 2;
  return { value: c, se: Math.sqrt(s2 / (B - 1) / B), dof: B - 1 };
}
