import { task } from "../parallel/pool";
import { openWorkerGang, type GangItem, type WorkerGang } from "../parallel/gang";
import { requireInteger, requireLength } from "../util/validate";
import { gptForward, tokenWindows } from "./gpt";
import { mlpObjective, mlpRows, type Objective } from "./mlp";
import { softmaxCrossEntropy } from "./ops";
import { NonFiniteError } from "./tape";
import { tangentSweep, type TangentDerivatives } from "./tangent-sweep";
import type { GptShardConfig, MlpShardConfig } from "./data-parallel";

/**
 * The minibatch loss L_B, its gradient and k Hessian-vector products H_B v₁ … H_B v_k at once, for
 * the training map's tangent system (lib/nn/training-tangent), on this thread and on helper
 * threads, with the same bits for any number of threads.
 *
 * How: the work is split by tangents, not by examples. The k directions are cut into groups of at
 * most `group` (default 8: on the bench's MLP a sweep carrying 8 tangents runs 25 % faster per
 * product than one carrying 32, whose [32, N, width] arrays no longer fit in cache), as many as a
 * multiple of the number of threads; each group runs one sweep over the whole batch carrying its
 * tangents (lib/nn/tangent-sweep) and writes its H·V blocks straight into shared memory (group 0
 * also the loss and gradient). A
 * tangent's product does not depend on which others share its sweep (the tape sums every entry in
 * the same order for any number of tangents), so the result is the same, bit for bit, for any
 * grouping, hence for any number of threads, and equals `evaluateTangents` on the whole batch. The
 * price is the value and gradient part of the sweep, repeated once per group: about 1/k of the work
 * each. Splitting by examples instead repeats the O(k·dim) work on the parameters per chunk and
 * needs a reduction of k·dim sums per chunk; it is used only to bound memory, for batches larger
 * than `chunk` examples: then each chunk writes its sums (chunk mean × count) to its own slot, and
 * the slots are added in chunk order and divided by |B|, entry range by entry range, in parallel.
 * Threads are a `WorkerGang` (lib/parallel/gang): synchronous, so a `TangentSystem` can use it
 * inside `lyapunovSpectrum`.
 */

/** A training set a tangent evaluator can be built from on any thread: an MLP's or a GPT's shard configuration (lib/nn/data-parallel). */
export type TangentShardSource = MlpShardConfig | GptShardConfig;

/** What a batch evaluator computes: the mean over the batch. */
export interface BatchEvaluator {
  readonly dim: number;
  /** Examples N the indices refer to. */
  readonly examples: number;
  /** Threads working on an evaluation (this one included). */
  readonly workers: number;
  /** The largest k it accepts. */
  readonly maxTangents: number;
  /**
   * The mean loss over the examples `indices` at θ (returned; NaN when it is not finite), its
   * gradient into `gradient` and H_B v_c for the k directions in V (k·dim entries) into `hv`.
   */
  evaluate(
    theta: Float64Array,
    indices: Int32Array,
    V: Float64Array,
    k: number,
    gradient: Float64Array,
    hv: Float64Array,
  ): number;
  close(): Promise<void>;
}

// header words
const K = 0,
  B = 1,
  CHUNK = 2,
  CHUNKS = 3,
  SLICES = 4,
  GROUPS = 5,
  HEADER = 8;
/** Job kinds of the gang: sweep one chunk, or add up one range of entries over the chunks. */
const SWEEP = 0,
  REDUCE = 1;

/** The shared memory of a tangent shard evaluator (SharedArrayBuffers: every thread sees the same bytes). */
export interface TangentShardConfig {
  source: TangentShardSource;
  header: SharedArrayBuffer;
  theta: SharedArrayBuffer;
  basis: SharedArrayBuffer;
  indices: SharedArrayBuffer;
  /** chunks × (1 + (k + 1)·dim): per chunk its loss sum, gradient sums and H·V sums. */
  slots: SharedArrayBuffer;
  /** 1 + (k + 1)·dim: the means over the batch. */
  result: SharedArrayBuffer;
}

// Growable SharedArrayBuffers (ES2024, Node ≥ 20): views made without a length follow their growth,
// on every thread; the address range up to maxByteLength is reserved once, memory is committed as it grows.
type Growable = SharedArrayBuffer & { grow(bytes: number): void };
const growable = (bytes: number, max: number): SharedArrayBuffer =>
  new (SharedArrayBuffer as unknown as new (bytes: number, o: { maxByteLength: number }) => SharedArrayBuffer)(bytes, {
    maxByteLength: Math.max(bytes, max),
  });
const grow = (buffer: SharedArrayBuffer, bytes: number) => {
  if (buffer.byteLength < bytes) (buffer as Growable).grow(bytes);
};

/** The chunk sweep of one source: a function of (θ, example indices, V, k), cached per chunk for a batch that repeats (GD). */
function chunkSweeper(
  source: TangentShardSource,
): (chunk: number, theta: Float64Array, indices: Int32Array, V: Float64Array, k: number) => TangentDerivatives {
  const cache = new Map<
    number,
    { indices: Int32Array; run: (theta: Float64Array, V: Float64Array, k: number) => TangentDerivatives }
  >();
  const build = (indices: Int32Array): ((theta: Float64Array, V: Float64Array, k: number) => TangentDerivatives) => {
    if ("corpus" in source) {
      const w = tokenWindows(source.corpus, indices, source.windowLength),
        spec = source.spec;
      return (theta, V, k) =>
        tangentSweep(source.dim, theta, V, k, (tape, th) =>
          softmaxCrossEntropy(tape, gptForward(tape, spec, th, w.inputs, w.sequences), w.targets),
        );
    }
    const obj = mlpObjective(source.spec, mlpRows(source.spec, source, indices), { loss: source.loss });
    return (theta, V, k) => obj.evaluateTangents!(theta, V, k);
  };
  return (chunk, theta, indices, V, k) => {
    let c = cache.get(chunk);
    if (!c || c.indices.length !== indices.length || c.indices.some((x, i) => x !== indices[i]))
      cache.set(chunk, (c = { indices: Int32Array.from(indices), run: build(indices) }));
    return c.run(theta, V, k);
  };
}

/**
 * Gang side: the item function of a tangent shard evaluator on one thread (job SWEEP: chunk i;
 * job REDUCE: entry range i). Built once per thread from the shared configuration.
 */
export function tangentShardWorker(config: TangentShardConfig): GangItem {
  const D = config.source.dim;
  const header = new Int32Array(config.header),
    theta = new Float64Array(config.theta),
    indices = new Int32Array(config.indices);
  const basis = new Float64Array(config.basis),
    slots = new Float64Array(config.slots),
    result = new Float64Array(config.result); // length-tracking views: they follow the buffers' growth
  const sweep = chunkSweeper(config.source);
  return (item, job) => {
    const k = header[K],
      b = header[B],
      chunk = header[CHUNK],
      chunks = header[CHUNKS],
      groups = header[GROUPS],
      width = 1 + (k + 1) * D;
    if (job === SWEEP) {
      const e = Math.floor(item / groups),
        g = item % groups;
      const c0 = Math.floor((g * k) / groups),
        c1 = Math.floor(((g + 1) * k) / groups); // this group's tangents
      if (c1 === c0 && g > 0) return;
      const lo = e * chunk,
        hi = Math.min(b, lo + chunk),
        n = hi - lo;
      // one chunk: the means go straight to the result; several: each chunk's sums to its slot
      const out = chunks === 1 ? result : slots,
        at = chunks === 1 ? 0 : e * width,
        scale = chunks === 1 ? 1 : n;
      let r: TangentDerivatives;
      try {
        r = sweep(e, theta, indices.subarray(lo, hi), basis.subarray(c0 * D, c1 * D), c1 - c0);
      } catch (err) {
        if (!(err instanceof NonFiniteError)) throw err;
        out[at] = NaN; // a loss that is not finite: reported by the caller as a divergence
        return;
      }
      if (g === 0) {
        out[at] = chunks === 1 ? r.loss : r.loss * n;
        for (let i = 0; i < D; i++) out[at + 1 + i] = chunks === 1 ? r.gradient[i] : r.gradient[i] * scale;
      }
      const hv = r.hvps,
        o = at + 1 + D + c0 * D;
      if (chunks === 1) out.set(hv, o);
      else for (let i = 0; i < (c1 - c0) * D; i++) out[o + i] = hv[i] * scale;
    } else {
      const slices = header[SLICES],
        lo = Math.floor((item * width) / slices),
        hi = Math.floor(((item + 1) * width) / slices);
      for (let e = lo; e < hi; e++) {
        let s = 0;
        for (let c = 0; c < chunks; c++) s += slots[c * width + e];
        result[e] = s / b;
      }
    }
  };
}

/** Gang task handle of `tangentShardWorker`. */
export const tangentShardTask = task("nn/tangent-shards", tangentShardWorker);

/**
 * A batch evaluator over a shard source (an MLP's or a GPT's training set), on `workers` threads
 * (this one included; default 1: no helper threads), split by tangents (see the file's comment).
 * Options: group, the most tangents per sweep (default 8); chunk, the most examples per sweep (default 1024: a larger batch is cut into chunks,
 * which bounds the memory of a sweep, k·chunk·width doubles per layer, and fixes the reduction
 * order, so keep it when comparing runs; it never depends on the number of workers); maxTangents,
 * the largest k (default min(dim, 256): shared memory grows up to it).
 * Errors: RangeErrors for bad sizes; an unknown source is a TypeError.
 */
export async function openShardEvaluator(
  source: TangentShardSource,
  o: { workers?: number; chunk?: number; group?: number; maxTangents?: number } = {},
): Promise<BatchEvaluator> {
  const workers = o.workers ?? 1;
  requireInteger("workers", workers, 1);
  const { config, evaluator } = shardEvaluator(source, o);
  const gang = workers > 1 ? await openWorkerGang(tangentShardTask, config, { workers }) : null;
  return evaluator(gang);
}

/** The same evaluator on this thread only, built synchronously (for worker tasks that run whole spectra). */
export function shardEvaluatorHere(
  source: TangentShardSource,
  o: { chunk?: number; group?: number; maxTangents?: number } = {},
): BatchEvaluator {
  return shardEvaluator(source, o).evaluator(null);
}

/** Groups of tangents for k tangents on `threads` threads: at most `group` each, as many as a multiple of the threads (so that they balance), at least 1. */
export function tangentGroups(k: number, threads: number, group: number): number {
  if (k === 0) return 1;
  const g = Math.ceil(Math.ceil(k / group) / threads) * threads;
  return Math.max(1, Math.min(k, g));
}

function shardEvaluator(
  source: TangentShardSource,
  o: { chunk?: number; group?: number; maxTangents?: number },
): { config: TangentShardConfig; evaluator: (gang: WorkerGang | null) => BatchEvaluator } {
  if (
    !source ||
    typeof source !== "object" ||
    !("spec" in source) ||
    !("widths" in source.spec || "corpus" in source)
  ) {
    throw new TypeError(
      "a tangent shard source must be an MLP's or a GPT's shard configuration (mlpShardConfig, gptShardConfig)",
    );
  }
  const D = source.dim,
    N = source.examples;
  const maxTangents = o.maxTangents ?? Math.min(D, 256);
  requireInteger(`maxTangents (at most dim = ${D})`, maxTangents, 1, D);
  if (o.chunk !== undefined) requireInteger("chunk (examples per sweep)", o.chunk, 1);
  const group = o.group ?? 8;
  requireInteger("group (tangents per sweep)", group, 1);
  const chunk = o.chunk ?? 1024;
  const maxChunks = Math.ceil(N / chunk);
  const maxWidth = 1 + (maxTangents + 1) * D;
  const config: TangentShardConfig = {
    source,
    header: new SharedArrayBuffer(4 * HEADER),
    theta: new SharedArrayBuffer(8 * D),
    basis: growable(0, 8 * maxTangents * D),
    indices: new SharedArrayBuffer(4 * N),
    slots: growable(0, maxChunks > 1 ? 8 * maxChunks * maxWidth : 0),
    result: growable(8 * (1 + D), 8 * maxWidth),
  };
  const header = new Int32Array(config.header),
    theta = new Float64Array(config.theta),
    indices = new Int32Array(config.indices);
  const basis = new Float64Array(config.basis),
    result = new Float64Array(config.result);
  return {
    config,
    evaluator(gang) {
      const threads = gang ? gang.workers : 1;
      const here = gang ? null : tangentShardWorker(config);
      const run = (items: number, job: number) => {
        if (gang) gang.run(items, job);
        else for (let i = 0; i < items; i++) here!(i, job);
      };
      return {
        dim: D,
        examples: N,
        workers: gang ? gang.workers : 1,
        maxTangents,
        evaluate(th, idx, V, k, gradient, hv) {
          requireInteger(`k (tangents, at most maxTangents = ${maxTangents})`, k, 0, maxTangents);
          requireLength("θ", th, D);
          const b = idx.length;
          requireInteger(`batch size (at most N = ${N})`, b, 1, N);
          for (let i = 0; i < b; i++)
            if (!(idx[i] >= 0 && idx[i] < N))
              throw new RangeError(`example index ${idx[i]} (position ${i}) is outside 0…${N - 1}`);
          const chunks = Math.ceil(b / chunk),
            width = 1 + (k + 1) * D,
            groups = tangentGroups(k, threads, group);
          grow(config.basis, 8 * k * D);
          if (chunks > 1) grow(config.slots, 8 * chunks * width);
          grow(config.result, 8 * width);
          header[K] = k;
          header[B] = b;
          header[CHUNK] = chunk;
          header[CHUNKS] = chunks;
          header[GROUPS] = groups;
          header[SLICES] = Math.min(64, Math.max(1, Math.ceil(width / 4096)));
          theta.set(th);
          indices.set(idx);
          if (k > 0) basis.set(V.subarray(0, k * D));
          run(chunks * groups, SWEEP);
          if (chunks > 1) run(header[SLICES], REDUCE);
          gradient.set(result.subarray(1, 1 + D));
          if (k > 0) hv.set(result.subarray(1 + D, 1 + D + k * D));
          return Number.isFinite(result[0]) ? result[0] : NaN;
        },
        async close() {
          if (gang) await gang.close();
        },
      };
    },
  };
}

/**
 * A batch evaluator over any Objective, on this thread: its `evaluateTangents` (sweeps carrying
 * at most `group` tangents each, default 8) where it has one, else k calls of `evaluate`; a batch smaller than N through its
 * `subset` (the minibatch loss). Errors: a TypeError, at the first evaluation, when the objective
 * returns no Hessian-vector product or, for a minibatch, has no `subset`.
 */
export function objectiveEvaluator(objective: Objective, o: { group?: number } = {}): BatchEvaluator {
  const D = objective.dim,
    N = objective.examples ?? 0,
    group = o.group ?? 8;
  requireInteger("group (tangents per sweep)", group, 1);
  return {
    dim: D,
    examples: N,
    workers: 1,
    maxTangents: D,
    evaluate(theta, idx, V, k, gradient, hv) {
      let obj = objective;
      if (idx.length !== N) {
        if (!objective.subset)
          throw new TypeError(
            "the objective has no subset(indices): minibatches (SGD) need an objective that can be averaged over some of its examples (mlpObjective, or a shard configuration)",
          );
        obj = objective.subset(idx);
      }
      try {
        if (obj.evaluateTangents && k > 0) {
          const groups = tangentGroups(k, 1, group);
          let loss = NaN;
          for (let gi = 0; gi < groups; gi++) {
            const c0 = Math.floor((gi * k) / groups),
              c1 = Math.floor(((gi + 1) * k) / groups);
            const r = obj.evaluateTangents(theta, V.subarray(c0 * D, c1 * D), c1 - c0);
            hv.set(r.hvps, c0 * D);
            if (gi === 0) {
              gradient.set(r.gradient);
              loss = r.loss;
            }
          }
          return Number.isFinite(loss) ? loss : NaN;
        }
        if (k === 0) {
          const r = obj.evaluate(theta);
          gradient.set(r.gradient);
          return Number.isFinite(r.loss) ? r.loss : NaN;
        }
        let loss = NaN;
        for (let c = 0; c < k; c++) {
          const r = obj.evaluate(theta, V.subarray(c * D, (c + 1) * D));
          if (!r.hvp)
            throw new TypeError(
              "the objective returned no Hessian-vector product (hvp: null) for a direction v: the training map's tangent needs exact HVPs (mlpObjective, gptObjective and quadraticObjective have them)",
            );
          hv.set(r.hvp, c * D);
          if (c === 0) {
            gradient.set(r.gradient);
            loss = r.loss;
          }
        }
        return Number.isFinite(loss) ? loss : NaN;
      } catch (e) {
        if (e instanceof NonFiniteError) return NaN;
        throw e;
      }
    },
    async close() {},
  };
}
