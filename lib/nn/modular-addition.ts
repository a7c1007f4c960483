import type { Stream } from "../random/stream";
import { requireInRange, requireInteger, requireNonNegative } from "../util/validate";
import { gptForward, gptLayout, type GptSpec } from "./gpt";
import type { Objective } from "./mlp";
import { add, mul, softmaxCrossEntropy, sum } from "./ops";
import { gatherRows, scale } from "./shape-ops";
import { Tape, type Node } from "./tape";
import { tangentSweep } from "./tangent-sweep";

/**
 * Modular addition for a transformer (Power, Burda, Edwards, Babuschkin & Misra, "Grokking", 2022):
 * every pair (a, b) of residues mod p as the sequence [a, b, =] (the token "=" is p), whose answer
 * (a + b) mod p is predicted at the "=" position; the p² pairs split at random into a training
 * and a held-out set.
 */
export interface ModularSet {
  /** n sequences of 3 tokens, one after another. */
  inputs: Int32Array;
  /** The n answers. */
  labels: Int32Array;
  n: number;
}

/** All p² equations a + b = c (mod p), split at random: a fraction `trainFraction` (rounded down) for training. Errors: RangeErrors for p < 2 or a fraction outside (0, 1). */
export function modularAdditionData(
  p: number,
  trainFraction: number,
  stream: Stream,
): { p: number; train: ModularSet; test: ModularSet } {
  requireInteger("p", p, 2);
  requireInRange("trainFraction", trainFraction, 0, 1, "in (0, 1)");
  const m = p * p,
    order = Int32Array.from({ length: m }, (_, i) => i);
  for (let i = m - 1; i > 0; i--) {
    const j = stream.int(i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  const nTrain = Math.floor(trainFraction * m);
  if (nTrain < 1 || nTrain >= m)
    throw new RangeError(`trainFraction ${trainFraction} of ${m} equations leaves an empty training or held-out set`);
  const set = (ids: Int32Array): ModularSet => {
    const inputs = new Int32Array(3 * ids.length),
      labels = new Int32Array(ids.length);
    ids.forEach((e, i) => {
      const a = Math.floor(e / p),
        b = e % p;
      inputs[3 * i] = a;
      inputs[3 * i + 1] = b;
      inputs[3 * i + 2] = p;
      labels[i] = (a + b) % p;
    });
    return { inputs, labels, n: ids.length };
  };
  return { p, train: set(order.subarray(0, nTrain)), test: set(order.subarray(nTrain)) };
}

function requireSet(spec: GptSpec, set: ModularSet): void {
  requireInteger("set.n", set.n, 1);
  if (set.inputs.length !== 3 * set.n || set.labels.length !== set.n)
    throw new RangeError(
      `a modular set of ${set.n} equations needs ${3 * set.n} input tokens and ${set.n} labels, got ${set.inputs.length} and ${set.labels.length}`,
    );
  if (spec.block < 3) throw new RangeError(`the GPT's block size ${spec.block} is shorter than an equation (3 tokens)`);
}

/** The logits of the answers, [n, vocab]: the "=" row of each sequence. */
function answerLogits(tape: Tape, spec: GptSpec, theta: Node, set: ModularSet): Node {
  const rows = Int32Array.from({ length: set.n }, (_, i) => 3 * i + 2);
  return gatherRows(tape, gptForward(tape, spec, theta, set.inputs, set.n), rows);
}

/**
 * The training loss of a GPT on modular equations: the mean cross-entropy of the answers (only the
 * "=" position is scored) plus (weightDecay/2)‖θ‖² (default 0), as an Objective with exact gradient
 * and Hessian-vector products (`evaluate`), k of them in one sweep (`evaluateTangents`), and
 * minibatches (`examples`, `subset`), so that `trainingTangent` follows GD or SGD with weight decay
 * on it: the step θ ← θ − η(∇L + λθ) has the Jacobian I − η(H + λI).
 * Errors: RangeErrors for an inconsistent set, a negative weight decay, or labels outside the vocabulary.
 */
export function modularAdditionObjective(spec: GptSpec, set: ModularSet, o: { weightDecay?: number } = {}): Objective {
  const { dim } = gptLayout(spec);
  requireSet(spec, set);
  const wd = o.weightDecay ?? 0;
  requireNonNegative("weightDecay", wd);
  for (let i = 0; i < set.n; i++)
    if (!(set.labels[i] >= 0 && set.labels[i] < spec.vocab))
      throw new RangeError(`label ${i} is ${set.labels[i]}, outside the vocabulary 0…${spec.vocab - 1}`);
  const build = (tape: Tape, th: Node): Node => {
    const ce = softmaxCrossEntropy(tape, answerLogits(tape, spec, th, set), set.labels);
    return wd > 0 ? add(tape, ce, scale(tape, sum(tape, mul(tape, th, th)), wd / 2)) : ce;
  };
  return {
    dim,
    examples: set.n,
    evaluate(theta, v) {
      const r = tangentSweep(dim, theta, v ?? null, v ? 1 : 0, build);
      return { loss: r.loss, gradient: r.gradient, hvp: v ? r.hvps : null };
    },
    evaluateTangents(theta, V, k) {
      return tangentSweep(dim, theta, V, k, build);
    },
    subset(indices) {
      const n = indices.length;
      requireInteger("number of equations in the subset", n, 1);
      const inputs = new Int32Array(3 * n),
        labels = new Int32Array(n);
      for (let r = 0; r < n; r++) {
        const e = indices[r];
        if (!Number.isInteger(e) || e < 0 || e >= set.n)
          throw new RangeError(`equation index ${e} (position ${r}) is outside 0…${set.n - 1}`);
        inputs.set(set.inputs.subarray(3 * e, 3 * e + 3), 3 * r);
        labels[r] = set.labels[e];
      }
      return modularAdditionObjective(spec, { inputs, labels, n }, o);
    },
  };
}

/** The fraction of equations whose answer has the largest logit, and the answers' mean cross-entropy (no weight decay). */
export function modularAdditionAccuracy(
  spec: GptSpec,
  theta: ArrayLike<number>,
  set: ModularSet,
): { accuracy: number; loss: number } {
  requireSet(spec, set);
  const { dim } = gptLayout(spec);
  const tape = new Tape();
  const z = answerLogits(tape, spec, tape.constant(theta, [dim]), set).value,
    V = spec.vocab;
  let ok = 0,
    L = 0;
  for (let i = 0; i < set.n; i++) {
    let best = 0,
      max = -Infinity;
    for (let c = 0; c < V; c++)
      if (z[i * V + c] > max) {
        max = z[i * V + c];
        best = c;
      }
    if (best === set.labels[i]) ok++;
    let s = 0;
    for (let c = 0; c < V; c++) s += Math.exp(z[i * V + c] - max);
    L += (Math.log(s) + max - z[i * V + set.labels[i]]) / set.n;
  }
  return { accuracy: ok / set.n, loss: L };
}
