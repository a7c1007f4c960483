import { fitLinearModel, type LinearModelFit } from "./linear-model";
import type { Estimate } from "./estimate";

/** One measured point of `powerLawFit`: the positive quantity y as an `Estimate` (`value`, `se`) at its regressors. */
export interface PowerLawPoint extends Estimate {
  /** The positive regressors (e.g. [α, |B|]): one exponent is fitted per entry. */
  x: number[];
  /** Which prefactor the point shares (0 … groups − 1; default 0). */
  group?: number;
  /** A known additive term of log y that is not fitted (e.g. a derived finite-step correction). */
  logOffset?: number;
}

/**
 * Exponents of a power law y ≈ C_g · Π_k x_k^{a_k} · e^{offset} by weighted least squares on logs:
 *   log y = c_g + Σ_k a_k log x_k + offset,
 * one prefactor c_g per group (e.g. per level pair) and common exponents a_k, each point weighted
 * by the error of its log, se/y (delta method; y is each point's `value`). The fit's χ² on n − p degrees of freedom says
 * whether the law describes every point within its error (fitLinearModel).
 *
 * Options: names, the p = groups + (number of regressors) coefficient names (prefactors first);
 * groups (default 1). Errors: a RangeError for a non-positive value or x, a group out of range, or
 * too few points (from fitLinearModel).
 */
export function powerLawFit(points: PowerLawPoint[], o: { names?: string[]; groups?: number } = {}): LinearModelFit {
  const groups = o.groups ?? 1;
  const design = points.map((p, i) => {
    const g = p.group ?? 0;
    if (!Number.isInteger(g) || g < 0 || g >= groups)
      throw new RangeError(`point ${i}: group must be an integer in [0, ${groups}), got ${g}`);
    if (!(p.value > 0)) throw new RangeError(`point ${i}: value must be > 0 for a power law, got ${p.value}`);
    for (const v of p.x) if (!(v > 0)) throw new RangeError(`point ${i}: regressors must be > 0, got ${v}`);
    return [...Array.from({ length: groups }, (_, j) => (j === g ? 1 : 0)), ...p.x.map(Math.log)];
  });
  const hasOffset = points.some((p) => p.logOffset !== undefined);
  return fitLinearModel(
    design,
    points.map((p) => Math.log(p.value)),
    points.map((p) => p.se / p.value),
    {
      names: o.names,
      offset: hasOffset ? points.map((p) => p.logOffset ?? 0) : undefined,
    },
  );
}
