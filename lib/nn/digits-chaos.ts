import { principalComponents } from "../linalg/principal-components";
import { task } from "../parallel/pool";
import { Stream, type StreamSeed } from "../random/stream";
import { requireInRange, requireInteger, requirePositive } from "../util/validate";
import { hutchinsonTrace, lanczosTop } from "./curvature";
import { loadMnist } from "./mnist";
import { mlpInit, mlpObjective, mlpParameterCount, mlpPredict, type Activation, type MlpSpec } from "./mlp";
import { lyapunovSpectrum, type LyapunovSpectrum } from "../lyapunov/spectrum";
import { DivergedError, trainingTangent, type TrainingTangentOptions } from "./training-tangent";
import type { Estimate } from "../stats/estimate";

/**
 * One chaos measurement of GD or SGD training an MLP on MNIST digits (notebook 17): the top
 * Lyapunov exponents of the training map, and along the same run the curvature, the losses, the
 * generalisation gap and the weight trajectory. Plain data in and out, so that it runs on worker
 * threads (`digitsChaosTask`) and can be stored (`storedEnsemble`).
 */
export interface DigitsChaosInput {
  /** The run's stream is `new Stream(seed, index)`: give `seed: Stream.path(P.seed, "17/…")`. */
  seed: StreamSeed;
  index: number;
  /** Training digits per class (N = 10·perDigit, the first of each class), held-out digits per class (taken after them), average pooling (2: 14 × 14 inputs). */
  perDigit: number;
  heldOutPerDigit: number;
  pool: number;
  /** Permute the training labels (the stream's child "labels"; default false): a network that can only memorise. */
  shuffleLabels?: boolean;
  /** Hidden widths and their activation; the output layer (10 classes) is linear. */
  hidden: number[];
  activation: Activation;
  /** "mse" on one-hot targets or "cross-entropy". */
  loss: "mse" | "cross-entropy";
  /** The step in units of the edge at the start: η = etaRatio · 2/S₀, with S₀ the full-batch sharpness at θ₀ (so S₀ < 2/η exactly when etaRatio < 1). */
  etaRatio: number;
  /** Minibatch size (default N: full-batch GD). */
  batch?: number;
  /** Exponents; with kMax > k, k doubles up to kMax until the Kaplan–Yorke sum turns negative (lyapunovSpectrum's growK). */
  k: number;
  kMax?: number;
  /** Averaged steps after `transient` discarded ones; blocks of the window for the exponents' errors (default 16). */
  steps: number;
  transient: number;
  blocks?: number;
  /** Re-orthonormalise every this many steps (default 1). */
  reorthonormalizeEvery?: number;
  /** Points of the window (evenly spread) at which the sharpness, trace, losses and errors are measured (≥ 2). */
  samples: number;
  /** Lanczos steps per sharpness (default 20; 40 at θ₀) and Rademacher probes per trace (default 10). */
  lanczosSteps?: number;
  probes?: number;
  /** Keep θ every this many window steps (default 0: none) and return its scores on the top `components` (default 3) principal directions. */
  snapshotEvery?: number;
  components?: number;
  /** Also the GATES review's algorithm (QR on H·Q, jacobian "hessian") with k exponents on the same trajectory, and its code's (frozen at θ₀) over `frozenSteps` steps. */
  review?: { k: number; frozenSteps: number };
}

/**
 * The mean over a run's samples as an `Estimate` (null when not measured): `value` the mean, `se` the
 * sd over the samples / √samples (consecutive samples of one run: a lower bound when they are
 * correlated), and the samples.
 */
export interface SampleMean extends Estimate {
  values: number[];
}

/** What `digitsChaosRun` returns: plain data (finite numbers, arrays, null), never NaN. */
export interface DigitsChaosResult {
  dim: number;
  examples: number;
  batch: number;
  /** Sharpness at θ₀ (Lanczos) and the step it sets. */
  sharpness0: number;
  eta: number;
  /** Where the run diverged (step, with the transient), or null. */
  divergence: { step: number; reason: string } | null;
  /** λ₁ ≥ … ≥ λ_k with their block standard errors (blocks − 1 dof); empty when diverged. */
  exponents: number[];
  standardErrors: number[];
  dof: number;
  /** D_KY of the exponents, and whether every partial sum stayed ≥ 0 (then D_KY ≥ k only). */
  kaplanYorke: number | null;
  kaplanYorkeLowerBound: boolean;
  /** Along the window: S (top Hessian eigenvalue), S·η/2, tr H (Hutchinson), training and held-out loss and error, the gap (held-out − training loss). */
  sharpness: SampleMean | null;
  edgeRatio: SampleMean | null;
  trace: SampleMean | null;
  trainLoss: SampleMean | null;
  testLoss: SampleMean | null;
  gap: SampleMean | null;
  trainError: SampleMean | null;
  testError: SampleMean | null;
  /** The minibatch loss of every step (transient included). */
  losses: number[];
  /** The window's weights on their top principal directions (count × components) and the variances. */
  trajectory: { count: number; components: number; scores: number[]; variances: number[]; total: number } | null;
  /** The review's algorithm on the same trajectory (exponents, errors) and at θ₀ frozen (its code). */
  review: { exponents: number[]; standardErrors: number[]; frozen: number[] } | null;
}

/** Training and held-out sets, centred by the training set's mean pixel (as notebook 10's digitsGdRun). */
function digitSets(input: DigitsChaosInput, stream: Stream) {
  const train = loadMnist({ perDigit: input.perDigit, pool: input.pool, oneHot: true });
  const held = loadMnist({ perDigit: input.heldOutPerDigit, offset: input.perDigit, pool: input.pool, oneHot: true });
  const P = train.pixels,
    mean = new Float64Array(P);
  for (let i = 0; i < train.n; i++) for (let p = 0; p < P; p++) mean[p] += train.images[i * P + p] / train.n;
  for (const set of [train, held])
    for (let i = 0; i < set.n; i++) for (let p = 0; p < P; p++) set.images[i * P + p] -= mean[p];
  if (input.shuffleLabels) {
    const s = stream.child("labels"),
      l = train.labels;
    for (let i = l.length - 1; i > 0; i--) {
      const j = s.int(i + 1);
      const t = l[i];
      l[i] = l[j];
      l[j] = t;
    }
    train.oneHot!.fill(0);
    for (let i = 0; i < train.n; i++) train.oneHot![i * 10 + l[i]] = 1;
  }
  return { train, held };
}

/** The loss (mean over entries for "mse", over examples for "cross-entropy") and the classification error of an MLP on a set. */
function lossAndError(
  spec: MlpSpec,
  theta: Float64Array,
  set: { images: Float64Array; labels: Int32Array; oneHot: Float64Array | null; n: number },
  loss: "mse" | "cross-entropy",
): { loss: number; error: number } {
  const out = mlpPredict(spec, theta, set.images);
  let L = 0,
    wrong = 0;
  for (let i = 0; i < set.n; i++) {
    let best = 0,
      max = -Infinity;
    for (let c = 0; c < 10; c++)
      if (out[i * 10 + c] > max) {
        max = out[i * 10 + c];
        best = c;
      }
    if (best !== set.labels[i]) wrong++;
    if (loss === "mse")
      for (let c = 0; c < 10; c++) L += (out[i * 10 + c] - set.oneHot![i * 10 + c]) ** 2 / (10 * set.n);
    else {
      let z = 0;
      for (let c = 0; c < 10; c++) z += Math.exp(out[i * 10 + c] - max);
      L += (Math.log(z) + max - out[i * 10 + set.labels[i]]) / set.n;
    }
  }
  return { loss: L, error: wrong / set.n };
}

function sampleMean(values: number[]): SampleMean {
  const n = values.length,
    m = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1)) : 0;
  return { value: m, se: sd / Math.sqrt(n), values };
}

/**
 * The chaos of GD/SGD on an MLP trained on MNIST digits, at a step set by the measured initial
 * sharpness (η = etaRatio·2/S₀, so that the run starts below, at or past the edge of stability by
 * construction at every seed):
 *  - the top Lyapunov exponents of the training map θ ↦ θ − η∇L_B(θ) through its Jacobian
 *    I − η H_B (`trainingTangent`, `lyapunovSpectrum`), with block errors and D_KY (growing k up to kMax);
 *  - at `samples` points of the averaging window: the sharpness (Lanczos, warm-started), the
 *    Hessian trace (Hutchinson), the training and held-out loss and error, and their gap;
 *  - the window's weights θ_t on their top principal directions (`principalComponents`), for an
 *    attractor dimension from points;
 *  - optionally, the review's algorithm on the same trajectory (H·Q instead of (I − ηH)·Q) and its
 *    code's (H·Q with the weights frozen at θ₀).
 * The run's stream `new Stream(seed, index)` gives θ₀ (child "init", `mlpInit`), the Lanczos and
 * Hutchinson vectors (children "lanczos", "trace"), a label permutation (child "labels") and
 * the minibatches (child "run": lyapunovSpectrum's stream); the result does not depend on the thread it runs on.
 *
 * Errors: RangeErrors for bad sizes (as loadMnist, mlpInit, trainingTangent and lyapunovSpectrum), etaRatio ≤ 0,
 * samples < 2 or more than the window's steps, a snapshot count too small for `components`. A
 * divergence is not an error: it is recorded with its step.
 */
export function digitsChaosRun(input: DigitsChaosInput): DigitsChaosResult {
  requirePositive("etaRatio", input.etaRatio);
  requireInteger("steps", input.steps, 2);
  requireInteger("transient", input.transient, 0);
  requireInteger(`samples (2 … steps = ${input.steps})`, input.samples, 2, input.steps);
  const every = input.snapshotEvery ?? 0,
    components = input.components ?? 3;
  requireInteger("snapshotEvery", every, 0);
  if (every > 0)
    requireInteger(
      `components (fewer than the ${Math.floor(input.steps / every)} snapshots)`,
      components,
      1,
      Math.floor(input.steps / every) - 1,
    );
  const lanczosSteps = input.lanczosSteps ?? 20,
    probes = input.probes ?? 10;
  requireInteger("lanczosSteps", lanczosSteps, 2);
  requireInteger("probes", probes, 2);
  const stream = new Stream(input.seed, input.index);
  const { train, held } = digitSets(input, stream);
  const spec: MlpSpec = {
    widths: [train.pixels, ...input.hidden, 10],
    activations: [...input.hidden.map(() => input.activation), "identity"],
  };
  const D = mlpParameterCount(spec),
    N = train.n,
    batch = input.batch ?? N;
  requireInRange(`batch (1 … N = ${N})`, batch, 1, N);
  const objective = mlpObjective(
    spec,
    { inputs: train.images, targets: train.oneHot!, labels: train.labels },
    { loss: input.loss },
  );
  const hvpAt = (theta: Float64Array) => (v: Float64Array, out: Float64Array) =>
    out.set(objective.evaluate(theta, v).hvp!);
  const theta0 = mlpInit(spec, stream.child("init"));
  const lanczos = stream.child("lanczos");
  const top0 = lanczosTop(hvpAt(theta0), D, { steps: Math.min(D, 2 * lanczosSteps), stream: lanczos });
  const sharpness0 = top0.eigenvalues[0],
    eta = (2 * input.etaRatio) / sharpness0;
  requirePositive(
    "the initial sharpness S₀ (a network whose Hessian has no positive eigenvalue at θ₀ has no edge)",
    sharpness0,
  );

  // the window's measurements, collected in onStep (and reset when growK restarts the run)
  const sampleAt = new Set(
    Array.from(
      { length: input.samples },
      (_, j) => input.transient + Math.floor(((j + 0.5) * input.steps) / input.samples),
    ),
  );
  let rows: { S: number; tr: number; trainL: number; testL: number; trainE: number; testE: number }[] = [];
  let snaps: number[] = [];
  let warm: Float64Array | undefined = top0.vectors[0];
  const onStep = (t: number, _loss: number, theta: Float64Array) => {
    if (t === 0) {
      rows = [];
      snaps = [];
      warm = top0.vectors[0];
    }
    const after = t + 1; // θ_{t+1}
    if (every > 0 && after > input.transient && (after - input.transient) % every === 0)
      for (let i = 0; i < D; i++) snaps.push(theta[i]);
    if (!sampleAt.has(after)) return;
    const th = Float64Array.from(theta),
      j = rows.length;
    const top = lanczosTop(hvpAt(th), D, { steps: lanczosSteps, stream: lanczos.child("sample", j), start: warm });
    warm = top.vectors[0];
    const tr = hutchinsonTrace(hvpAt(th), D, { probes, stream: stream.child("trace", j) }).value;
    const a = lossAndError(spec, th, train, input.loss),
      b = lossAndError(spec, th, held, input.loss);
    rows.push({ S: top.eigenvalues[0], tr, trainL: a.loss, testL: b.loss, trainE: a.error, testE: b.error });
  };
  const losses: number[] = [];
  const lyap = {
    steps: input.steps,
    transient: input.transient,
    blocks: input.blocks ?? 16,
    reorthonormalizeEvery: input.reorthonormalizeEvery,
    stream: stream.child("run"),
  };
  const tangent = (o: Partial<TrainingTangentOptions>) => trainingTangent(objective, { eta, batch, theta0, ...o });
  let sp: LyapunovSpectrum;
  const result: DigitsChaosResult = {
    dim: D,
    examples: N,
    batch,
    sharpness0,
    eta,
    divergence: null,
    exponents: [],
    standardErrors: [],
    dof: 0,
    kaplanYorke: null,
    kaplanYorkeLowerBound: false,
    sharpness: null,
    edgeRatio: null,
    trace: null,
    trainLoss: null,
    testLoss: null,
    gap: null,
    trainError: null,
    testError: null,
    losses,
    trajectory: null,
    review: null,
  };
  try {
    const growK = input.kMax !== undefined && input.kMax > input.k ? { max: input.kMax } : false;
    sp = lyapunovSpectrum(
      tangent({
        onStep: (t, l, th) => {
          if (t === 0) losses.length = 0;
          losses.push(l);
          onStep(t, l, th);
        },
      }),
      { ...lyap, k: input.k, growK },
    );
  } catch (e) {
    if (!(e instanceof DivergedError)) throw e;
    result.divergence = { step: e.step, reason: e.message };
    return result;
  }
  result.exponents = Array.from(sp.exponents);
  result.standardErrors = Array.from(sp.standardErrors);
  result.dof = sp.dof;
  result.kaplanYorke = sp.kaplanYorke;
  result.kaplanYorkeLowerBound = sp.kaplanYorkeLowerBound;
  result.sharpness = sampleMean(rows.map((x) => x.S));
  result.edgeRatio = sampleMean(rows.map((x) => (x.S * eta) / 2));
  result.trace = sampleMean(rows.map((x) => x.tr));
  result.trainLoss = sampleMean(rows.map((x) => x.trainL));
  result.testLoss = sampleMean(rows.map((x) => x.testL));
  result.gap = sampleMean(rows.map((x) => x.testL - x.trainL));
  result.trainError = sampleMean(rows.map((x) => x.trainE));
  result.testError = sampleMean(rows.map((x) => x.testE));
  if (every > 0) {
    const pc = principalComponents(snaps, D, components);
    result.trajectory = {
      count: snaps.length / D,
      components,
      scores: Array.from(pc.scores),
      variances: Array.from(pc.variances),
      total: pc.total,
    };
  }
  if (input.review) {
    requireInteger("review.k", input.review.k, 1, D);
    requireInteger("review.frozenSteps", input.review.frozenSteps, 2);
    // the same θ₀ and minibatch streams: the same trajectory, another tangent map
    const h = lyapunovSpectrum(tangent({ jacobian: "hessian" }), { ...lyap, k: input.review.k });
    const f = lyapunovSpectrum(tangent({ jacobian: "hessian", frozen: true }), {
      ...lyap,
      k: input.review.k,
      steps: input.review.frozenSteps,
      transient: 0,
    });
    result.review = {
      exponents: Array.from(h.exponents),
      standardErrors: Array.from(h.standardErrors),
      frozen: Array.from(f.exponents),
    };
  }
  return result;
}

/** Worker-task handle of `digitsChaosRun`. */
export const digitsChaosTask = task("nn/digits-chaos", digitsChaosRun);
