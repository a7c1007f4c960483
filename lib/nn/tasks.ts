import { task } from "../parallel/pool";
import { Stream } from "../random/stream";
import { loadMnist } from "./mnist";
import { mlpInit, mlpObjective, mlpPredict, type Activation, type MlpSpec } from "./mlp";
import { gradientDescent } from "./optimizers";
import { trainFullBatch, type Divergence, type SharpnessSample } from "./train";
import { lanczosTop } from "./curvature";
import { requireInteger, requirePositive, requireStep } from "../util/validate";

/** One full-batch GD run on MNIST digits, as a worker task (notebook 10). */
export interface DigitsGdInput {
  /** Stream family (`Stream.path(seed, name)`) and run index: the run's init and Lanczos starts come from `new Stream(seed, index)`'s children. */
  seed: string;
  index: number;
  loss: "mse" | "cross-entropy";
  /**
   * The step size: either η itself, or `edgeRatio` r > 0, which sets 2/η = r·S₀ from the measured
   * sharpness S₀ of the run's initial weights (so r > 1 starts GD below its edge, S₀ < 2/η, by
   * construction at every seed). Exactly one of the two.
   */
  eta?: number;
  edgeRatio?: number;
  steps: number;
  /** Sharpness (and held-out error) every this many steps. */
  sharpnessEvery: number;
  lanczosSteps: number;
  /** Hidden widths, e.g. [32, 32]; the activation of every hidden layer. */
  hidden: number[];
  activation: Activation;
  /** Training digits per class (×10), and held-out digits per class taken after them. */
  perDigit: number;
  heldOutPerDigit: number;
  /** Average pooling of the 28 × 28 images (2: 14 × 14 inputs). */
  pool: number;
}

/** What `digitsGdRun` returns (plain arrays: it crosses a worker boundary). */
export interface DigitsGdOutput {
  dim: number;
  /** The step size used (the input's η, or 2/(edgeRatio·S₀)). */
  eta: number;
  /** S₀: the sharpness of the initial weights by 3 × lanczosSteps Lanczos steps, and its residual bound; the run's first sample is warm-started from its Ritz vector. */
  initialSharpness: number;
  initialResidual: number;
  losses: number[];
  sharpness: SharpnessSample[];
  divergence: Divergence | null;
  /** Held-out classification error at the sharpness steps. */
  heldOutError: { step: number; value: number }[];
  /** Training classification error at the end. */
  trainError: number;
}

/**
 * Trains an MLP (tanh or another activation; LeCun-normal init) by full-batch GD at step η on a
 * balanced MNIST subset, pooled and centred by the training set's mean pixel (applied to the
 * held-out digits too), recording the loss at every step and, every `sharpnessEvery` steps, the
 * sharpness by warm-started Lanczos and the held-out error. The sharpness S₀ of the initial weights
 * is measured first (3 × lanczosSteps Lanczos steps, from the run's "lanczos" stream); with
 * `edgeRatio` r the step is η = 2/(r·S₀), so that the run starts at a known distance below (r > 1) or
 * above (r < 1) its edge whatever the seed draws. Errors: RangeErrors for bad sizes, a bad η or
 * ratio, or both or neither of them given.
 */
export function digitsGdRun(input: DigitsGdInput): DigitsGdOutput {
  if ((input.eta === undefined) === (input.edgeRatio === undefined))
    throw new RangeError(
      `digitsGdRun needs exactly one of eta and edgeRatio, got eta = ${input.eta}, edgeRatio = ${input.edgeRatio}`,
    );
  if (input.eta !== undefined) requireStep(input.eta);
  if (input.edgeRatio !== undefined)
    requirePositive("edgeRatio (2/η in units of the initial sharpness)", input.edgeRatio);
  requireInteger("steps", input.steps, 1);
  requireInteger("sharpnessEvery", input.sharpnessEvery, 1);
  const train = loadMnist({ perDigit: input.perDigit, pool: input.pool, oneHot: true });
  const held = loadMnist({ perDigit: input.heldOutPerDigit, offset: input.perDigit, pool: input.pool });
  const P = train.pixels,
    mean = new Float64Array(P);
  for (let i = 0; i < train.n; i++) for (let p = 0; p < P; p++) mean[p] += train.images[i * P + p] / train.n;
  for (const set of [train, held])
    for (let i = 0; i < set.n; i++) for (let p = 0; p < P; p++) set.images[i * P + p] -= mean[p];
  const spec: MlpSpec = {
    widths: [P, ...input.hidden, 10],
    activations: [...input.hidden.map(() => input.activation), "identity"],
  };
  const objective = mlpObjective(
    spec,
    { inputs: train.images, targets: train.oneHot!, labels: train.labels },
    { loss: input.loss },
  );
  const stream = new Stream(input.seed, input.index);
  const theta0 = mlpInit(spec, stream.child("init"));
  const errorOn = (theta: Float64Array, set: { images: Float64Array; labels: Int32Array; n: number }) => {
    const out = mlpPredict(spec, theta, set.images);
    let wrong = 0;
    for (let i = 0; i < set.n; i++) {
      let best = 0;
      for (let c = 1; c < 10; c++) if (out[i * 10 + c] > out[i * 10 + best]) best = c;
      if (best !== set.labels[i]) wrong++;
    }
    return wrong / set.n;
  };
  const lanczosStream = stream.child("lanczos");
  const s0 = lanczosTop((v, out) => out.set(objective.evaluate(theta0, v).hvp!), objective.dim, {
    steps: Math.min(objective.dim, 3 * input.lanczosSteps),
    stream: lanczosStream,
  });
  const S0 = s0.eigenvalues[0];
  if (!(S0 > 0))
    throw new RangeError(`digitsGdRun: the initial sharpness is ${S0}, not positive, so no step size has an edge`);
  const eta = input.eta ?? 2 / (input.edgeRatio! * S0);
  const run = trainFullBatch(objective, theta0, gradientDescent({ eta }), {
    steps: input.steps,
    sharpnessEvery: input.sharpnessEvery,
    lanczosSteps: input.lanczosSteps,
    stream: lanczosStream,
    start: s0.vectors[0],
    monitor: (theta) => errorOn(theta, held),
  });
  return {
    dim: objective.dim,
    eta,
    initialSharpness: S0,
    initialResidual: s0.residuals[0],
    losses: Array.from(run.losses),
    sharpness: run.sharpness,
    divergence: run.divergence,
    heldOutError: run.monitored,
    trainError: errorOn(run.theta, train),
  };
}

/** Worker-task handle of `digitsGdRun`. */
export const digitsGdTask = task("nn/tasks", digitsGdRun);
