import { endpointInterval, type EndpointInterval } from "../stats/endpoint";
import { requireNonNegative } from "../util/validate";
import { signChanges } from "./curve";

/** Options of `supportEdge`. */
export interface SupportEdgeOptions {
  /** The |τ| range to scan for the exponent's first sign change. */
  range: [number, number];
  /** Grid cells of the scan (default 1000; roots refined by bisection to 1e-12). */
  grid?: number;
  /**
   * Finite-time resolution δ of the convergence test (lib/stability/finite-time): runs at an
   * exponent ≤ δ may still count as converged. A number, or a function of the predicted edge when δ
   * depends on the noise there.
   */
  resolution: number | ((edge: number) => number);
  /** |τ| of the observed limits. */
  taus: ArrayLike<number>;
  /** Endpoint interval settings (lib/stats/endpoint): top spacings k (default 8), confidence (default 1 − VERDICT_LEVEL), shape γ (default 1: a density vanishing at most linearly). */
  k?: number;
  confidence?: number;
  shape?: number;
  /**
   * What to do when the exponent is already positive at the start of the range (no stable minimum
   * there): "edge" (default) takes the first sign change as the edge, as for any other exponent;
   * "empty" predicts an empty support, edge = range[0] with next = Infinity and slack 0, so that
   * every limit counts against it (a competing criterion under which no minimum near τ = 0 is
   * stable, e.g. the mean-square criterion in notebook 06's falsified settings).
   */
  unstableStart?: "edge" | "empty";
}

/** What `supportEdge` returns. */
export interface SupportEdge {
  /** Predicted edge: the first zero of the exponent in the range, and the next one (Infinity if none: an "island" of stable minima beyond it). */
  edge: number;
  next: number;
  /** The resolution δ used, d(exponent)/d|τ| at the edge (central difference, h = 1e-5), and the slack δ/slope in |τ|. */
  resolution: number;
  slope: number;
  slack: number;
  /** The data's one-sided interval for the edge of the main support (limits below (edge + next)/2). */
  interval: EndpointInterval;
  /** Limits beyond (edge + next)/2, on the island, left out of the interval. */
  islandLimits: number;
}

/** What `stabilityEdge` returns: the predicted edge alone. */
export type StabilityEdge = Pick<SupportEdge, "edge" | "next" | "resolution" | "slope" | "slack">;

/**
 * The predicted edge of the support: the first sign change of the stability exponent (μ for GD,
 * λ for SGD) as a function of |τ| in `range` (scanned on `grid` cells, default 1000), the next
 * one (Infinity if none), the slope there (central difference, h = 1e-5) and the slack
 * δ/slope within which a finite-time run at a slightly unstable minimum still passes the
 * convergence test. With `unstableStart: "empty"` and an exponent positive at range[0], the support
 * is predicted empty instead (edge = range[0], next = Infinity, slope NaN, slack 0).
 * Errors: a RangeError without a sign change (unless the support is predicted empty), or for a
 * negative resolution or an unknown `unstableStart`.
 */
export function stabilityEdge(
  exponent: (tau: number) => number,
  o: Pick<SupportEdgeOptions, "range" | "grid" | "resolution" | "unstableStart">,
): StabilityEdge {
  const mode = o.unstableStart ?? "edge";
  if (mode !== "edge" && mode !== "empty")
    throw new RangeError(`unstableStart must be "edge" or "empty", got "${String(mode)}"`);
  if (mode === "empty" && exponent(o.range[0]) > 0) {
    const resolution = typeof o.resolution === "function" ? o.resolution(o.range[0]) : o.resolution;
    requireNonNegative("resolution", resolution);
    return { edge: o.range[0], next: Infinity, resolution, slope: NaN, slack: 0 };
  }
  const roots = signChanges(exponent, o.range[0], o.range[1], o.grid ?? 1000);
  if (roots.length === 0)
    throw new RangeError(`stabilityEdge: the exponent does not change sign on [${o.range[0]}, ${o.range[1]}]`);
  const edge = roots[0],
    next = roots.length > 1 ? roots[1] : Infinity;
  const resolution = typeof o.resolution === "function" ? o.resolution(edge) : o.resolution;
  requireNonNegative("resolution", resolution);
  const slope = (exponent(edge + 1e-5) - exponent(edge - 1e-5)) / 2e-5;
  return { edge, next, resolution, slope, slack: resolution / slope };
}

/**
 * The edge of the support of GD/SGD limits along a curve of minima, predicted (`stabilityEdge`)
 * and measured: the endpoint interval of the limits' |τ| below (edge + next)/2 (stats/endpoint),
 * to be widened below by the slack. Used by the GD-threshold and SGD-exponent notebooks.
 *
 * Errors: as stabilityEdge, and from endpointInterval when too few limits remain.
 */
export function supportEdge(exponent: (tau: number) => number, o: SupportEdgeOptions): SupportEdge {
  const predicted = stabilityEdge(exponent, o);
  const main = Array.from(o.taus).filter((t) => t < (predicted.edge + predicted.next) / 2);
  return {
    ...predicted,
    interval: endpointInterval(main, { k: o.k ?? 8, confidence: o.confidence, shape: o.shape ?? 1 }),
    islandLimits: o.taus.length - main.length,
  };
}
