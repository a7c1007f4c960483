import { lyapunovSpectrum } from "../lyapunov/spectrum";
import { task } from "../parallel/pool";
import { Stream, type StreamSeed } from "../random/stream";
import { requireInteger, requirePositive } from "../util/validate";
import { lanczosTop } from "./curvature";
import { gptInit, gptLayout, type GptSpec } from "./gpt";
import { modularAdditionAccuracy, modularAdditionData, modularAdditionObjective } from "./modular-addition";
import { adam } from "./optimizers";
import { DivergedError, trainingTangent } from "./training-tangent";

/** A grokking run (notebook 17's exploration): a GPT trained on modular addition, probed along the way. Plain data. */
export interface GrokkingInput {
  /** The run's stream is `new Stream(seed, index)`: the split (child "data"), θ₀ ("init"), the probes' vectors ("probe", j). */
  seed: StreamSeed;
  index: number;
  /** Residues mod p, and the fraction of the p² equations used for training. */
  p: number;
  trainFraction: number;
  /** The transformer; its vocabulary must be p + 1 (the token "=" is p). */
  spec: GptSpec;
  /** Initial weights' standard deviation (gptInit, default 0.02). */
  initStd?: number;
  /** Full-batch AdamW: step size, decoupled weight decay, β₂ (β₁ = 0.9). */
  lr: number;
  weightDecay: number;
  beta2?: number;
  steps: number;
  /** Record the losses and accuracies every this many steps. */
  every: number;
  /** The steps (from 0) at which the training map is probed. */
  probeAt: number[];
  /**
   * Each probe: full-batch GD with weight decay on L + (weightDecay/2)‖θ‖², started at the
   * checkpoint, at η = etaRatio · 2/S (S: the sharpness of that loss there), its top k exponents
   * over `steps` steps after `transient`; and the review's code at the checkpoint (QR on H·Q with
   * the weights frozen) over `frozenSteps` steps.
   */
  probe: { etaRatio: number; k: number; steps: number; transient: number; frozenSteps: number; lanczosSteps?: number };
}

/** What `grokkingRun` returns. */
export interface GrokkingResult {
  dim: number;
  train: number;
  test: number;
  history: {
    step: number;
    trainLoss: number;
    trainAccuracy: number;
    testLoss: number;
    testAccuracy: number;
    norm: number;
  }[];
  probes: {
    step: number;
    sharpness: number;
    eta: number;
    /** Top exponents of the GD map with their block errors (empty when the probe diverged). */
    exponents: number[];
    standardErrors: number[];
    dof: number;
    kaplanYorke: number | null;
    kaplanYorkeLowerBound: boolean;
    diverged: number | null;
    /** The review's code at the checkpoint: log |h| of the Hessian's largest-magnitude eigenvalues. */
    frozen: number[];
  }[];
}

/**
 * Trains a GPT on modular addition with full-batch AdamW and weight decay (the grokking set-up of
 * Power et al. 2022: the held-out accuracy can jump long after the training accuracy reached 1),
 * records losses and accuracies, and at the `probeAt` steps measures the Lyapunov spectrum of the
 * GD map with weight decay from the checkpoint (`trainingTangent`: J = I − η(H + λI)) and the
 * review's frozen-Hessian exponents there. Errors: RangeErrors for bad sizes, a vocabulary that is
 * not p + 1, probe steps outside 0…steps; a diverged probe is recorded, not thrown.
 */
export function grokkingRun(input: GrokkingInput): GrokkingResult {
  requireInteger("steps", input.steps, 1);
  requireInteger("every", input.every, 1);
  if (input.spec.vocab !== input.p + 1)
    throw new RangeError(
      `the GPT's vocabulary must be p + 1 = ${input.p + 1} (residues and "="), got ${input.spec.vocab}`,
    );
  for (const s of input.probeAt) requireInteger(`probeAt (steps 0…${input.steps})`, s, 0, input.steps);
  requirePositive("probe.etaRatio", input.probe.etaRatio);
  const stream = new Stream(input.seed, input.index);
  const data = modularAdditionData(input.p, input.trainFraction, stream.child("data"));
  const spec = input.spec,
    D = gptLayout(spec).dim;
  const objective = modularAdditionObjective(spec, data.train);
  const probed = modularAdditionObjective(spec, data.train, { weightDecay: input.weightDecay });
  const theta = gptInit(spec, stream.child("init"), { std: input.initStd });
  const opt = adam({ eta: input.lr, weightDecay: input.weightDecay, beta2: input.beta2 ?? 0.98 });
  const history: GrokkingResult["history"] = [],
    probes: GrokkingResult["probes"] = [];
  const record = (step: number) => {
    const a = modularAdditionAccuracy(spec, theta, data.train),
      b = modularAdditionAccuracy(spec, theta, data.test);
    let n2 = 0;
    for (let i = 0; i < D; i++) n2 += theta[i] * theta[i];
    history.push({
      step,
      trainLoss: a.loss,
      trainAccuracy: a.accuracy,
      testLoss: b.loss,
      testAccuracy: b.accuracy,
      norm: Math.sqrt(n2),
    });
  };
  const probe = (step: number) => {
    const pr = input.probe,
      s = stream.child("probe", probes.length),
      th0 = Float64Array.from(theta);
    const hvp = (v: Float64Array, out: Float64Array) => out.set(probed.evaluate(th0, v).hvp!);
    const S = lanczosTop(hvp, D, { steps: Math.min(D, pr.lanczosSteps ?? 30), stream: s.child("lanczos") })
      .eigenvalues[0];
    const eta = (2 * pr.etaRatio) / S;
    const row: GrokkingResult["probes"][number] = {
      step,
      sharpness: S,
      eta,
      exponents: [],
      standardErrors: [],
      dof: 0,
      kaplanYorke: null,
      kaplanYorkeLowerBound: false,
      diverged: null,
      frozen: [],
    };
    try {
      const sp = lyapunovSpectrum(trainingTangent(probed, { eta, theta0: th0 }), {
        k: pr.k,
        steps: pr.steps,
        transient: pr.transient,
        blocks: 16,
        stream: s.child("run"),
      });
      Object.assign(row, {
        exponents: Array.from(sp.exponents),
        standardErrors: Array.from(sp.standardErrors),
        dof: sp.dof,
        kaplanYorke: sp.kaplanYorke,
        kaplanYorkeLowerBound: sp.kaplanYorkeLowerBound,
      });
    } catch (e) {
      if (!(e instanceof DivergedError)) throw e;
      row.diverged = e.step;
    }
    const f = lyapunovSpectrum(trainingTangent(probed, { eta, theta0: th0, jacobian: "hessian", frozen: true }), {
      k: pr.k,
      steps: pr.frozenSteps,
      stream: s.child("frozen"),
    });
    row.frozen = Array.from(f.exponents);
    probes.push(row);
  };
  const probeSet = new Set(input.probeAt);
  for (let t = 0; t <= input.steps; t++) {
    if (t % input.every === 0 || t === input.steps) record(t);
    if (probeSet.has(t)) probe(t);
    if (t === input.steps) break;
    opt.step(theta, objective.evaluate(theta).gradient);
  }
  return { dim: D, train: data.train.n, test: data.test.n, history, probes };
}

/** Worker-task handle of `grokkingRun`. */
export const grokkingTask = task("nn/grokking", grokkingRun);
