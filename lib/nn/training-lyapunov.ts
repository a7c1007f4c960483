import { lyapunovSpectrum, type LyapunovSpectrum } from "../lyapunov/spectrum";
import { task } from "../parallel/pool";
import { Stream, type StreamSeed } from "../random/stream";
import { requireInteger } from "../util/validate";
import { gptInit } from "./gpt";
import { mlpInit, type Objective } from "./mlp";
import type { TangentShardSource } from "./tangent-shards";
import type { Divergence } from "./train";
import {
  DivergedError,
  openTrainingTangent,
  trainingTangent,
  trainingTangentHere,
  type TrainingTangent,
  type TrainingTangentOptions,
} from "./training-tangent";

/** Options of `trainingLyapunov`: the training map's, the spectrum's, and where it runs. */
export interface TrainingLyapunovOptions extends TrainingTangentOptions {
  /** Exponents to compute (with `growK`, the first try). */
  k: number;
  /** Double k until the Kaplan–Yorke sum turns negative (see lyapunovSpectrum; default false). */
  growK?: boolean | { max?: number };
  /** Averaged steps per run, after `transient` discarded steps (default 0). */
  steps: number;
  transient?: number;
  /** Independent runs (default 1), and blocks of a single run for its error bars (default 32). */
  runs?: number;
  blocks?: number;
  /** Re-orthonormalise every this many steps (default 1). */
  reorthonormalizeEvery?: number;
  /** The run's stream: minibatches, a random θ₀ (child "init") and run r ≥ 1 (child "run", r) come from it. */
  stream: Stream;
  /** Threads per step for a shard source (default 1); chunk and maxTangents as openTrainingTangent (group: TrainingTangentOptions). */
  workers?: number;
  chunk?: number;
  maxTangents?: number;
}

/** What `trainingLyapunov` returns: plain data; a diverged run has no exponents (never NaN). */
export interface TrainingLyapunov {
  eta: number;
  /** |B| (N for GD). */
  batch: number;
  dim: number;
  jacobian: "step" | "hessian";
  /** λ₁ ≥ … ≥ λ_k (empty when the run diverged), their standard errors and degrees of freedom. */
  exponents: number[];
  standardErrors: number[];
  dof: number;
  /** The number of exponents finally computed (after growK). */
  k: number;
  /** D_KY of the exponents, and whether it is only a lower bound (every partial sum ≥ 0 at this k); null when diverged. */
  kaplanYorke: number | null;
  kaplanYorkeLowerBound: boolean;
  /** The divergence, with the step where the loss stopped being finite (or ‖θ‖ left maxNorm), or null. */
  divergence: (Divergence & { run: number }) | null;
  /** The minibatch loss of the last step and the weights after it (of the last run). */
  loss: number | null;
  theta: Float64Array;
  /** The minibatch loss L_{B_t}(θ_t) of every step of the last run, transient included (up to a divergence). */
  losses: number[];
  /** Steps averaged per run and runs. */
  steps: number;
  runs: number;
}

/**
 * The Lyapunov spectrum of a network's training map in one call: builds the tangent system
 * (`trainingTangent` for an Objective on this thread; `openTrainingTangent` for an MLP's or a GPT's
 * shard configuration, on `workers` threads), runs `lyapunovSpectrum` on it, closes it, and turns a
 * divergence into a record with its step instead of an error or a NaN.
 *
 *   const r = await trainingLyapunov(mlpObjective(spec, data, { loss: "cross-entropy" }),
 *     { eta: 0.1, theta0, k: 8, growK: true, steps: 400, transient: 200, stream: Stream.named(P.seed, "17/gd", 0) });
 *   r.exponents, r.kaplanYorke, r.kaplanYorkeLowerBound, r.divergence
 *
 * Errors: as trainingTangent and lyapunovSpectrum (k larger than d, η ≤ 0, an objective without
 * HVPs, …); a divergence is not an error.
 */
export async function trainingLyapunov(
  source: Objective | TangentShardSource,
  o: TrainingLyapunovOptions,
): Promise<TrainingLyapunov> {
  const sys = isObjective(source) ? trainingTangent(source, o) : await openTrainingTangent(source, o);
  try {
    return measure(sys, o);
  } finally {
    await sys.close();
  }
}

function isObjective(s: Objective | TangentShardSource): s is Objective {
  return typeof (s as Objective).evaluate === "function";
}

function measure(sys: TrainingTangent, o: TrainingLyapunovOptions): TrainingLyapunov {
  let run = 0,
    losses: number[] = [];
  const counted: TrainingTangent = Object.create(sys, {
    start: {
      value: (s: Stream, b: Float64Array, k: number) => {
        run = s === o.stream ? 0 : run + 1;
        losses = [];
        sys.start(s, b, k);
      },
    },
    advance: {
      value: (b: Float64Array, k: number, s: Stream) => {
        try {
          sys.advance(b, k, s);
        } finally {
          if (Number.isFinite(sys.loss)) losses.push(sys.loss);
        }
      },
    },
  });
  const base = {
    eta: o.eta,
    batch: sys.batch,
    dim: sys.dim,
    jacobian: o.jacobian ?? "step",
    steps: o.steps,
    runs: o.runs ?? 1,
  } as const;
  let sp: LyapunovSpectrum;
  try {
    sp = lyapunovSpectrum(counted, {
      k: o.k,
      growK: o.growK,
      steps: o.steps,
      transient: o.transient ?? 0,
      runs: o.runs,
      blocks: o.blocks,
      reorthonormalizeEvery: o.reorthonormalizeEvery,
      stream: o.stream,
    });
  } catch (e) {
    if (!(e instanceof DivergedError)) throw e;
    return {
      ...base,
      exponents: [],
      standardErrors: [],
      dof: 0,
      k: o.k,
      kaplanYorke: null,
      kaplanYorkeLowerBound: false,
      divergence: { run, step: e.step, loss: sys.loss, reason: e.message },
      loss: null,
      theta: Float64Array.from(sys.theta),
      losses,
    };
  }
  return {
    ...base,
    exponents: Array.from(sp.exponents),
    standardErrors: Array.from(sp.standardErrors),
    dof: sp.dof,
    k: sp.exponents.length,
    kaplanYorke: sp.kaplanYorke,
    kaplanYorkeLowerBound: sp.kaplanYorkeLowerBound,
    divergence: null,
    loss: sys.loss,
    theta: Float64Array.from(sys.theta),
    losses,
  };
}

/** One spectrum as a worker task: plain data in and out (for ensembles over η, batch, width and seed). */
export interface TrainingLyapunovInput extends Omit<
  TrainingLyapunovOptions,
  "stream" | "theta0" | "onStep" | "workers"
> {
  /** An MLP's or a GPT's shard configuration (plain data). */
  source: TangentShardSource;
  /** θ₀, or the network's own initialisation from the run's stream (child "init"): mlpInit with `gain` (MLP), gptInit with `std` (GPT). */
  theta0: ArrayLike<number> | { gain?: number; std?: number };
  /** The run's stream is `new Stream(seed, index)`: give `seed: Stream.path(P.seed, "17/…")`. */
  seed: StreamSeed;
  index: number;
}

/**
 * `trainingLyapunov` on this thread for one input (a worker task: `trainingLyapunovTask`), so that
 * many runs spread over cores by `parallelMap`; results do not depend on the number of workers.
 * Errors: as trainingLyapunov.
 */
export function trainingLyapunovRun(input: TrainingLyapunovInput): TrainingLyapunov {
  requireInteger("index", input.index, 0);
  const src = input.source,
    init = input.theta0;
  const theta0 =
    "length" in init
      ? init
      : (s: Stream) =>
          "corpus" in src ? gptInit(src.spec, s, { std: init.std }) : mlpInit(src.spec, s, { gain: init.gain });
  const o: TrainingLyapunovOptions = { ...input, theta0, stream: new Stream(input.seed, input.index) };
  return measure(trainingTangentHere(src, o), o);
}

/** Worker-task handle of `trainingLyapunovRun`. */
export const trainingLyapunovTask = task("nn/training-lyapunov", trainingLyapunovRun);
