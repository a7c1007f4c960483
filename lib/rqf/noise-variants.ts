import type { Stream } from "../random/stream";
import { RqfFlow } from "./flow";
import type { RqfNormalisation } from "./noise";

/**
 * How the points of an RQF run are driven. The RQF itself is "common"; the other two switch off
 * one ingredient of its synchronisation, for the notebooks' falsified settings:
 * - "common": one noise path Q(t) for every point (the Random Quadratic Form);
 * - "independent": every point draws its own increment dQ each step, so each point is still an
 *   RQF one-point motion (a Brownian motion on the sphere) but no two points share their noise;
 * - "frozen": one increment is drawn at the start and reused, scaled to dQ = A·dt, at every step:
 *   the deterministic quadratic form ẋ = Ax − ⟨x, Ax⟩x (Engel & Shalova 2026, Theorem 1.3) with A a
 *   random symmetric matrix of the RQF's covariance per unit time (E A_ij A_kl = κ(δ_ik δ_jl +
 *   δ_il δ_jk)/2), drawn afresh for every flow.
 */
export type RqfNoise = "common" | "independent" | "frozen";

/** The noise kinds, in the order the notebooks list them. */
export const RQF_NOISES: readonly RqfNoise[] = ["common", "independent", "frozen"];

/** Throws a RangeError unless `noise` is one of RQF_NOISES. */
export function requireRqfNoise(noise: RqfNoise): void {
  if (!RQF_NOISES.includes(noise))
    throw new RangeError(`noise must be one of ${RQF_NOISES.map((s) => `"${s}"`).join(", ")}, got "${String(noise)}"`);
}

/**
 * m points on S^{n−1}, each driven by its own RQF increment every step (noise "independent"). The
 * step is RqfFlow's Heun step on one point at a time, so each point's law is exactly the RQF
 * one-point motion. `drawIncrement`/`stepPoints` are not meaningful for this flow and throw; use
 * `step`.
 */
export class IndependentNoiseFlow extends RqfFlow {
  private readonly single: RqfFlow;

  constructor(n: number, m: number, dt: number, normalisation: RqfNormalisation = "half") {
    super(n, m, dt, normalisation);
    this.single = new RqfFlow(n, 1, dt, normalisation);
  }

  override drawIncrement(_stream: Stream): void {
    throw new TypeError("IndependentNoiseFlow draws one increment per point inside step(); it has no common increment");
  }

  override stepPoints(_x: Float64Array): void {
    throw new TypeError("IndependentNoiseFlow steps each point with its own increment: call step(stream, x)");
  }

  /** One step: point p draws its own increment from the stream (points in order), then moves. */
  override step(stream: Stream, x: Float64Array): void {
    const n = this.n;
    for (let p = 0; p < this.m; p++) this.single.step(stream, x.subarray(p * n, (p + 1) * n));
  }
}

/**
 * m points under the deterministic quadratic form with a random matrix (noise "frozen"): the first
 * call of `drawIncrement` draws an RQF increment over dt and rescales it by √dt, so that
 * dQ = A·dt with A of the RQF's covariance per unit time; every later call keeps it. The Heun step
 * with renormalisation is then a second-order scheme for ẋ = Ax − ⟨x, Ax⟩x.
 */
export class FrozenNoiseFlow extends RqfFlow {
  private drawn = false;

  override drawIncrement(stream: Stream): void {
    if (this.drawn) return;
    super.drawIncrement(stream);
    const root = Math.sqrt(this.dt);
    for (let i = 0; i < this.dq.length; i++) this.dq[i] *= root;
    this.drawn = true;
  }
}

/**
 * The flow of m points on S^{n−1} with the given noise (RqfNoise): an RqfFlow for "common", an
 * IndependentNoiseFlow or a FrozenNoiseFlow otherwise. Errors: a RangeError for an unknown noise,
 * and RqfFlow's for n, m, dt and the normalisation.
 */
export function rqfFlowWith(o: {
  n: number;
  m: number;
  dt: number;
  normalisation?: RqfNormalisation;
  noise?: RqfNoise;
}): RqfFlow {
  const noise = o.noise ?? "common";
  requireRqfNoise(noise);
  const norm = o.normalisation ?? "half";
  if (noise === "independent") return new IndependentNoiseFlow(o.n, o.m, o.dt, norm);
  if (noise === "frozen") return new FrozenNoiseFlow(o.n, o.m, o.dt, norm);
  return new RqfFlow(o.n, o.m, o.dt, norm);
}
