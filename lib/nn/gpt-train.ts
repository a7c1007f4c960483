import * as fs from "fs";
import * as path from "path";
import { createHash } from "crypto";
import { Stream } from "../random/stream";
import type { StreamSeed } from "../random/stream";
import { symmetricEigenvalues } from "../linalg/symmetric-eigen";
import { requireInteger, requirePositive, requireInRange } from "../util/validate";
import { gptInit, gptLayout } from "./gpt";
import type { GptSpec } from "./gpt";
import { DataParallelObjective, gptGradientShardTask, gptShardConfig } from "./data-parallel";
import { loadMobyDick } from "./corpus";
import type { CharCorpus } from "./corpus";

/**
 * Training a char-level GPT with AdamW, data-parallel and resumable, recording the weight spectra
 * the RMT talk analyses (Aarts et al., "Transformer: empirical analysis").
 *
 * Reproducibility: the minibatch of iteration i is drawn from Stream.named(seed, "gpt/batch", i),
 * the validation windows from Stream.named(seed, "gpt/validation", 0), the initial weights from
 * Stream.named(seed, "gpt/init", 0). Gradients come from `DataParallelObjective` over fixed chunks,
 * so the run is bit-identical for any number of workers, and a run resumed from a checkpoint (which
 * holds θ and the optimizer's moments exactly) continues bit-identically.
 */
export interface GptTrainConfig {
  spec: GptSpec;
  /** Windows per minibatch (default 16). */
  batch: number;
  /** Window length in tokens (default = spec.block). */
  T: number;
  iterations: number;
  /** Peak learning rate (default 1e-3) after a linear warm-up of `warmup` iterations (default 100, at most a tenth of the run), then cosine decay to `minLr` (default lr/10) at the last iteration. */
  lr: number;
  minLr: number;
  warmup: number;
  /** AdamW (Loshchilov & Hutter 2019): β₁, β₂, ε and decoupled weight decay on the weight matrices and embeddings only (defaults 0.9, 0.999, 1e-8, 0.01: PyTorch's). */
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** The run's stream family: a number, or a named path such as Stream.path(P.seed, "12/gpt") (default 1). */
  seed: StreamSeed;
  /** Validation loss every `evalEvery` iterations (default 100) on `evalWindows` fixed windows (default 128). */
  evalEvery: number;
  evalWindows: number;
  /** Checkpoint (weights, moments, history, spectra) every `checkpointEvery` iterations (default 500) and at the end. */
  checkpointEvery: number;
  /** Windows per worker task (default 8); fixes the reduction order. */
  chunk: number;
  validationFraction: number;
}

/**
 * A full configuration from a partial one. The defaults are Karpathy's lecture configuration of
 * nanoGPT that the talk's model matches (4 layers × 4 heads, d = 64, block 32, batch 16, lr 1e-3,
 * 5 000 iterations). Errors: RangeError naming the parameter for any invalid value (gptLayout's for
 * the spec, e.g. heads not dividing dModel).
 */
export function gptTrainConfig(o: Partial<GptTrainConfig> & { spec: GptSpec }): GptTrainConfig {
  gptLayout(o.spec);
  const lr = o.lr ?? 1e-3;
  const c: GptTrainConfig = {
    spec: o.spec, batch: o.batch ?? 16, T: o.T ?? o.spec.block, iterations: o.iterations ?? 5000, lr, minLr: o.minLr ?? lr / 10, warmup: o.warmup ?? Math.min(100, Math.floor((o.iterations ?? 5000) / 10)),
    beta1: o.beta1 ?? 0.9, beta2: o.beta2 ?? 0.999, eps: o.eps ?? 1e-8, weightDecay: o.weightDecay ?? 0.01, seed: o.seed ?? 1,
    evalEvery: o.evalEvery ?? 100, evalWindows: o.evalWindows ?? 128, checkpointEvery: o.checkpointEvery ?? 500, chunk: o.chunk ?? 8, validationFraction: o.validationFraction ?? 0.1,
  };
  requireInteger("batch", c.batch, 1);
  requireInteger("T (window length)", c.T, 1, c.spec.block);
  requireInteger("iterations", c.iterations, 1);
  requirePositive("lr", c.lr);
  requireInRange("minLr", c.minLr, 0, c.lr, `in [0, lr = ${c.lr}]`);
  requireInteger("warmup", c.warmup, 0, c.iterations);
  requireInRange("beta1", c.beta1, 0, 1 - 1e-12, "in [0, 1)");
  requireInRange("beta2", c.beta2, 0, 1 - 1e-12, "in [0, 1)");
  requirePositive("eps", c.eps);
  requireInRange("weightDecay", c.weightDecay, 0, 1, "in [0, 1]");
  if (!(typeof c.seed === "string" ? c.seed.length > 0 : Number.isInteger(c.seed) && c.seed >= 0)) throw new RangeError(`seed must be a non-negative integer or a stream path, got ${JSON.stringify(c.seed)}`);
  requireInteger("evalEvery", c.evalEvery, 1);
  requireInteger("evalWindows", c.evalWindows, 1);
  requireInteger("checkpointEvery", c.checkpointEvery, 1);
  requireInteger("chunk", c.chunk, 1);
  return c;
}

/** The learning rate at iteration i (1-based): linear warm-up to lr, then cosine decay to minLr at the last iteration. */
export function learningRate(c: GptTrainConfig, i: number): number {
  if (i <= c.warmup) return (c.lr * i) / c.warmup;
  const progress = c.iterations === c.warmup ? 1 : (i - c.warmup) / (c.iterations - c.warmup);
  return c.minLr + 0.5 * (c.lr - c.minLr) * (1 + Math.cos(Math.PI * progress));
}

/** One row of the training history. */
export interface GptHistoryRow { iteration: number; trainLoss: number; validationLoss: number | null; lr: number; seconds: number }

/** The spectra of X = WᵀW (the smaller Gram matrix) of every head's K, Q, V and the MLP matrices at one iteration. */
export interface WeightSpectra { iteration: number; matrices: Record<string, number[]> }

/** What a checkpoint holds. */
export interface GptCheckpoint {
  format: "gpt-checkpoint/1";
  config: GptTrainConfig;
  corpus: string;
  iteration: number;
  theta: Float64Array;
  m: Float64Array;
  v: Float64Array;
  history: GptHistoryRow[];
  spectra: WeightSpectra[];
}

/**
 * The eigenvalues of X = WᵀW for each head's K, Q and V (W = the head's d × s columns of Wk, Wq, Wv:
 * "h0.K.head2" etc.; s eigenvalues each) and of the MLP matrices (the d × d Gram matrix of W1
 * [d, 4d] and of W2 [4d, d], whose nonzero spectrum is that of WᵀW), ascending.
 */
export function weightSpectra(spec: GptSpec, theta: Float64Array, iteration: number): WeightSpectra {
  const { blocks } = gptLayout(spec);
  const d = spec.dModel, H = spec.heads, s = spec.headSize ?? d / H, hs = H * s;
  const at = new Map(blocks.map((b) => [b.name, b.offset]));
  const matrices: Record<string, number[]> = {};
  for (let l = 0; l < spec.layers; l++) {
    for (const [kind, name] of [["K", "Wk"], ["Q", "Wq"], ["V", "Wv"]] as const) {
      const o = at.get(`h${l}.attn.${name}`)!;
      for (let h = 0; h < H; h++) {
        const x = new Float64Array(s * s);
        for (let a = 0; a < s; a++) for (let b = a; b < s; b++) {
          let acc = 0;
          for (let r = 0; r < d; r++) acc += theta[o + r * hs + h * s + a] * theta[o + r * hs + h * s + b];
          x[a * s + b] = acc; x[b * s + a] = acc;
        }
        matrices[`h${l}.${kind}.head${h}`] = Array.from(symmetricEigenvalues(x, s)).sort((p, q) => p - q);
      }
    }
    for (const [name, rows, cols] of [["W1", d, 4 * d], ["W2", 4 * d, d]] as const) {
      const o = at.get(`h${l}.mlp.${name}`)!;
      // the d × d Gram matrix: W1·W1ᵀ for W1 [d, 4d], W2ᵀ·W2 for W2 [4d, d]
      const x = new Float64Array(d * d);
      for (let a = 0; a < d; a++) for (let b = a; b < d; b++) {
        let acc = 0;
        if (name === "W1") for (let c = 0; c < cols; c++) acc += theta[o + a * cols + c] * theta[o + b * cols + c];
        else for (let r = 0; r < rows; r++) acc += theta[o + r * cols + a] * theta[o + r * cols + b];
        x[a * d + b] = acc; x[b * d + a] = acc;
      }
      matrices[`h${l}.mlp.${name}`] = Array.from(symmetricEigenvalues(x, d)).sort((p, q) => p - q);
    }
  }
  return { iteration, matrices };
}

const encode = (a: Float64Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");
function decode(file: string, field: string, text: unknown, length: number): Float64Array {
  if (typeof text !== "string") throw new Error(`checkpoint ${file}: field ${field} is missing`);
  const buf = Buffer.from(text, "base64");
  if (buf.length !== 8 * length) throw new Error(`checkpoint ${file}: field ${field} holds ${buf.length / 8} numbers, the configuration needs ${length}`);
  const out = new Float64Array(length);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

/** Write a checkpoint atomically: a temporary file in the same directory, then a rename. */
export function saveCheckpoint(file: string, c: GptCheckpoint): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify({ ...c, theta: encode(c.theta), m: encode(c.m), v: encode(c.v) }));
  fs.renameSync(tmp, file);
}

/**
 * Read a checkpoint. With `expected`, its configuration must equal the expected one field by field
 * (iterations and checkpointEvery may differ: a run may be extended). Errors: an Error naming the
 * file and what is wrong (unreadable, not JSON, another format, wrong array sizes, a configuration
 * mismatch with the differing fields); nothing is written.
 */
export function loadCheckpoint(file: string, expected?: GptTrainConfig): GptCheckpoint {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`checkpoint ${file} is unreadable or corrupt: ${(e as Error).message}`);
  }
  if (raw.format !== "gpt-checkpoint/1") throw new Error(`checkpoint ${file}: format ${JSON.stringify(raw.format)} is not gpt-checkpoint/1`);
  const config = raw.config as GptTrainConfig;
  if (expected) {
    const a = JSON.parse(JSON.stringify({ ...config, iterations: 0, checkpointEvery: 0 })), b = JSON.parse(JSON.stringify({ ...expected, iterations: 0, checkpointEvery: 0 }));
    const diff = Object.keys({ ...a, ...b }).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
    if (diff.length > 0) throw new Error(`checkpoint ${file} was written with another configuration: ${diff.map((k) => `${k} = ${JSON.stringify(a[k])} there, ${JSON.stringify(b[k])} here`).join("; ")}`);
  }
  const dim = gptLayout(config.spec).dim;
  const iteration = raw.iteration as number;
  if (!Number.isInteger(iteration) || iteration < 0) throw new Error(`checkpoint ${file}: iteration ${JSON.stringify(raw.iteration)} is not a non-negative integer`);
  return {
    format: "gpt-checkpoint/1", config, corpus: String(raw.corpus), iteration,
    theta: decode(file, "theta", raw.theta, dim), m: decode(file, "m", raw.m, dim), v: decode(file, "v", raw.v, dim),
    history: raw.history as GptHistoryRow[], spectra: raw.spectra as WeightSpectra[],
  };
}

/** Progress of a training run, reported after every iteration. */
export interface GptProgress { iteration: number; iterations: number; trainLoss: number; validationLoss: number | null; tokensPerSecond: number; etaSeconds: number }

/** The result of `trainGpt`. */
export interface GptTraining { config: GptTrainConfig; corpus: CharCorpus; theta: Float64Array; history: GptHistoryRow[]; spectra: WeightSpectra[]; resumedFrom: number; seconds: number }

/**
 * Train with AdamW on the corpus (default Moby-Dick), data-parallel on `workers` threads (default
 * all cores). With `checkpoint`, a checkpoint is written there every checkpointEvery iterations and
 * at the end; with `resume` as well, an existing checkpoint of the same configuration is continued
 * (bit-identically) instead of starting over. Spectra are recorded at iteration 0, at every
 * checkpoint and at `spectraAt`. Errors: RangeError for an invalid configuration; the errors of
 * `loadCheckpoint`; a NonFiniteError if the loss diverges.
 */
export async function trainGpt(config: GptTrainConfig, o: { workers?: number; checkpoint?: string; resume?: boolean; corpus?: CharCorpus; spectraAt?: number[]; onProgress?: (p: GptProgress) => void } = {}): Promise<GptTraining> {
  const c = gptTrainConfig(config);
  const corpus = o.corpus ?? loadMobyDick({ validationFraction: c.validationFraction });
  if (corpus.alphabet.length !== c.spec.vocab) throw new RangeError(`spec.vocab is ${c.spec.vocab}, the corpus ${corpus.name} has ${corpus.alphabet.length} characters`);
  const dim = gptLayout(c.spec).dim;
  // the pool holds train and validation text back to back; windows never straddle the cut
  const all = new Int32Array(corpus.train.length + corpus.validation.length);
  all.set(corpus.train); all.set(corpus.validation, corpus.train.length);
  const trainStarts = corpus.train.length - c.T - 1, validationStarts = corpus.validation.length - c.T - 1;
  if (trainStarts < 1 || validationStarts < 1) throw new RangeError(`the corpus is too short for windows of ${c.T} tokens`);
  let theta: Float64Array, m: Float64Array, v: Float64Array, start = 0, history: GptHistoryRow[] = [], spectra: WeightSpectra[] = [];
  if (o.resume && o.checkpoint && fs.existsSync(o.checkpoint)) {
    const ck = loadCheckpoint(o.checkpoint, c);
    ({ theta, m, v, history, spectra } = ck);
    start = ck.iteration;
  } else {
    theta = gptInit(c.spec, Stream.named(c.seed, "gpt/init", 0));
    m = new Float64Array(dim); v = new Float64Array(dim);
    spectra.push(weightSpectra(c.spec, theta, 0));
  }
  const vs = Stream.named(c.seed, "gpt/validation", 0);
  const validation = Int32Array.from({ length: c.evalWindows }, () => corpus.train.length + vs.int(validationStarts));
  const decay = new Uint8Array(dim);
  for (const b of gptLayout(c.spec).blocks) if (b.shape.length === 2) decay.fill(1, b.offset, b.offset + b.size);
  const objective = await DataParallelObjective.open(gptGradientShardTask, gptShardConfig(c.spec, all, c.T), { workers: o.workers, chunk: c.chunk });
  const wanted = new Set(o.spectraAt ?? []);
  const t0 = Date.now(), secondsBefore = history.length > 0 ? history[history.length - 1].seconds : 0;
  const save = (iteration: number) => { if (o.checkpoint) saveCheckpoint(o.checkpoint, { format: "gpt-checkpoint/1", config: c, corpus: corpus.name, iteration, theta, m, v, history, spectra }); };
  try {
    for (let i = start + 1; i <= c.iterations; i++) {
      const bs = Stream.named(c.seed, "gpt/batch", i);
      const batch = Int32Array.from({ length: c.batch }, () => bs.int(trainStarts));
      const { loss, gradient } = await objective.evaluate(theta, batch);
      const lr = learningRate(c, i);
      // AdamW with bias correction; decay only on matrices and embeddings (nanoGPT's split)
      const c1 = 1 - Math.pow(c.beta1, i), c2 = 1 - Math.pow(c.beta2, i);
      for (let k = 0; k < dim; k++) {
        if (decay[k]) theta[k] -= lr * c.weightDecay * theta[k];
        m[k] = c.beta1 * m[k] + (1 - c.beta1) * gradient[k];
        v[k] = c.beta2 * v[k] + (1 - c.beta2) * gradient[k] * gradient[k];
        theta[k] -= (lr * (m[k] / c1)) / (Math.sqrt(v[k] / c2) + c.eps);
      }
      let validationLoss: number | null = null;
      if (i % c.evalEvery === 0 || i === c.iterations) validationLoss = await objective.loss(theta, validation);
      const seconds = secondsBefore + (Date.now() - t0) / 1000;
      history.push({ iteration: i, trainLoss: loss, validationLoss, lr, seconds });
      if (wanted.has(i) || i % c.checkpointEvery === 0 || i === c.iterations) {
        if (!spectra.some((sp) => sp.iteration === i)) spectra.push(weightSpectra(c.spec, theta, i));
      }
      if (i % c.checkpointEvery === 0 || i === c.iterations) save(i);
      if (o.onProgress) {
        const done = i - start, elapsed = (Date.now() - t0) / 1000;
        o.onProgress({ iteration: i, iterations: c.iterations, trainLoss: loss, validationLoss, tokensPerSecond: (done * c.batch * c.T) / Math.max(elapsed, 1e-9), etaSeconds: ((c.iterations - i) * elapsed) / done });
      }
    }
  } finally {
    await objective.close();
  }
  return { config: c, corpus, theta, history, spectra, resumedFrom: start, seconds: secondsBefore + (Date.now() - t0) / 1000 };
}

/**
 * Sample `length` characters from the model after `prompt` (token ids), drawing each next token
 * from softmax(logits/temperature) on `stream`; the context is the last spec.block tokens.
 * Uses `GptGradient.logits` (the forward pass only).
 */
export function sampleText(spec: GptSpec, theta: Float64Array, prompt: Int32Array, length: number, stream: Stream, gg: { logits(theta: Float64Array, w: { inputs: Int32Array; targets: Int32Array; sequences: number }): Float64Array }, temperature = 1): Int32Array {
  requireInteger("length", length, 1);
  requirePositive("temperature", temperature);
  const out = Array.from(prompt);
  const V = spec.vocab;
  for (let k = 0; k < length; k++) {
    const ctx = Int32Array.from(out.slice(-spec.block));
    const logits = gg.logits(theta, { inputs: ctx, targets: new Int32Array(ctx.length), sequences: 1 });
    const row = logits.subarray((ctx.length - 1) * V, ctx.length * V);
    let mx = -Infinity;
    for (let c = 0; c < V; c++) mx = Math.max(mx, row[c] / temperature);
    let z = 0;
    const p = new Float64Array(V);
    for (let c = 0; c < V; c++) z += (p[c] = Math.exp(row[c] / temperature - mx));
    let u = stream.uniform() * z, pick = V - 1;
    for (let c = 0; c < V; c++) { u -= p[c]; if (u <= 0) { pick = c; break; } }
    out.push(pick);
  }
  return Int32Array.from(out.slice(prompt.length));
}

/**
 * Where a finished run of this configuration is cached: `root`/gpt-<key>.json, the key a SHA-256
 * of the configuration and of the training code (the files of lib/nn that define the network,
 * its gradient, the corpus and this trainer: their TypeScript in a checkout, their JavaScript in
 * the installed package), so that a change to any of them trains anew.
 */
export function gptCachePath(config: GptTrainConfig, root = path.join("out", "gpt-cache")): string {
  const h = createHash("sha256").update(JSON.stringify(gptTrainConfig(config)));
  for (const f of ["gpt", "gpt-gradient", "gpt-train", "data-parallel", "corpus"]) {
    // the TypeScript source in a checkout, the compiled module in the installed package
    const file = [".ts", ".js"].map((ext) => path.join(__dirname, f + ext)).find((x) => fs.existsSync(x));
    h.update(file ? fs.readFileSync(file) : f + ".ts");
  }
  return path.join(root, `gpt-${h.digest("hex").slice(0, 16)}.json`);
}
