import type { Objective } from "./mlp";
import type { Optimizer } from "./optimizers";
import { lanczosTop } from "./curvature";
import { NonFiniteError } from "./tape";
import type { Stream } from "../random/stream";
import { requireInteger } from "../util/validate";

/** One sharpness measurement along a run. */
export interface SharpnessSample {
  step: number;
  /** The top Hessian eigenvalue (Lanczos Ritz value). */
  value: number;
  /** ‖Hy − λy‖ of its Ritz vector: some eigenvalue of H lies within this distance. */
  residual: number;
}

/** Why and where a run stopped early. */
export interface Divergence {
  /** The step whose loss was not finite or exceeded `maxLoss` (0 = the starting point). */
  step: number;
  /** That loss (Infinity or NaN are reported as such here, never returned as a training loss). */
  loss: number;
  reason: string;
}

/** What `trainFullBatch` returns. */
export interface TrainingRun {
  /** Loss at θ₀, θ₁, … up to the last finite step (length steps + 1 without divergence). */
  losses: Float64Array;
  /** Gradient norms at the same points. */
  gradientNorms: Float64Array;
  sharpness: SharpnessSample[];
  /** Final parameters: the last iterate whose loss was recorded. */
  theta: Float64Array;
  divergence: Divergence | null;
  /** Evaluations of `monitor` (e.g. held-out error), with their steps. */
  monitored: { step: number; value: number }[];
}

/** Options of `trainFullBatch`. */
export interface TrainOptions {
  /** Number of optimizer steps. */
  steps: number;
  /** Measure the sharpness every this many steps (default 0: never); step 0 and the last step are included. */
  sharpnessEvery?: number;
  /** Lanczos iterations per measurement (default min(20, dim)), warm-started from the previous top Ritz vector. */
  lanczosSteps?: number;
  /** Start vector of the first Lanczos run (required when sharpnessEvery > 0). */
  stream?: Stream;
  /** Warm start of the first Lanczos run (default: a random vector from `stream`), e.g. the top Ritz vector of a measurement made before the run. */
  start?: Float64Array;
  /** A loss above this counts as divergence (default Infinity: only a non-finite loss). */
  maxLoss?: number;
  /** Called with θ every `monitorEvery` steps (default: at the sharpness steps); its values are recorded. */
  monitor?: (theta: Float64Array) => number;
  monitorEvery?: number;
  /** Called every `progressEvery` steps (default 100) with the step and loss. */
  progress?: (step: number, loss: number) => void;
  progressEvery?: number;
}

/**
 * Full-batch training θ_{t+1} = θ_t − (optimizer step on ∇L(θ_t)) for `steps` steps, recording
 * the loss and gradient norm at every iterate and, every `sharpnessEvery` steps, the sharpness
 * λ_max(∇²L(θ_t)) by Lanczos on exact Hessian-vector products (warm-started from the previous top
 * Ritz vector, with its residual bound). With `gradientDescent({ eta })` this is the setting of
 * Cohen et al., "Gradient descent on neural networks typically occurs at the edge of stability"
 * (ICLR 2021).
 *
 * A non-finite loss (overflow anywhere in the network) or one above `maxLoss` ends the run as a
 * recorded `divergence` naming the step; the losses returned are always finite.
 * Errors: a RangeError for bad counts, θ₀ of the wrong length, or sharpness without a stream.
 */
export function trainFullBatch(
  objective: Objective,
  theta0: ArrayLike<number>,
  optimizer: Optimizer,
  o: TrainOptions,
): TrainingRun {
  requireInteger("steps", o.steps, 0);
  const every = o.sharpnessEvery ?? 0;
  requireInteger("sharpnessEvery", every, 0);
  const lanczosSteps = o.lanczosSteps ?? Math.min(20, objective.dim);
  requireInteger("lanczosSteps", lanczosSteps, 1, objective.dim);
  if (every > 0 && !o.stream)
    throw new RangeError("trainFullBatch: sharpness measurements need a stream (for the first Lanczos start vector)");
  if (theta0.length !== objective.dim)
    throw new RangeError(`θ₀ has ${theta0.length} entries, the objective has ${objective.dim} parameters`);
  if (o.start && o.start.length !== objective.dim)
    throw new RangeError(`start has ${o.start.length} entries, the objective has ${objective.dim} parameters`);
  const maxLoss = o.maxLoss ?? Infinity;
  const monitorEvery = o.monitorEvery ?? every;
  const progressEvery = o.progressEvery ?? 100;
  const theta = Float64Array.from(theta0),
    previous = new Float64Array(theta.length);
  const losses: number[] = [],
    norms: number[] = [],
    sharpness: SharpnessSample[] = [],
    monitored: { step: number; value: number }[] = [];
  let divergence: Divergence | null = null;
  let start: Float64Array | undefined = o.start;
  const hvp = (v: Float64Array, out: Float64Array) => out.set(objective.evaluate(theta, v).hvp!);
  for (let t = 0; t <= o.steps; t++) {
    let loss: number, gradient: Float64Array;
    try {
      ({ loss, gradient } = objective.evaluate(theta));
    } catch (e) {
      if (!(e instanceof NonFiniteError)) throw e;
      divergence = { step: t, loss: NaN, reason: e.message };
      break;
    }
    if (!(loss <= maxLoss)) {
      divergence = {
        step: t,
        loss,
        reason: Number.isFinite(loss) ? `loss ${loss} exceeds maxLoss ${maxLoss}` : `loss is ${loss}`,
      };
      break;
    }
    losses.push(loss);
    let g2 = 0;
    for (let i = 0; i < gradient.length; i++) g2 += gradient[i] * gradient[i];
    norms.push(Math.sqrt(g2));
    if (every > 0 && (t % every === 0 || t === o.steps)) {
      const r = lanczosTop(hvp, objective.dim, { steps: lanczosSteps, stream: o.stream!, start });
      start = r.vectors[0];
      sharpness.push({ step: t, value: r.eigenvalues[0], residual: r.residuals[0] });
    }
    if (o.monitor && monitorEvery > 0 && (t % monitorEvery === 0 || t === o.steps))
      monitored.push({ step: t, value: o.monitor(theta) });
    if (o.progress && t % progressEvery === 0) o.progress(t, loss);
    if (t < o.steps) {
      previous.set(theta);
      optimizer.step(theta, gradient);
    }
  }
  if (divergence && divergence.step > 0) theta.set(previous); // the last iterate with a finite loss
  return {
    losses: Float64Array.from(losses),
    gradientNorms: Float64Array.from(norms),
    sharpness,
    theta,
    divergence,
    monitored,
  };
}
