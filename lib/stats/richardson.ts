import { requireFinite, requireNonNegative } from "../util/validate";
import { meanWithError } from "./summary";
import type { Estimate } from "./estimate";

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
  requireFinite("coarse.value", coarse.value);
  requireFinite("fine.value", fine.value);
  requireNonNegative("coarse.se", coarse.se);
  requireNonNegative("fine.se", fine.se);
  if (!(order > 0)) throw new RangeError(`order must be > 0, got ${order}`);
  if (!(ratio > 1)) throw new RangeError(`ratio (coarse step / fine step) must be > 1, got ${ratio}`);
  const r = Math.pow(ratio, order);
  return {
    value: (r * fine.value - coarse.value) / (r - 1),
    se: Math.sqrt(r * r * fine.se * fine.se + coarse.se * coarse.se) / (r - 1),
  };
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
  if (coarse.length !== fine.length)
    throw new RangeError(`coarse and fine must pair up, got ${coarse.length} and ${fine.length} replicates`);
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
  return { value: e.value, se: e.se };
}

/**
 * The h² coefficient b of a scheme's expansion E(h) = p₀ + a·h + b·h² + O(h³), from three
 * independent estimates at distinct steps: the second divided difference
 *   b = [(E₁ − E₂)/(h₁ − h₂) − (E₂ − E₃)/(h₂ − h₃)]/(h₁ − h₃),
 * with its standard error propagated as for independent estimates. A cubic term c·h³ biases it by
 * c·(h₁ + h₂ + h₃). Use it on runs independent of the ones a Richardson extrapolation combines, so
 * that the extrapolation's remainder (`richardsonRemainder`) is measured rather than taken from the
 * data it corrects.
 * @throws RangeError for other than three points, equal steps, non-finite estimates or negative errors
 */
export function stepCurvature(points: { step: number; estimate: Estimate }[]): Estimate {
  if (points.length !== 3) throw new RangeError(`stepCurvature needs three steps, got ${points.length}`);
  const [p1, p2, p3] = points;
  points.forEach((p, i) => {
    requireFinite(`points[${i}].step`, p.step);
    requireFinite(`points[${i}].estimate.value`, p.estimate.value);
    requireNonNegative(`points[${i}].estimate.se`, p.estimate.se);
  });
  const d12 = p1.step - p2.step,
    d23 = p2.step - p3.step,
    d13 = p1.step - p3.step;
  if (d12 === 0 || d23 === 0 || d13 === 0)
    throw new RangeError(`the steps must differ, got ${points.map((p) => p.step).join(", ")}`);
  const w1 = 1 / (d12 * d13),
    w2 = -(1 / d12 + 1 / d23) / d13,
    w3 = 1 / (d23 * d13);
  return {
    value: w1 * p1.estimate.value + w2 * p2.estimate.value + w3 * p3.estimate.value,
    se: Math.hypot(w1 * p1.estimate.se, w2 * p2.estimate.se, w3 * p3.estimate.se),
  };
}

/**
 * What a first-order Richardson extrapolation from steps h_c and h_f leaves of E(h) = p₀ + a·h +
 * b·h² + …: the combination equals p₀ − b·h_c·h_f (for any step ratio), so its remainder is
 * −b·h_c·h_f, with b's standard error scaled alike. Subtract it from the extrapolation and add the
 * errors in quadrature.
 * @throws RangeError for non-positive steps or a fine step not below the coarse one
 */
export function richardsonRemainder(curvature: Estimate, coarseStep: number, fineStep: number): Estimate {
  if (!(coarseStep > fineStep && fineStep > 0))
    throw new RangeError(`steps must satisfy coarse > fine > 0, got ${coarseStep} and ${fineStep}`);
  requireFinite("curvature.value", curvature.value);
  requireNonNegative("curvature.se", curvature.se);
  return { value: -curvature.value * coarseStep * fineStep, se: curvature.se * coarseStep * fineStep };
}
