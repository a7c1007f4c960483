import { task, type Task } from "../parallel/pool";
import { openWorkerPool, type WorkerPool } from "../parallel/worker-pool";
import { requireInteger, requireLength } from "../util/validate";
import { gptLayout, gptObjective, tokenWindows, type GptSpec } from "./gpt";
import { NonFiniteError } from "./tape";
import { GptGradient } from "./gpt-gradient";
import { mlpObjective, mlpParameterCount, type LossDerivatives, type MlpSpec } from "./mlp";
import { requirePrecision, type Precision } from "../kernels/precision";

/**
 * Minibatch gradients computed data-parallel on worker threads, with results bit-identical for
 * any number of workers.
 *
 * How: the minibatch's example indices are cut into consecutive chunks of a fixed size (`chunk`,
 * independent of the number of workers). Each chunk's loss, gradient and HVP *sums* are computed
 * on one tape by whichever worker is free, and this thread adds the chunk sums in chunk order,
 * starting from zero, then divides by the batch size. Every floating-point operation and its
 * order are therefore fixed by (θ, indices, chunk) alone (tested with 1, 2 and 3 workers).
 */

/**
 * One chunk's work: θ, the example indices, and optionally the direction v of an HVP. `gradientOut`
 * and `hvpOut`, when given, are where the chunk's gradient and HVP sums go (DataParallelObjective
 * passes views of shared memory for θ, v and both outputs, so that no parameter vector is copied
 * per message); with `lossOnly` the evaluator may skip the gradient (the returned one is then empty).
 */
export interface ShardInput {
  theta: Float64Array;
  indices: Int32Array;
  v?: Float64Array;
  gradientOut?: Float64Array;
  hvpOut?: Float64Array;
  lossOnly?: boolean;
}

/** One chunk's sums over its examples of the per-example loss, gradient and HVP. */
export interface ShardSums {
  loss: number;
  gradient: Float64Array;
  hvp: Float64Array | null;
  count: number;
}

/** What a shard evaluator's configuration must say: the parameter count and the number of examples. */
export interface ShardConfig {
  dim: number;
  examples: number;
}

/**
 * The mean loss of a chunk's objective, its gradient and HVP, turned into sums over its `count`
 * examples. A NonFiniteError (overflow in the network) becomes a NaN loss, so that the pool
 * survives and the caller reports it (DataParallelObjective.evaluate throws a NonFiniteError).
 */
function sums(evaluate: () => LossDerivatives, count: number, out?: Float64Array, hvpOut?: Float64Array): ShardSums {
  let d: LossDerivatives;
  try {
    d = evaluate();
  } catch (e) {
    if (e instanceof NonFiniteError) return { loss: NaN, gradient: new Float64Array(0), hvp: null, count };
    throw e;
  }
  const gradient = out ?? new Float64Array(d.gradient.length);
  for (let i = 0; i < gradient.length; i++) gradient[i] = d.gradient[i] * count;
  let hvp: Float64Array | null = null;
  if (d.hvp) {
    hvp = hvpOut ?? new Float64Array(d.hvp.length);
    for (let i = 0; i < hvp.length; i++) hvp[i] = d.hvp[i] * count;
  }
  return { loss: d.loss * count, gradient, hvp, count };
}

function requireIndices(indices: Int32Array, examples: number): void {
  for (let i = 0; i < indices.length; i++)
    if (!(indices[i] >= 0 && indices[i] < examples))
      throw new RangeError(`example index ${indices[i]} (position ${i}) is outside 0…${examples - 1}`);
}

/** Configuration of `mlpShardEvaluator`: an MLP and its training set (as `mlpObjective`'s data). */
export interface MlpShardConfig extends ShardConfig {
  spec: MlpSpec;
  inputs: Float64Array;
  targets?: Float64Array;
  labels?: Int32Array;
  loss: "mse" | "cross-entropy";
}

/** An MlpShardConfig for a training set (dim and examples filled in). Errors: as mlpObjective for inconsistent data. */
export function mlpShardConfig(
  spec: MlpSpec,
  data: { inputs: Float64Array; targets?: Float64Array; labels?: Int32Array },
  loss: "mse" | "cross-entropy" = "mse",
): MlpShardConfig {
  const examples = data.inputs.length / spec.widths[0];
  mlpObjective(spec, data, { loss }); // validates sizes, targets and labels once, here
  return {
    spec,
    inputs: data.inputs,
    targets: data.targets,
    labels: data.labels,
    loss,
    dim: mlpParameterCount(spec),
    examples,
  };
}

/**
 * Worker side, for an MLP: returns the function that evaluates the loss sums of the examples
 * `indices` (rows of the training set) at θ, on one tape. The loss per example is the one whose
 * mean `mlpObjective` minimises (for "mse", the example's mean over output entries).
 */
export function mlpShardEvaluator(config: MlpShardConfig): (input: ShardInput) => ShardSums {
  const d = config.spec.widths[0],
    out = config.spec.widths[config.spec.widths.length - 1];
  return ({ theta, indices, v, gradientOut, hvpOut }) => {
    requireIndices(indices, config.examples);
    const n = indices.length,
      inputs = new Float64Array(n * d);
    const targets = config.targets ? new Float64Array(n * out) : undefined,
      labels = config.labels ? new Int32Array(n) : undefined;
    for (let r = 0; r < n; r++) {
      const e = indices[r];
      inputs.set(config.inputs.subarray(e * d, (e + 1) * d), r * d);
      if (targets) targets.set(config.targets!.subarray(e * out, (e + 1) * out), r * out);
      if (labels) labels[r] = config.labels![e];
    }
    return sums(
      () => mlpObjective(config.spec, { inputs, targets, labels }, { loss: config.loss }).evaluate(theta, v),
      n,
      gradientOut,
      hvpOut,
    );
  };
}

/** Worker-task handle of `mlpShardEvaluator`. */
export const mlpShardTask = task("nn/data-parallel", mlpShardEvaluator);

/**
 * Configuration of `gptShardEvaluator`: a GPT, a token stream, and the window length; example i is
 * the window starting at token i. `precision` is the arithmetic of `gptGradientShardEvaluator`
 * (default "float64"; in "float32" its θ and gradient views are Float32Array).
 */
export interface GptShardConfig extends ShardConfig {
  spec: GptSpec;
  corpus: Int32Array;
  /** Tokens per window (the sequence length of one example). */
  windowLength: number;
  precision: Precision;
}

/**
 * A GptShardConfig for a token stream (dim and examples filled in: every start 0 … len − L − 1,
 * L = windowLength). Options: precision (default "float64"). Errors: windowLength outside
 * 1 … block; a corpus too short for one window of L + 1 tokens; an unknown precision.
 */
export function gptShardConfig(
  spec: GptSpec,
  corpus: Int32Array,
  windowLength: number,
  o: { precision?: Precision } = {},
): GptShardConfig {
  requireInteger("windowLength", windowLength, 1, spec.block);
  if (corpus.length < windowLength + 1)
    throw new RangeError(
      `the corpus has ${corpus.length} tokens: too short for one window of ${windowLength} tokens and the token after it`,
    );
  return {
    spec,
    corpus,
    windowLength,
    dim: gptLayout(spec).dim,
    examples: corpus.length - windowLength,
    precision: requirePrecision("precision", o.precision ?? "float64"),
  };
}

/** Worker side, for a GPT: the next-token loss sums of the windows starting at `indices` (per window: its mean over T tokens). */
export function gptShardEvaluator(config: GptShardConfig): (input: ShardInput) => ShardSums {
  return ({ theta, indices, v, gradientOut, hvpOut }) => {
    requireIndices(indices, config.examples);
    return sums(
      () => gptObjective(config.spec, tokenWindows(config.corpus, indices, config.windowLength)).evaluate(theta, v),
      indices.length,
      gradientOut,
      hvpOut,
    );
  };
}

/** Worker-task handle of `gptShardEvaluator`. */
export const gptShardTask = task("nn/data-parallel", gptShardEvaluator);

/**
 * Worker side, for GPT training: as `gptShardEvaluator` but through the hand-written `GptGradient`
 * in the configuration's precision (loss and gradient only, its workspace kept across calls; with
 * `lossOnly`, the forward pass only). The gradient is written straight into `gradientOut` when
 * given and scaled there (in float32, θ and `gradientOut` may be Float32Array views: the types say
 * Float64Array for the shared interface). Errors: a RangeError if an HVP direction is passed.
 */
export function gptGradientShardEvaluator(config: GptShardConfig): (input: ShardInput) => ShardSums {
  const gg = new GptGradient(config.spec, { precision: config.precision ?? "float64" }); // copies θ into its own memory, so a shared θ is read once
  return ({ theta, indices, v, gradientOut, lossOnly }) => {
    if (v) throw new RangeError("gptGradientShardEvaluator computes gradients only; use gptShardTask for HVPs");
    requireIndices(indices, config.examples);
    const windows = tokenWindows(config.corpus, indices, config.windowLength),
      count = indices.length;
    if (lossOnly) return { loss: gg.loss(theta, windows) * count, gradient: new Float64Array(0), hvp: null, count };
    const { loss, gradient } = gg.evaluate(theta, windows, gradientOut); // NaN, not a throw, when it overflows
    for (let i = 0; i < gradient.length; i++) gradient[i] *= count;
    return { loss: loss * count, gradient, hvp: null, count };
  };
}

/** Worker-task handle of `gptGradientShardEvaluator`. */
export const gptGradientShardTask = task("nn/data-parallel", gptGradientShardEvaluator);

/**
 * The mean loss over any minibatch of a model's examples, with its gradient and HVP, computed on a
 * pool of worker threads that each hold the training set (see the file's comment for why the
 * result does not depend on the number of workers). Open it with `open`, close it when done.
 */
export class DataParallelObjective {
  readonly dim: number;
  readonly examples: number;
  readonly chunk: number;
  /** θ, v and the chunks' gradient and HVP sums in shared memory: a message carries views, not copies of D numbers. */
  private readonly sharedTheta: Float64Array;
  private readonly sharedV: Float64Array;
  private readonly sharedGradients: Float64Array[] = [];
  private readonly sharedHvps: Float64Array[] = [];
  private constructor(
    private readonly pool: WorkerPool<ShardInput, ShardSums>,
    config: ShardConfig,
    chunk: number,
  ) {
    this.dim = config.dim;
    this.examples = config.examples;
    this.chunk = chunk;
    this.sharedTheta = new Float64Array(new SharedArrayBuffer(8 * config.dim));
    this.sharedV = new Float64Array(new SharedArrayBuffer(8 * config.dim));
  }

  /**
   * Starts the workers (default `defaultWorkers()`), each building its evaluator from `config`
   * once. Options: chunk, the examples per tape (default 64: it fixes the reduction order, so keep
   * it when comparing runs). Errors: a RangeError for a bad chunk or worker count.
   */
  static async open<C extends ShardConfig>(
    evaluator: Task<C, (input: ShardInput) => ShardSums>,
    config: C,
    o: { workers?: number; chunk?: number } = {},
  ): Promise<DataParallelObjective> {
    const chunk = o.chunk ?? 64;
    requireInteger("chunk (examples per tape)", chunk, 1);
    return new DataParallelObjective(await openWorkerPool(evaluator, config, { workers: o.workers }), config, chunk);
  }

  /** Workers in the pool. */
  get workers(): number {
    return this.pool.workers;
  }

  /**
   * Mean loss over the examples `indices` at θ, its gradient and (given v) its HVP.
   * Errors: RangeErrors for wrong lengths, an empty batch or an index out of range; a
   * NonFiniteError when the loss is not finite (the pool stays usable).
   */
  async evaluate(theta: Float64Array, indices: ArrayLike<number>, v?: Float64Array): Promise<LossDerivatives> {
    const parts = await this.run(theta, indices, v, false);
    let loss = 0;
    const gradient = new Float64Array(this.dim),
      hvp = v ? new Float64Array(this.dim) : null;
    for (const p of parts) {
      loss += p.loss;
      for (let i = 0; i < this.dim; i++) gradient[i] += p.gradient[i];
      if (hvp) for (let i = 0; i < this.dim; i++) hvp[i] += p.hvp![i];
    }
    const n = indices.length;
    for (let i = 0; i < this.dim; i++) gradient[i] /= n;
    if (hvp) for (let i = 0; i < this.dim; i++) hvp[i] /= n;
    return { loss: loss / n, gradient, hvp };
  }

  /**
   * Mean loss over the examples `indices` at θ, without the gradient where the evaluator can skip
   * it (`gptGradientShardTask`: the forward pass only); the same number `evaluate` returns.
   * Errors: as `evaluate`.
   */
  async loss(theta: Float64Array, indices: ArrayLike<number>): Promise<number> {
    const parts = await this.run(theta, indices, undefined, true);
    let loss = 0;
    for (const p of parts) loss += p.loss;
    return loss / indices.length;
  }

  /**
   * Checks the arguments, cuts the batch into chunks (θ copied once into shared memory, each chunk
   * with its own shared gradient slot), runs them on the pool and returns their sums in chunk order.
   * Errors: as `evaluate`.
   */
  private async run(
    theta: Float64Array,
    indices: ArrayLike<number>,
    v: Float64Array | undefined,
    lossOnly: boolean,
  ): Promise<ShardSums[]> {
    requireLength("θ", theta, this.dim);
    if (v) requireLength("v (direction of the HVP)", v, this.dim);
    requireInteger("batch size", indices.length, 1);
    const idx = Int32Array.from(indices);
    requireIndices(idx, this.examples);
    this.sharedTheta.set(theta);
    if (v) this.sharedV.set(v);
    const shards: ShardInput[] = [];
    const slot = (list: Float64Array[], k: number) => {
      while (list.length <= k) list.push(new Float64Array(new SharedArrayBuffer(8 * this.dim)));
      return list[k];
    };
    for (let s = 0, k = 0; s < idx.length; s += this.chunk, k++) {
      shards.push({
        theta: this.sharedTheta,
        indices: idx.slice(s, s + this.chunk),
        v: v ? this.sharedV : undefined,
        lossOnly,
        gradientOut: lossOnly ? undefined : slot(this.sharedGradients, k),
        hvpOut: v ? slot(this.sharedHvps, k) : undefined,
      });
    }
    const parts = await this.pool.map(shards);
    const bad = parts.findIndex((p) => !Number.isFinite(p.loss));
    if (bad >= 0)
      throw new NonFiniteError(
        `DataParallelObjective: the loss of chunk ${bad} (examples ${bad * this.chunk}…) is not finite`,
      );
    return parts;
  }

  /** Stops the worker threads; later evaluations are refused. */
  async close(): Promise<void> {
    await this.pool.close();
  }
}
