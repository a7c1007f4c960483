import type { StreamSeed } from "../random/stream";
import { task } from "../parallel/pool";
import { buildModel, ModelSpec } from "../models/spec";
import { Stream } from "../random/stream";
import { NormalLinearization } from "./linearization";
import { gdStability } from "./gd";
import { sgdTangent } from "./sgd-lyapunov";
import { lyapunovSpectrum } from "../lyapunov/spectrum";
import { meanSquareStability } from "./mean-square";

/**
 * Work items for lib/parallel: every stability number of one minimum, so that an ensemble of
 * limits is analysed on all cores.
 */
export interface LimitStabilityInput {
  model: ModelSpec;
  x: number[];
  eta: number;
  batch: number;
  /** Factors for the QR estimate of λ (default 100 000). */
  steps?: number;
  /** Stream family: a root seed or a `Stream.path(seed, name)`; run i draws from `new Stream(seed, index)`. */
  seed: StreamSeed;
  index: number;
}

/** What `limitStability` returns: every stability number of one limit. */
export interface LimitStability {
  /** ‖Hess L(x*)‖. */
  sharpness: number;
  mu: number;
  lambda: number;
  lambdaSE: number;
  dof: number;
  /** Long-run spread of the log-growth per step, SE·√steps (for finiteTimeResolution). */
  sigma: number;
  /** ½ log ρ of the second-moment operator (Wu, Ma & E's mean-square criterion). */
  meanSquare: number;
  /** Normal-space dimension. */
  rank: number;
}

/**
 * Sharpness, μ, the QR estimate of λ with its error, and the mean-square rate of one minimum (a worker
 * task: see limitStabilityTask).
 */
export function limitStability(o: LimitStabilityInput): LimitStability {
  const m = buildModel(o.model);
  const lin = new NormalLinearization(m, Float64Array.from(o.x));
  const gd = gdStability(lin, o.eta);
  const e = lyapunovSpectrum(sgdTangent(lin, { eta: o.eta, batch: o.batch }), {
    k: 1,
    steps: o.steps ?? 100_000,
    transient: 1000,
    stream: new Stream(o.seed, o.index),
  });
  return {
    sharpness: gd.sharpness,
    mu: gd.mu,
    lambda: e.exponents[0],
    lambdaSE: e.standardErrors[0],
    dof: e.dof,
    sigma: e.standardErrors[0] * Math.sqrt(e.steps),
    meanSquare: meanSquareStability(lin, o.eta, o.batch).exponent,
    rank: lin.rank,
  };
}

/** Worker-task handle for `parallelMap`. */
export const limitStabilityTask = task("stability/tasks", limitStability);
