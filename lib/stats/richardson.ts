import { requireFinite, requireNonNegative } from "../util/validate";
import { meanWithError } from "./summary";

/** An estimate with its standard error. */
export interface Estimate {
  mean: number;
  se: number;
}

/**
 * Richardson extrapolation of a scheme with error ∝ dt^order from two independent estimates at
 * steps dt (`coarse`) and dt/ratio (`fine`): (ratio^order·fine − coarse)/(ratio^order − 1), which
 * removes the leading error term. The standard errors are propagated as for independent
 * estimates: √(r²·se_f² + se_c²)/(r − 1) with r = ratio^order. For the usual first-order weak
 * scheme halved once (order 1, ratio 2) this is 2·fine − coarse, se √(4se_f² + se_c²).
 *
 * @param order the scheme's order in dt (default 1)
 * @param ratio the step ratio dt_coarse/dt_fine (default 2)
 * @throws RangeError for non-finite estimates, negative errors, order ≤ 0 or ratio ≤ 1
 */
export function richardson(coarse: Estimate, fine: Estimate, order = 1, ratio = 2): Estimate {
  requireFinite("coarse.mean", coarse.mean);
  requireFinite("fine.mean", fine.mean);
  requireNonNegative("coarse.se", coarse.se);
  requireNonNegative("fine.se", fine.se);
  if (!(order > 0)) throw new RangeError(`order must be > 0, got ${order}`);
  if (!(ratio > 1)) throw new RangeError(`ratio (coarse step / fine step) must be > 1, got ${ratio}`);
  const r = Math.pow(ratio, order);
  return { mean: (r * fine.mean - coarse.mean) / (r - 1), se: Math.sqrt(r * r * fine.se * fine.se + coarse.se * coarse.se) / (r - 1) };
}

/**
 * Richardson extrapolation of paired replicates: replicate i was measured at step dt (`coarse[i]`)
 * and at dt/ratio (`fine[i]`) on the same randomness (the same Brownian path, say), so the two are
 * correlated and `richardson`'s independent-error formula does not apply. Each replicate is combined
 * first, (r·fine_i − coarse_i)/(r − 1) with r = ratio^order, and the mean of the combinations is
 * returned with its standard error over replicates (sd/√n), which accounts for the correlation.
 *
 * @param order the scheme's order in dt (default 1)
 * @param ratio the step ratio dt_coarse/dt_fine (default 2)
 * @throws RangeError for arrays of different lengths, fewer than two replicates, non-finite values,
 *   order ≤ 0 or ratio ≤ 1
 */
export function pairedRichardson(coarse: ArrayLike<number>, fine: ArrayLike<number>, order = 1, ratio = 2): Estimate {
  if (coarse.length !== fine.length) throw new RangeError(`coarse and fine must pair up, got ${coarse.length} and ${fine.length} replicates`);
  if (coarse.length < 2) throw new RangeError(`pairedRichardson needs at least two replicates, got ${coarse.length}`);
  if (!(order > 0)) throw new RangeError(`order must be > 0, got ${order}`);
  if (!(ratio > 1)) throw new RangeError(`ratio (coarse step / fine step) must be > 1, got ${ratio}`);
  const r = Math.pow(ratio, order);
  const combined = Array.from({ length: coarse.length }, (_, i) => {
    requireFinite(`coarse[${i}]`, coarse[i]);
    requireFinite(`fine[${i}]`, fine[i]);
    // for the usual r = 2 this is 2·fine − coarse exactly (no division)
    return r === 2 ? 2 * fine[i] - coarse[i] : (r * fine[i] - coarse[i]) / (r - 1);
  });
  const e = meanWithError(combined);
  return { mean: e.mean, se: e.standardError };
}
