import type { StreamSeed } from "../random/stream";
import { requireInteger, requirePositive, requireInRange } from "../util/validate";
import { requirePrecision, type Precision } from "../kernels/precision";
import { gptLayout, gptVariant } from "./gpt";
import type { GptSpec, GptVariant } from "./gpt";

/**
 * The configuration of a GPT training run (`trainGpt`): the model, the minibatches, AdamW and its
 * schedule, the precision, and the run's bookkeeping.
 *
 * Reproducibility: the minibatch of iteration i is drawn from Stream.named(seed, "gpt/batch", i),
 * the validation windows from Stream.named(seed, "gpt/validation", 0), the initial weights from
 * Stream.named(seed, "gpt/init", 0).
 */
export interface GptTrainConfig {
  /** The model; its variant (filled in: "lecture" unless given) also sets the defaults below. */
  spec: GptSpec & { variant: GptVariant };
  /** Windows per minibatch (default 16). */
  batch: number;
  /** Window length in tokens (default = spec.block). */
  windowLength: number;
  iterations: number;
  /**
   * The learning-rate schedule. "constant" (the lecture's default: PyTorch's AdamW at a fixed lr):
   * lr at every iteration. "warmup-cosine" (nanoGPT's): a linear warm-up of `warmup` iterations
   * to lr, then cosine decay to `minLr` at the last iteration.
   */
  schedule: GptSchedule;
  /** Learning rate (default 1e-3), and the warm-up and floor of "warmup-cosine" (defaults min(100, iterations/10) and lr/10; 0 and lr for "constant"). */
  lr: number;
  minLr: number;
  warmup: number;
  /** AdamW (Loshchilov & Hutter 2019): β₁, β₂, ε and decoupled weight decay (defaults 0.9, 0.999, 1e-8, 0.01: PyTorch's). */
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** Which parameters decay: "all" (PyTorch's AdamW over model.parameters(), the lecture's default) or "matrices" (weight matrices and embeddings only: nanoGPT's split, its default). */
  decay: GptDecay;
  /** Training arithmetic (default "float32", as the talk's PyTorch run): θ, the moments and the gradients in that precision; analysis (spectra) is always float64. */
  precision: Precision;
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

/** The learning-rate schedules. */
export type GptSchedule = "constant" | "warmup-cosine";
/** Which parameters AdamW decays. */
export type GptDecay = "all" | "matrices";

/**
 * A full configuration from a partial one. Defaults: the talk's run, Karpathy's lecture script at
 * its small configuration (batch 16, block 32, 5 000 iterations, lr 1e-3 constant, AdamW with
 * PyTorch's defaults decaying every parameter, float32). With spec.variant "nanogpt" the
 * optimiser defaults are nanoGPT's instead (warm-up and cosine decay, decay on matrices and
 * embeddings only). Errors: RangeError naming the parameter for any invalid value (gptLayout's for
 * the spec, e.g. heads not dividing dModel).
 */
export function gptTrainConfig(o: Partial<Omit<GptTrainConfig, "spec">> & { spec: GptSpec }): GptTrainConfig {
  gptLayout(o.spec);
  const variant = gptVariant(o.spec),
    nano = variant === "nanogpt";
  const lr = o.lr ?? 1e-3,
    iterations = o.iterations ?? 5000;
  const schedule = o.schedule ?? (nano ? "warmup-cosine" : "constant");
  if (schedule !== "constant" && schedule !== "warmup-cosine")
    throw new RangeError(`schedule must be "constant" or "warmup-cosine", got ${JSON.stringify(schedule)}`);
  const cosine = schedule === "warmup-cosine";
  const c: GptTrainConfig = {
    spec: { ...o.spec, variant },
    batch: o.batch ?? 16,
    windowLength: o.windowLength ?? o.spec.block,
    iterations,
    schedule,
    lr,
    minLr: o.minLr ?? (cosine ? lr / 10 : lr),
    warmup: o.warmup ?? (cosine ? Math.min(100, Math.floor(iterations / 10)) : 0),
    beta1: o.beta1 ?? 0.9,
    beta2: o.beta2 ?? 0.999,
    eps: o.eps ?? 1e-8,
    weightDecay: o.weightDecay ?? 0.01,
    decay: o.decay ?? (nano ? "matrices" : "all"),
    precision: requirePrecision("precision", o.precision ?? "float32"),
    seed: o.seed ?? 1,
    evalEvery: o.evalEvery ?? 100,
    evalWindows: o.evalWindows ?? 128,
    checkpointEvery: o.checkpointEvery ?? 500,
    chunk: o.chunk ?? 8,
    validationFraction: o.validationFraction ?? 0.1,
  };
  requireInteger("batch", c.batch, 1);
  requireInteger("windowLength", c.windowLength, 1, c.spec.block);
  requireInteger("iterations", c.iterations, 1);
  requirePositive("lr", c.lr);
  requireInRange("minLr", c.minLr, 0, c.lr, `in [0, lr = ${c.lr}]`);
  requireInteger("warmup", c.warmup, 0, c.iterations);
  if (!cosine && (c.warmup !== 0 || c.minLr !== c.lr))
    throw new RangeError(
      `schedule "constant" takes no warmup (${c.warmup}) and no minLr below lr (${c.minLr}); use schedule "warmup-cosine"`,
    );
  requireInRange("beta1", c.beta1, 0, 1 - 1e-12, "in [0, 1)");
  requireInRange("beta2", c.beta2, 0, 1 - 1e-12, "in [0, 1)");
  requirePositive("eps", c.eps);
  requireInRange("weightDecay", c.weightDecay, 0, 1, "in [0, 1]");
  if (c.decay !== "all" && c.decay !== "matrices")
    throw new RangeError(`decay must be "all" or "matrices", got ${JSON.stringify(c.decay)}`);
  if (!(typeof c.seed === "string" ? c.seed.length > 0 : Number.isInteger(c.seed) && c.seed >= 0))
    throw new RangeError(`seed must be a non-negative integer or a stream path, got ${JSON.stringify(c.seed)}`);
  requireInteger("evalEvery", c.evalEvery, 1);
  requireInteger("evalWindows", c.evalWindows, 1);
  requireInteger("checkpointEvery", c.checkpointEvery, 1);
  requireInteger("chunk", c.chunk, 1);
  requireInRange("validationFraction", c.validationFraction, Number.MIN_VALUE, 1 - 1e-12, "in (0, 1)");
  return c;
}

/** The learning rate at iteration i (1-based): lr for "constant"; for "warmup-cosine", a linear warm-up to lr, then cosine decay to minLr at the last iteration. */
export function learningRate(c: GptTrainConfig, i: number): number {
  if (c.schedule === "constant") return c.lr;
  if (i <= c.warmup) return (c.lr * i) / c.warmup;
  const progress = c.iterations === c.warmup ? 1 : (i - c.warmup) / (c.iterations - c.warmup);
  return c.minLr + 0.5 * (c.lr - c.minLr) * (1 + Math.cos(Math.PI * progress));
}

/** The AdamW decay mask of the configuration: 1 for each parameter that decays ("all", or only the weight matrices and embeddings for "matrices"). */
export function decayMask(c: GptTrainConfig): Uint8Array {
  const { blocks, dim } = gptLayout(c.spec);
  const mask = new Uint8Array(dim);
  if (c.decay === "all") return mask.fill(1);
  for (const b of blocks) if (b.shape.length === 2) mask.fill(1, b.offset, b.offset + b.size);
  return mask;
}
