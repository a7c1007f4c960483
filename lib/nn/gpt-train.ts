import * as fs from "fs";
import { Stream, type StreamSeed } from "../random/stream";
import { task } from "../parallel/task";
import { floatArray } from "../kernels/precision";
import { gptInit, gptLayout } from "./gpt";
import { gptGradientShardTask, gptShardConfig } from "./data-parallel";
import { DataParallelAdamW } from "./data-parallel-adamw";
import { loadMobyDick, shuffledCorpus } from "./corpus";
import type { CharCorpus } from "./corpus";
import { decayMask, gptTrainConfig, learningRate, type GptTrainConfig } from "./gpt-train-config";
import { weightSpectra, type WeightSpectra } from "./gpt-spectra";
import { loadCheckpoint, saveCheckpoint, type GptDivergence, type GptHistoryRow } from "./gpt-checkpoint";

/** Progress of a training run, reported after every iteration. */
export interface GptProgress {
  iteration: number;
  iterations: number;
  trainLoss: number;
  validationLoss: number | null;
  tokensPerSecond: number;
  etaSeconds: number;
}

/** The result of `trainGpt`: θ (float64, the exact values of the run's precision), the history, the spectra, and the divergence if the loss stopped being finite. */
export interface GptTraining {
  config: GptTrainConfig;
  corpus: CharCorpus;
  theta: Float64Array;
  history: GptHistoryRow[];
  spectra: WeightSpectra[];
  divergence: GptDivergence | null;
  resumedFrom: number;
  seconds: number;
}

/**
 * Train a char-level GPT with AdamW (Aarts et al.'s "Transformer: empirical analysis" trains the
 * lecture's model this way) on the corpus (default Moby-Dick), data-parallel on `workers` threads
 * (default all cores) through `DataParallelAdamW` (gradient, reduction and AdamW on the workers).
 * With `checkpoint`, a checkpoint is written there every checkpointEvery iterations and at the end;
 * with `resume` as well, an existing checkpoint of the same configuration is continued
 * (bit-identically: every minibatch is drawn from a stream named by its iteration, and the
 * checkpoint holds θ and the moments exactly) instead of starting over. Spectra (float64) are
 * recorded at iteration 0, at every checkpoint and at `spectraAt`. The run is bit-identical for any
 * number of workers.
 *
 * A minibatch loss that is not finite ends the run: θ stays at the last finite iterate, the
 * result's `divergence` names the iteration, and a checkpoint (if any) records it; a resumed
 * diverged run returns at once. Errors: RangeError for an invalid configuration, a corpus whose
 * alphabet does not match spec.vocab, or a corpus too short for the windows; the errors of
 * `loadCheckpoint` (another variant or precision included).
 */
export async function trainGpt(
  config: GptTrainConfig,
  o: {
    workers?: number;
    checkpoint?: string;
    resume?: boolean;
    corpus?: CharCorpus;
    spectraAt?: number[];
    onProgress?: (p: GptProgress) => void;
  } = {},
): Promise<GptTraining> {
  const c = gptTrainConfig(config);
  const corpus = o.corpus ?? loadMobyDick({ validationFraction: c.validationFraction });
  if (corpus.alphabet.length !== c.spec.vocab)
    throw new RangeError(
      `spec.vocab is ${c.spec.vocab}, the corpus ${corpus.name} has ${corpus.alphabet.length} characters`,
    );
  const dim = gptLayout(c.spec).dim;
  // the pool holds train and validation text back to back; windows never straddle the cut
  const all = new Int32Array(corpus.train.length + corpus.validation.length);
  all.set(corpus.train);
  all.set(corpus.validation, corpus.train.length);
  const trainStarts = corpus.train.length - c.windowLength - 1,
    validationStarts = corpus.validation.length - c.windowLength - 1;
  if (trainStarts < 1 || validationStarts < 1)
    throw new RangeError(
      `the corpus ${corpus.name} is too short for windows of T = ${c.windowLength} tokens: ${corpus.train.length} training and ${corpus.validation.length} validation tokens, each part needs at least ${c.windowLength + 2}`,
    );
  let theta = floatArray(c.precision, dim),
    m = floatArray(c.precision, dim),
    v = floatArray(c.precision, dim);
  let start = 0,
    history: GptHistoryRow[] = [],
    spectra: WeightSpectra[] = [],
    divergence: GptDivergence | null = null;
  if (o.resume && o.checkpoint && fs.existsSync(o.checkpoint)) {
    const ck = loadCheckpoint(o.checkpoint, c);
    ({ theta, m, v, history, spectra, divergence } = ck);
    start = ck.iteration;
  } else {
    theta.set(gptInit(c.spec, Stream.named(c.seed, "gpt/init", 0))); // rounded to float32 in that precision
    spectra.push(weightSpectra(c.spec, theta, 0));
  }
  const secondsBefore = history.length > 0 ? history[history.length - 1].seconds : 0;
  if (divergence)
    return {
      config: c,
      corpus,
      theta: Float64Array.from(theta),
      history,
      spectra,
      divergence,
      resumedFrom: start,
      seconds: secondsBefore,
    };
  const vs = Stream.named(c.seed, "gpt/validation", 0);
  const validation = Int32Array.from({ length: c.evalWindows }, () => corpus.train.length + vs.int(validationStarts));
  const engine = await DataParallelAdamW.open(
    gptGradientShardTask,
    gptShardConfig(c.spec, all, c.windowLength, { precision: c.precision }),
    {
      workers: o.workers,
      chunk: c.chunk,
      maxBatch: Math.max(c.batch, c.evalWindows),
      precision: c.precision,
      decay: decayMask(c),
    },
  );
  engine.theta.set(theta);
  engine.m.set(m);
  engine.v.set(v);
  const wanted = new Set(o.spectraAt ?? []);
  const t0 = Date.now();
  const save = (iteration: number) => {
    if (o.checkpoint)
      saveCheckpoint(o.checkpoint, {
        format: "gpt-checkpoint/2",
        config: c,
        corpus: corpus.name,
        iteration,
        theta: engine.theta,
        m: engine.m,
        v: engine.v,
        history,
        spectra,
        divergence,
      });
  };
  try {
    for (let i = start + 1; i <= c.iterations; i++) {
      const bs = Stream.named(c.seed, "gpt/batch", i);
      const batch = Int32Array.from({ length: c.batch }, () => bs.int(trainStarts));
      const lr = learningRate(c, i);
      const loss = await engine.step(batch, i, {
        lr,
        beta1: c.beta1,
        beta2: c.beta2,
        eps: c.eps,
        weightDecay: c.weightDecay,
      });
      if (!Number.isFinite(loss)) {
        divergence = {
          iteration: i,
          loss,
          reason: `the minibatch loss of iteration ${i} is ${loss}; θ is the iterate before it`,
        };
        save(i - 1);
        break;
      }
      let validationLoss: number | null = null;
      if (i % c.evalEvery === 0 || i === c.iterations) validationLoss = await engine.loss(validation);
      const seconds = secondsBefore + (Date.now() - t0) / 1000;
      history.push({ iteration: i, trainLoss: loss, validationLoss, lr, seconds });
      if (wanted.has(i) || i % c.checkpointEvery === 0 || i === c.iterations) {
        if (!spectra.some((sp) => sp.iteration === i)) spectra.push(weightSpectra(c.spec, engine.theta, i));
      }
      if (i % c.checkpointEvery === 0 || i === c.iterations) save(i);
      if (o.onProgress) {
        const done = i - start,
          elapsed = (Date.now() - t0) / 1000;
        o.onProgress({
          iteration: i,
          iterations: c.iterations,
          trainLoss: loss,
          validationLoss,
          tokensPerSecond: (done * c.batch * c.windowLength) / Math.max(elapsed, 1e-9),
          etaSeconds: ((c.iterations - i) * elapsed) / done,
        });
      }
    }
    return {
      config: c,
      corpus,
      theta: Float64Array.from(engine.theta),
      history,
      spectra,
      divergence,
      resumedFrom: start,
      seconds: secondsBefore + (Date.now() - t0) / 1000,
    };
  } finally {
    await engine.close();
  }
}

/**
 * A corpus described by name, so that a worker thread can build it (a corpus is megabytes of
 * tokens; a description is a few bytes): *Moby-Dick* (`loadMobyDick`), optionally with its
 * characters in one random order drawn from `new Stream(shuffle.seed, shuffle.index)` (`shuffledCorpus`,
 * the falsified input), where `shuffle.seed` is a stream path: `{ seed: Stream.path(P.seed, "12/shuffle") }`
 * shuffles with `Stream.named(P.seed, "12/shuffle", 0)`.
 */
export interface GptCorpusSource {
  text: "moby-dick";
  shuffle?: { seed: StreamSeed; index?: number };
  /** The validation share (default `loadMobyDick`'s). */
  validationFraction?: number;
}

/** One training run for a worker thread: `trainGpt`'s configuration and options, the corpus by name. */
export interface GptTrainInput {
  config: GptTrainConfig;
  corpus: GptCorpusSource;
  checkpoint?: string;
  resume?: boolean;
  spectraAt?: number[];
}

/** The corpus a `GptCorpusSource` names. Errors: a RangeError for another text. */
export function gptCorpus(source: GptCorpusSource): CharCorpus {
  if (source.text !== "moby-dick")
    throw new RangeError(`gptCorpus: unknown text "${String(source.text)}" (known: "moby-dick")`);
  const o = { validationFraction: source.validationFraction };
  const moby = loadMobyDick(o);
  const s = source.shuffle;
  return s ? shuffledCorpus(moby, new Stream(s.seed, s.index ?? 0), o) : moby;
}

/**
 * `trainGpt` on one thread (its data-parallel engine with one worker, in the calling thread), on
 * the corpus the input names; the result without the corpus. As a task (`gptTrainTask`), several
 * independent runs train side by side, one per worker thread: each run's bits are those of
 * `trainGpt` with any number of workers, so where a run trains does not change it. Errors: those of
 * `trainGpt` and `gptCorpus`.
 */
export async function gptTrainRun(input: GptTrainInput): Promise<Omit<GptTraining, "corpus">> {
  const run = await trainGpt(input.config, {
    workers: 1,
    corpus: gptCorpus(input.corpus),
    checkpoint: input.checkpoint,
    resume: input.resume,
    spectraAt: input.spectraAt,
  });
  const { corpus: _corpus, ...rest } = run;
  return rest;
}

/** `gptTrainRun` as a worker task: `parallelMap(gptTrainTask, inputs)` trains independent runs side by side. */
export const gptTrainTask = task("nn/gpt-train", gptTrainRun);
