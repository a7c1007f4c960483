import type { TangentSystem } from "../lyapunov/tangent-system";
import { DivergedError } from "../optim/descent-tangent";
import type { Stream } from "../random/stream";
import { requireAllFinite, requireBatchSize, requireLength, requireStep } from "../util/validate";
import type { Objective } from "./mlp";
import {
  objectiveEvaluator,
  openShardEvaluator,
  shardEvaluatorHere,
  type BatchEvaluator,
  type TangentShardSource,
} from "./tangent-shards";

export { DivergedError };

/** Options of `trainingTangent` and `openTrainingTangent`. */
export interface TrainingTangentOptions {
  /** Step size η > 0. */
  eta: number;
  /** Minibatch size |B| (default N: full-batch GD). Batch t is drawn from the run's stream's child ("batch", t). */
  batch?: number;
  /** The starting weights, or a sampler drawing them from the run's stream (child "init"). */
  theta0: ArrayLike<number> | ((stream: Stream) => Float64Array);
  /**
   * What carries the tangent vectors from one step to the next (default "step"):
   *  - "step": the training map's Jacobian J_t = I − η H_{B_t}(θ_t), whose Lyapunov exponents are
   *    those of the training dynamics;
   *  - "hessian": H_{B_t}(θ_t) itself, the GATES review's algorithm (its §A.2 and code: QR on H·Q),
   *    run on the same trajectory and minibatches, for comparison. Its "exponents" are time averages
   *    of log |curvature|: they change with the units of the loss, and a positive one means a
   *    curvature above 1, not an expanding direction.
   */
  jacobian?: "step" | "hessian";
  /**
   * Keep θ at θ₀ instead of training (default false): the review's code (its
   * `compute_lyapunov_exponents` draws a batch per step but never updates the weights). With GD and
   * "hessian" the exponents are then log |eigenvalues| of the Hessian at θ₀, largest in magnitude first.
   */
  frozen?: boolean;
  /** ‖θ‖ above this counts as divergence (default 1e6; Infinity: only a loss that is not finite). */
  maxNorm?: number;
  /** A loss above this counts as divergence (default Infinity: only a loss that is not finite). */
  maxLoss?: number;
  /** The most tangents carried by one sweep (default 8: smaller arrays, faster per product; the same bits for any value). */
  group?: number;
  /** Called after every step with its index t (θ_t → θ_{t+1}), the loss L_{B_t}(θ_t), and θ_{t+1} (a view: copy what you keep). */
  onStep?: (t: number, loss: number, theta: Float64Array) => void;
}

/** The training map of a network as a `TangentSystem`, with the state a caller may read between steps. */
export interface TrainingTangent extends TangentSystem {
  /** The current weights θ_t (a view, updated in place). */
  readonly theta: Float64Array;
  /** Steps taken in the current run. */
  readonly steps: number;
  /** The minibatch loss L_{B_t}(θ_t) of the last step (NaN before the first). */
  readonly loss: number;
  /** Threads that evaluate a step (this one included). */
  readonly workers: number;
  /** Examples N, and the batch size |B|. */
  readonly examples: number;
  readonly batch: number;
  /** Releases the helper threads (none for `trainingTangent`). */
  close(): Promise<void>;
}

/**
 * The training map θ_{t+1} = θ_t − η ∇L_{B_t}(θ_t) of any `Objective` (an MLP with MSE or
 * cross-entropy, a GPT, a quadratic) as a `TangentSystem` for `lyapunovSpectrum`, on this thread:
 * each step carries the k tangent vectors through J_t = I − η H_{B_t}(θ_t), applied through exact
 * Hessian-vector products, then moves θ. The k products come from one sweep carrying k tangents when
 * the objective has `evaluateTangents` (mlpObjective: a [·, d] × [d, k]-shaped forward-over-reverse,
 * bit for bit the same as k separate HVPs), else from k calls of `evaluate`. Full-batch GD by
 * default; SGD with `batch` < N needs an objective with `examples` and `subset` (mlpObjective):
 * batch t is a uniform subset drawn from the run's stream's child ("batch", t), so any run is a
 * function of its stream alone. For data-parallel steps on helper threads use `openTrainingTangent`.
 *
 *   const sys = trainingTangent(mlpObjective(spec, data, { loss: "cross-entropy" }), { eta: 0.1, theta0 });
 *   const sp = lyapunovSpectrum(sys, { k: 16, growK: true, steps: 400, transient: 200, stream });
 *
 * Errors: RangeErrors for η ≤ 0, a bad batch, θ₀ of the wrong length or not finite, maxNorm ≤ 0;
 * a TypeError when the objective returns no HVP or cannot take minibatches; a `DivergedError` with
 * the step when the loss is not finite (or above maxLoss) or θ leaves ‖θ‖ ≤ maxNorm (callers record
 * the run as diverged: `trainingLyapunov` does).
 */
export function trainingTangent(objective: Objective, o: TrainingTangentOptions): TrainingTangent {
  if (!objective || typeof objective.evaluate !== "function")
    throw new TypeError("trainingTangent: the objective must have evaluate(θ, v?) (an lib/nn Objective)");
  const N = objective.examples ?? 0;
  if (o.batch !== undefined && o.batch !== N) {
    if (!N || !objective.subset)
      throw new TypeError(
        `trainingTangent: batch ${o.batch} needs an objective that can be averaged over some of its examples (examples and subset, as mlpObjective has)`,
      );
  }
  return tangentOver(objectiveEvaluator(objective, { group: o.group }), o, N === 0);
}

/**
 * As `trainingTangent`, for a training set given as an MLP's or a GPT's shard configuration
 * (`mlpShardConfig`, `gptShardConfig`), with each step's k Hessian-vector products split by
 * tangents over `workers` threads (this one included; default 1). The result does not depend on
 * the number of workers, bit for bit, and equals `trainingTangent` on the same objective
 * (lib/nn/tangent-shards). Options beyond `trainingTangent`'s: group (the most tangents per sweep,
 * default 8), chunk (the most examples per sweep, default 1024), maxTangents (the largest k,
 * default min(dim, 256)). Close it when done.
 * Errors: as `trainingTangent`, and a TypeError for another kind of source.
 */
export async function openTrainingTangent(
  source: TangentShardSource,
  o: TrainingTangentOptions & { workers?: number; chunk?: number; group?: number; maxTangents?: number },
): Promise<TrainingTangent> {
  validate(source.dim, source.examples, o);
  return tangentOver(await openShardEvaluator(source, o), o, false);
}

/** The same system on this thread only, built synchronously (inside a worker task that runs a whole spectrum). */
export function trainingTangentHere(
  source: TangentShardSource,
  o: TrainingTangentOptions & { chunk?: number; group?: number; maxTangents?: number },
): TrainingTangent {
  validate(source.dim, source.examples, o);
  return tangentOver(shardEvaluatorHere(source, o), o, false);
}

function validate(D: number, N: number, o: TrainingTangentOptions): void {
  requireStep(o.eta);
  if (o.batch !== undefined) requireBatchSize(N, o.batch);
  if (typeof o.theta0 !== "function") {
    requireLength("theta0", o.theta0, D);
    requireAllFinite("theta0", o.theta0);
  }
  if (o.maxNorm !== undefined && !(o.maxNorm > 0))
    throw new RangeError(`maxNorm must be > 0 (Infinity: no bound), got ${o.maxNorm}`);
  if (o.maxLoss !== undefined && !(o.maxLoss > -Infinity))
    throw new RangeError(`maxLoss must be a number, got ${o.maxLoss}`);
  if (o.jacobian !== undefined && o.jacobian !== "step" && o.jacobian !== "hessian")
    throw new RangeError(`jacobian must be "step" or "hessian", got "${String(o.jacobian)}"`);
}

function tangentOver(ev: BatchEvaluator, o: TrainingTangentOptions, wholeOnly: boolean): TrainingTangent {
  const D = ev.dim,
    N = wholeOnly ? 0 : ev.examples;
  validate(D, Math.max(N, o.batch ?? 1), o);
  const b = o.batch ?? N,
    full = wholeOnly || b === N,
    eta = o.eta,
    maxNorm = o.maxNorm ?? 1e6,
    maxLoss = o.maxLoss ?? Infinity;
  const hessian = (o.jacobian ?? "step") === "hessian";
  const theta = new Float64Array(D),
    gradient = new Float64Array(D);
  const all = Int32Array.from({ length: Math.max(N, 1) }, (_, i) => i),
    perm = new Int32Array(Math.max(N, 1));
  let hv = new Float64Array(0),
    runStream: Stream | null = null,
    steps = 0,
    loss = NaN;
  return {
    dim: D,
    dt: 1,
    get theta() {
      return theta;
    },
    get steps() {
      return steps;
    },
    get loss() {
      return loss;
    },
    get workers() {
      return ev.workers;
    },
    examples: N,
    batch: b,
    start(stream: Stream, _basis: Float64Array, k: number) {
      if (k > ev.maxTangents)
        throw new RangeError(
          `k = ${k} tangent vectors exceed this system's capacity maxTangents = ${ev.maxTangents} (an option of openTrainingTangent)`,
        );
      theta.set(typeof o.theta0 === "function" ? o.theta0(stream.child("init")) : o.theta0);
      requireAllFinite("theta0", theta);
      runStream = stream;
      steps = 0;
      loss = NaN;
    },
    advance(basis: Float64Array, k: number) {
      if (!runStream) throw new Error("trainingTangent: advance before start");
      const t = steps;
      let batch = all;
      if (!full) {
        // batch t from its own named stream: independent of every other step's draws
        perm.set(all);
        const s = runStream.child("batch", t);
        for (let i = 0; i < b; i++) {
          const j = i + s.int(N - i);
          const x = perm[i];
          perm[i] = perm[j];
          perm[j] = x;
        }
        batch = perm.subarray(0, b);
      }
      if (hv.length < k * D) hv = new Float64Array(k * D);
      loss = ev.evaluate(theta, full && wholeOnly ? all.subarray(0, 0) : batch, basis, k, gradient, hv);
      if (!(loss <= maxLoss))
        throw new DivergedError(
          t,
          `training diverged at step ${t}: the loss is ${loss}${Number.isFinite(loss) ? ` > maxLoss ${maxLoss}` : ""}`,
        );
      if (hessian) basis.set(hv.subarray(0, k * D));
      else for (let i = 0; i < k * D; i++) basis[i] -= eta * hv[i];
      let norm2 = 0;
      if (!o.frozen)
        for (let i = 0; i < D; i++) {
          theta[i] -= eta * gradient[i];
          norm2 += theta[i] * theta[i];
        }
      else for (let i = 0; i < D; i++) norm2 += theta[i] * theta[i];
      steps = t + 1;
      if (!(norm2 <= maxNorm * maxNorm))
        throw new DivergedError(
          steps,
          `training diverged at step ${steps}: ‖θ‖ = ${Math.sqrt(norm2)} > maxNorm ${maxNorm}`,
        );
      o.onStep?.(t, loss, theta);
    },
    close: () => ev.close(),
  };
}
