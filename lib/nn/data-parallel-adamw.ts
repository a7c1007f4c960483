import { task, loadTask, type Task, type TaskRef } from "../parallel/task";
import { openWorkerPool, type WorkerPool } from "../parallel/worker-pool";
import { requireInteger, requireInRange, requireLength, requirePositive } from "../util/validate";
import { bytesPer, requirePrecision, type FloatArray, type Precision } from "../kernels/precision";
import type { ShardConfig, ShardInput, ShardSums } from "./data-parallel";

/**
 * Data-parallel minibatch training with AdamW, the whole step on worker threads: each worker
 * computes the gradient sums of some chunks of the minibatch (as `DataParallelObjective`), then
 * each worker reduces the chunks' gradients and applies AdamW on its own slice of the parameters.
 * θ, AdamW's moments m and v, and one gradient slot per chunk live in shared memory, so no
 * message carries a parameter vector and this thread does no O(D) work per step.
 *
 * Why: with the gradient on the workers but the reduction and AdamW on this thread (as
 * `DataParallelObjective` + a JS optimizer loop), a 2·10⁵-parameter GPT step spent a serial
 * share of several O(D) passes (copying θ into shared memory, allocating and summing the chunks'
 * gradients, dividing, AdamW) on one core while the other idled; see `npm run bench`'s
 * data-parallel lines for the 1-worker/2-worker ratios.
 *
 * Bits: chunks are fixed by `chunk` (not by the worker count) and summed in chunk order; the
 * reduction and AdamW are element-wise, so cutting the parameters into slices changes no
 * operation. A run is therefore bit-identical for any number of workers (tested), and to the
 * same step written as one loop: per parameter k, g = ((0 + G₀[k]) + G₁[k] + …)/n, then
 * θ ← θ − lr·λ·θ (where it decays), m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
 * θ ← θ − lr·(m/c₁)/(√(v/c₂) + ε), c_i = 1 − β_iᵗ (Loshchilov & Hutter 2019; PyTorch's AdamW with
 * its bias corrections), in float64 arithmetic with θ, m, v stored in the run's precision.
 */

/** What a training worker is built from (structured-cloned once per worker; the buffers are shared, not copied). */
export interface AdamWShardConfig<C extends ShardConfig = ShardConfig> {
  /** The evaluator factory (e.g. gptGradientShardTask) and its configuration. */
  evaluator: TaskRef;
  evaluatorConfig: C;
  precision: Precision;
  dim: number;
  /** θ, m, v: 3·dim numbers of the precision. */
  state: SharedArrayBuffer;
  /** One slot of dim numbers per chunk. */
  gradients: SharedArrayBuffer;
  chunks: number;
  /** 1 where the parameter decays. */
  decay: Uint8Array;
}

/** A message to a training worker. */
export type AdamWShardInput =
  | { kind: "gradient"; slot: number; indices: Int32Array }
  | { kind: "loss"; indices: Int32Array }
  | {
      kind: "adamw";
      from: number;
      to: number;
      slots: number;
      n: number;
      lr: number;
      beta1: number;
      beta2: number;
      eps: number;
      weightDecay: number;
      c1: number;
      c2: number;
    };

/** A training worker's answer: the loss sum over the chunk's examples and their count (NaN for a non-finite loss). */
export interface AdamWShardOutput {
  loss: number;
  count: number;
}

/**
 * Worker side: builds the evaluator once and answers gradient, loss and AdamW messages on the
 * shared state. Errors: the evaluator's; a RangeError for a slot or a slice out of range.
 */
export function adamWShardWorker(config: AdamWShardConfig): (input: AdamWShardInput) => AdamWShardOutput {
  const evaluate = loadTask<ShardConfig, (input: ShardInput) => ShardSums>(config.evaluator)(config.evaluatorConfig);
  const D = config.dim,
    f32 = config.precision === "float32";
  const view = (buffer: SharedArrayBuffer, offset: number): FloatArray =>
    f32 ? new Float32Array(buffer, 4 * offset, D) : new Float64Array(buffer, 8 * offset, D);
  const theta = view(config.state, 0),
    m = view(config.state, D),
    v = view(config.state, 2 * D);
  const slots = Array.from({ length: config.chunks }, (_, k) => view(config.gradients, k * D));
  const decay = config.decay;
  return (msg) => {
    if (msg.kind === "loss") {
      const s = evaluate({ theta: theta as Float64Array, indices: msg.indices, lossOnly: true });
      return { loss: s.loss, count: s.count };
    }
    if (msg.kind === "gradient") {
      requireInteger("gradient slot", msg.slot, 0, config.chunks - 1);
      const s = evaluate({
        theta: theta as Float64Array,
        indices: msg.indices,
        gradientOut: slots[msg.slot] as Float64Array,
      });
      return { loss: s.loss, count: s.count };
    }
    const { from, to, n, lr, beta1, beta2, eps, weightDecay, c1, c2 } = msg;
    requireInteger("AdamW slice start", from, 0, D);
    requireInteger("AdamW slice end", to, from, D);
    requireInteger("AdamW slots", msg.slots, 1, config.chunks);
    const used = slots.slice(0, msg.slots);
    for (let k = from; k < to; k++) {
      let g = 0;
      for (const G of used) g += G[k];
      g /= n;
      if (decay[k]) theta[k] -= lr * weightDecay * theta[k];
      m[k] = beta1 * m[k] + (1 - beta1) * g;
      v[k] = beta2 * v[k] + (1 - beta2) * g * g;
      theta[k] -= (lr * (m[k] / c1)) / (Math.sqrt(v[k] / c2) + eps);
    }
    return { loss: 0, count: 0 };
  };
}

/** Worker-task handle of `adamWShardWorker`. */
export const adamWShardTask = task("nn/data-parallel-adamw", adamWShardWorker);

/** AdamW's hyper-parameters for one step. */
export interface AdamWStep {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

/**
 * θ, AdamW's moments and a data-parallel gradient on a pool of workers (see the file's comment).
 * Open it with `open`, close it when done.
 */
export class DataParallelAdamW {
  readonly dim: number;
  readonly examples: number;
  readonly chunk: number;
  readonly precision: Precision;
  /** θ, m, v: views of the shared state (read them between steps; write them only before the first). */
  readonly theta: FloatArray;
  readonly m: FloatArray;
  readonly v: FloatArray;
  private readonly maxChunks: number;
  private constructor(
    private readonly pool: WorkerPool<AdamWShardInput, AdamWShardOutput>,
    config: AdamWShardConfig,
    examples: number,
    chunk: number,
  ) {
    this.dim = config.dim;
    this.examples = examples;
    this.chunk = chunk;
    this.precision = config.precision;
    this.maxChunks = config.chunks;
    const f32 = config.precision === "float32",
      D = config.dim;
    const view = (o: number): FloatArray =>
      f32 ? new Float32Array(config.state, 4 * o, D) : new Float64Array(config.state, 8 * o, D);
    this.theta = view(0);
    this.m = view(D);
    this.v = view(2 * D);
  }

  /**
   * Starts the workers (default `defaultWorkers()`), each building the evaluator from its
   * configuration once, with θ, m, v in shared memory (zeroed: set θ before the first step).
   * Options: workers; chunk (examples per chunk, default 8: it fixes the reduction order);
   * maxBatch (the largest minibatch, default 16·chunk: it sizes the gradient slots); decay (1 for
   * each parameter that decays, default all). Errors: a RangeError for a bad size, precision or
   * mask length; the evaluator's errors, before any step.
   */
  static async open<C extends ShardConfig>(
    evaluator: Task<C, (input: ShardInput) => ShardSums>,
    evaluatorConfig: C,
    o: { workers?: number; chunk?: number; maxBatch?: number; precision?: Precision; decay?: Uint8Array } = {},
  ): Promise<DataParallelAdamW> {
    const chunk = o.chunk ?? 8,
      maxBatch = o.maxBatch ?? 16 * chunk,
      precision = requirePrecision("precision", o.precision ?? "float64");
    requireInteger("chunk (examples per worker task)", chunk, 1);
    requireInteger("maxBatch", maxBatch, 1);
    const D = evaluatorConfig.dim,
      chunks = Math.ceil(maxBatch / chunk),
      bytes = bytesPer(precision);
    const decay = o.decay ?? new Uint8Array(D).fill(1);
    requireLength("decay mask", decay, D);
    const config: AdamWShardConfig<C> = {
      evaluator: { module: evaluator.module, fn: evaluator.fn },
      evaluatorConfig,
      precision,
      dim: D,
      state: new SharedArrayBuffer(3 * D * bytes),
      gradients: new SharedArrayBuffer(chunks * D * bytes),
      chunks,
      decay,
    };
    const pool = await openWorkerPool(adamWShardTask, config as AdamWShardConfig, { workers: o.workers });
    return new DataParallelAdamW(pool, config as AdamWShardConfig, evaluatorConfig.examples, chunk);
  }

  /** Workers in the pool. */
  get workers(): number {
    return this.pool.workers;
  }

  /**
   * One AdamW step (the t-th: its bias corrections use t) on the minibatch `indices`: returns the
   * minibatch's mean loss before the step. A non-finite loss leaves θ, m and v untouched and is
   * returned (the caller records the divergence). Errors: RangeErrors for an empty or too large
   * batch, an index out of range, or bad hyper-parameters.
   */
  async step(indices: ArrayLike<number>, t: number, h: AdamWStep): Promise<number> {
    requireInteger("step t", t, 1);
    requirePositive("lr", h.lr);
    requireInRange("weightDecay", h.weightDecay, 0, 1);
    const idx = this.indices(indices);
    const chunks: AdamWShardInput[] = [];
    for (let s = 0, k = 0; s < idx.length; s += this.chunk, k++)
      chunks.push({ kind: "gradient", slot: k, indices: idx.slice(s, s + this.chunk) });
    if (chunks.length > this.maxChunks)
      throw new RangeError(
        `batch size ${idx.length} exceeds the ${this.maxChunks} chunks of ${this.chunk} this pool was opened for (maxBatch)`,
      );
    const parts = await this.pool.map(chunks);
    let loss = 0;
    for (const p of parts) loss += p.loss;
    loss /= idx.length;
    if (!Number.isFinite(loss)) return loss;
    const W = this.pool.workers,
      per = Math.ceil(this.dim / W),
      slices: AdamWShardInput[] = [];
    const c1 = 1 - Math.pow(h.beta1, t),
      c2 = 1 - Math.pow(h.beta2, t);
    for (let w = 0; w < W; w++) {
      const from = Math.min(this.dim, w * per),
        to = Math.min(this.dim, from + per);
      slices.push({ kind: "adamw", from, to, slots: chunks.length, n: idx.length, ...h, c1, c2 });
    }
    await this.pool.map(slices);
    return loss;
  }

  /** The mean loss over the examples `indices` at the current θ (the forward pass only where the evaluator can). Errors: as `step`. */
  async loss(indices: ArrayLike<number>): Promise<number> {
    const idx = this.indices(indices);
    const chunks: AdamWShardInput[] = [];
    for (let s = 0; s < idx.length; s += this.chunk)
      chunks.push({ kind: "loss", indices: idx.slice(s, s + this.chunk) });
    let loss = 0;
    for (const p of await this.pool.map(chunks)) loss += p.loss;
    return loss / idx.length;
  }

  private indices(indices: ArrayLike<number>): Int32Array {
    requireInteger("batch size", indices.length, 1);
    const idx = Int32Array.from(indices);
    for (let i = 0; i < idx.length; i++)
      if (!(idx[i] >= 0 && idx[i] < this.examples))
        throw new RangeError(`example index ${idx[i]} (position ${i}) is outside 0…${this.examples - 1}`);
    return idx;
  }

  /** Stops the worker threads; later steps are refused. */
  async close(): Promise<void> {
    await this.pool.close();
  }
}
