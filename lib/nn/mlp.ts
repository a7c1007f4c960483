import { Node, Tape } from "./tape";
import { addRow, gelu, matmul, mse, relu, sigmoid, slice, softmaxCrossEntropy, softplus, tanh } from "./ops";
import { requireInteger, requireLength } from "../util/validate";
import type { Stream } from "../random/stream";
import { tangentSweep, type TangentDerivatives } from "./tangent-sweep";

/** Activations of `mlpForward`. */
export type Activation = "tanh" | "relu" | "gelu" | "softplus" | "sigmoid" | "identity";

const ACTIVATIONS: Record<Exclude<Activation, "identity">, (tape: Tape, a: Node) => Node> = {
  tanh,
  relu,
  gelu,
  softplus,
  sigmoid,
};

/**
 * A multilayer perceptron with widths [d, h₁, …, out] on a flat parameter vector θ: for each layer
 * ℓ, the weight matrix W_ℓ (in × out, row-major) and then the bias b_ℓ (out). `activations` has one
 * entry per layer (the last is usually "identity"). D = Σ (in·out + out).
 */
export interface MlpSpec {
  widths: number[];
  activations: Activation[];
}

/** Number of parameters of an MLP. Errors: a RangeError for bad widths, a wrong number of activations or an unknown one. */
export function mlpParameterCount(spec: MlpSpec): number {
  if (spec.widths.length < 2)
    throw new RangeError(`widths needs at least [input, output], got [${spec.widths.join(", ")}]`);
  spec.widths.forEach((w, i) => requireInteger(`widths[${i}]`, w, 1));
  if (spec.activations.length !== spec.widths.length - 1)
    throw new RangeError(
      `activations needs ${spec.widths.length - 1} entries (one per layer), got ${spec.activations.length}`,
    );
  for (const a of spec.activations)
    if (a !== "identity" && !(a in ACTIVATIONS))
      throw new RangeError(
        `unknown activation "${String(a)}" (known: ${Object.keys(ACTIVATIONS).join(", ")}, identity)`,
      );
  let D = 0;
  for (let l = 0; l + 1 < spec.widths.length; l++) D += spec.widths[l] * spec.widths[l + 1] + spec.widths[l + 1];
  return D;
}

/** The network's output for the N inputs `x` (a [N, d] node) at parameters θ (a [D] node). Errors: a RangeError naming the sizes. */
export function mlpForward(tape: Tape, spec: MlpSpec, theta: Node, x: Node): Node {
  const D = mlpParameterCount(spec);
  if (theta.size !== D)
    throw new RangeError(`θ has ${theta.size} entries, the MLP [${spec.widths.join(", ")}] needs ${D}`);
  if (x.shape.length !== 2 || x.shape[1] !== spec.widths[0])
    throw new RangeError(`inputs must have shape [N, ${spec.widths[0]}], got [${x.shape.join(", ")}]`);
  let h = x,
    o = 0;
  for (let l = 0; l + 1 < spec.widths.length; l++) {
    const nin = spec.widths[l],
      nout = spec.widths[l + 1];
    const W = slice(tape, theta, o, [nin, nout]);
    o += nin * nout;
    const b = slice(tape, theta, o, [nout]);
    o += nout;
    h = addRow(tape, matmul(tape, h, W), b);
    const act = spec.activations[l];
    if (act !== "identity") h = ACTIVATIONS[act](tape, h);
  }
  return h;
}

/**
 * Initial parameters: weights N(0, gain²/fan_in) (LeCun scaling; gain 1 by default), biases 0.
 * Errors: a RangeError for a bad spec or gain.
 */
export function mlpInit(spec: MlpSpec, stream: Stream, o: { gain?: number } = {}): Float64Array {
  const D = mlpParameterCount(spec),
    gain = o.gain ?? 1;
  if (!(gain > 0)) throw new RangeError(`gain must be > 0, got ${gain}`);
  const theta = new Float64Array(D);
  let k = 0;
  for (let l = 0; l + 1 < spec.widths.length; l++) {
    const nin = spec.widths[l],
      nout = spec.widths[l + 1],
      s = gain / Math.sqrt(nin);
    for (let i = 0; i < nin * nout; i++) theta[k++] = s * stream.normal();
    k += nout;
  }
  return theta;
}

/** What an objective's `evaluate` returns. */
export interface LossDerivatives {
  loss: number;
  gradient: Float64Array;
  /** H v, when a direction v was given. */
  hvp: Float64Array | null;
}

/** A training loss as a function of the flat parameters θ (length `dim`), with exact derivatives. */
export interface Objective {
  dim: number;
  /**
   * The loss at θ, its gradient and, given a direction v, the Hessian-vector product H v, from one
   * forward-over-reverse sweep. Errors: a RangeError for wrong lengths or a non-finite loss.
   */
  evaluate(theta: ArrayLike<number>, v?: ArrayLike<number>): LossDerivatives;
  /**
   * Optional: the loss, its gradient and H v_c for k directions at once (V holds k·dim entries,
   * direction c at [c·dim, (c+1)·dim)), from one sweep carrying k tangents (lib/nn/tangent-sweep);
   * equal to k calls of `evaluate` bit for bit. Objectives without it are served by k calls.
   */
  evaluateTangents?(theta: ArrayLike<number>, V: ArrayLike<number>, k: number): TangentDerivatives;
  /** Optional, for losses that are means over examples: the number of examples N. */
  examples?: number;
  /** Optional, with `examples`: the same loss averaged over the examples `indices` only (a minibatch loss L_B). */
  subset?(indices: ArrayLike<number>): Objective;
}

/** The data of `mlpObjective`: N inputs (N × d row-major) with targets (N × out, for "mse") or labels (for "cross-entropy"). */
export interface MlpData {
  inputs: ArrayLike<number>;
  targets?: ArrayLike<number>;
  labels?: ArrayLike<number>;
}

/**
 * The training loss of an MLP on fixed data: "mse" (default), the mean of (f(x) − t)² over all
 * N·out entries (`lib/nn/ops` mse), or "cross-entropy", the mean of −log softmax(f(x))_y.
 * Errors: a RangeError for inconsistent sizes, missing targets/labels, or a label outside 0…out−1.
 */
export function mlpObjective(spec: MlpSpec, data: MlpData, o: { loss?: "mse" | "cross-entropy" } = {}): Objective {
  const D = mlpParameterCount(spec),
    d = spec.widths[0],
    out = spec.widths[spec.widths.length - 1];
  const loss = o.loss ?? "mse";
  const N = data.inputs.length / d;
  requireInteger(`number of inputs (inputs.length / ${d})`, N, 1);
  if (loss === "mse") {
    if (!data.targets) throw new RangeError("mlpObjective: the mse loss needs targets");
    requireLength("targets (N · output width)", data.targets, N * out);
  } else if (loss === "cross-entropy") {
    if (!data.labels) throw new RangeError("mlpObjective: the cross-entropy loss needs labels");
    requireLength("labels (one per input)", data.labels, N);
    for (let i = 0; i < N; i++)
      if (!Number.isInteger(data.labels[i]) || data.labels[i] < 0 || data.labels[i] >= out)
        throw new RangeError(`label ${i} is ${data.labels[i]}, outside 0…${out - 1}`);
  } else throw new RangeError(`unknown loss "${String(loss)}" (mse or cross-entropy)`);
  const inputs = Float64Array.from(data.inputs);
  const build = (tape: Tape, th: Node) => {
    const f = mlpForward(tape, spec, th, tape.data(inputs, [N, d]));
    return loss === "mse" ? mse(tape, f, data.targets!) : softmaxCrossEntropy(tape, f, data.labels!);
  };
  return {
    dim: D,
    examples: N,
    evaluate(theta, v) {
      requireLength("θ", theta, D);
      if (v) requireLength("v (direction of the HVP)", v, D);
      const tape = new Tape();
      const th = tape.param(theta, [D], v);
      const L = build(tape, th);
      tape.backward(L);
      return {
        loss: L.value[0],
        gradient: th.grad ?? new Float64Array(D),
        hvp: v ? (th.gradTangent ?? new Float64Array(D)) : null,
      };
    },
    evaluateTangents(theta, V, k) {
      return tangentSweep(D, theta, V, k, build);
    },
    subset(indices) {
      return mlpObjective(spec, mlpRows(spec, data, indices), o);
    },
  };
}

/** The rows `indices` of an MLP's data (inputs, and targets or labels). Errors: a RangeError for an index outside 0…N−1 or an empty list. */
export function mlpRows(spec: MlpSpec, data: MlpData, indices: ArrayLike<number>): MlpData {
  const d = spec.widths[0],
    out = spec.widths[spec.widths.length - 1],
    N = data.inputs.length / d,
    n = indices.length;
  requireInteger("number of rows", n, 1);
  const inputs = new Float64Array(n * d);
  const targets = data.targets ? new Float64Array(n * out) : undefined,
    labels = data.labels ? new Int32Array(n) : undefined;
  for (let r = 0; r < n; r++) {
    const e = indices[r];
    if (!Number.isInteger(e) || e < 0 || e >= N)
      throw new RangeError(`example index ${e} (position ${r}) is outside 0…${N - 1}`);
    for (let j = 0; j < d; j++) inputs[r * d + j] = data.inputs[e * d + j];
    if (targets) for (let j = 0; j < out; j++) targets[r * out + j] = data.targets![e * out + j];
    if (labels) labels[r] = data.labels![e];
  }
  return { inputs, targets, labels };
}

/** The network's outputs (N × out) at θ for the given inputs, without derivatives. */
export function mlpPredict(spec: MlpSpec, theta: ArrayLike<number>, inputs: ArrayLike<number>): Float64Array {
  const D = mlpParameterCount(spec),
    d = spec.widths[0];
  requireLength("θ", theta, D);
  const N = inputs.length / d;
  requireInteger(`number of inputs (inputs.length / ${d})`, N, 1);
  const tape = new Tape();
  return mlpForward(tape, spec, tape.constant(theta, [D]), tape.constant(inputs, [N, d])).value;
}
