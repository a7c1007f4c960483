import type { Stream } from "../random/stream";
import { requireInteger } from "../util/validate";
import type { DataParallelObjective } from "./data-parallel";
import { epochBatches, type Optimizer } from "./optimizers";
import { NonFiniteError } from "./tape";
import type { Divergence } from "./train";

/** What `trainMinibatch` returns. */
export interface MinibatchRun {
  /** The minibatch loss at each step, before the step (length epochs · ⌈n/batch⌉ without divergence). */
  losses: Float64Array;
  /** The last iterate whose minibatch loss was finite (and ≤ maxLoss). */
  theta: Float64Array;
  divergence: Divergence | null;
  /** Evaluations of `monitor` at the end of every `monitorEvery`-th epoch (and after the last). */
  monitored: { epoch: number; step: number; value: number }[];
}

/**
 * Minibatch training (SGD, momentum, Adam, AdamW: any Optimizer) with the gradients computed
 * data-parallel by a DataParallelObjective: each epoch draws a permutation of the examples from
 * `stream.child("epoch", e)` and cuts it into minibatches of `batch` (without replacement; the
 * last one shorter when batch does not divide n). Everything is fixed by (θ₀, stream, batch,
 * the objective's chunk): the run is identical for any number of workers (tested).
 *
 * Options: epochs, batch, stream; maxLoss (default Infinity); monitor(θ) (e.g. held-out loss),
 * every monitorEvery epochs (default 1); progress(epoch, step, loss) after each epoch.
 * A non-finite minibatch loss, or one above maxLoss, ends the run as a recorded divergence naming
 * the step. Errors: RangeErrors for bad counts or θ₀ of the wrong length.
 */
export async function trainMinibatch(
  objective: DataParallelObjective,
  theta0: ArrayLike<number>,
  optimizer: Optimizer,
  o: {
    epochs: number;
    batch: number;
    stream: Stream;
    maxLoss?: number;
    monitor?: (theta: Float64Array) => number | Promise<number>;
    monitorEvery?: number;
    progress?: (epoch: number, step: number, loss: number) => void;
  },
): Promise<MinibatchRun> {
  requireInteger("epochs", o.epochs, 1);
  requireInteger(`batch size (examples per step, n = ${objective.examples})`, o.batch, 1, objective.examples);
  if (theta0.length !== objective.dim)
    throw new RangeError(`θ₀ has ${theta0.length} entries, the objective has ${objective.dim} parameters`);
  const monitorEvery = o.monitorEvery ?? 1;
  requireInteger("monitorEvery", monitorEvery, 1);
  const maxLoss = o.maxLoss ?? Infinity;
  const theta = Float64Array.from(theta0),
    previous = new Float64Array(theta.length),
    losses: number[] = [],
    monitored: MinibatchRun["monitored"] = [];
  let divergence: Divergence | null = null;
  for (let e = 0; e < o.epochs && !divergence; e++) {
    for (const b of epochBatches(objective.examples, o.batch, o.stream.child("epoch", e))) {
      const step = losses.length;
      let loss: number, gradient: Float64Array;
      try {
        ({ loss, gradient } = await objective.evaluate(theta, b));
      } catch (err) {
        if (!(err instanceof NonFiniteError)) throw err;
        divergence = { step, loss: NaN, reason: err.message };
        break;
      }
      if (!(loss <= maxLoss)) {
        divergence = { step, loss, reason: `loss ${loss} exceeds maxLoss ${maxLoss}` };
        break;
      }
      losses.push(loss);
      previous.set(theta);
      optimizer.step(theta, gradient);
    }
    if (divergence) break;
    if (o.monitor && ((e + 1) % monitorEvery === 0 || e + 1 === o.epochs))
      monitored.push({ epoch: e + 1, step: losses.length, value: await o.monitor(theta) });
    o.progress?.(e + 1, losses.length, losses[losses.length - 1]);
  }
  if (divergence && divergence.step > 0) theta.set(previous);
  return { losses: Float64Array.from(losses), theta, divergence, monitored };
}
