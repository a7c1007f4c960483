import { Node, Tape } from "./tape";
import { addRow, matmul, mse, slice, tanh } from "./ops";
import { requireInteger, requireLength } from "../util/validate";

/** Activations of `mlpForward` (more come with issue 13's op list). */
export type Activation = "tanh" | "identity";

/**
 * A multilayer perceptron with widths [d, h₁, …, out] on a flat parameter vector θ: for each layer
 * ℓ, the weight matrix W_ℓ (in × out, row-major) and then the bias b_ℓ (out). `activations` has one
 * entry per layer (the last is usually "identity"). D = Σ (in·out + out).
 */
export interface MlpSpec {
  widths: number[];
  activations: Activation[];
}

/** Number of parameters of an MLP. Errors: a RangeError for bad widths or a wrong number of activations. */
export function mlpParameterCount(spec: MlpSpec): number {
  if (spec.widths.length < 2) throw new RangeError(`widths needs at least [input, output], got [${spec.widths.join(", ")}]`);
  spec.widths.forEach((w, i) => requireInteger(`widths[${i}]`, w, 1));
  if (spec.activations.length !== spec.widths.length - 1) throw new RangeError(`activations needs ${spec.widths.length - 1} entries (one per layer), got ${spec.activations.length}`);
  let D = 0;
  for (let l = 0; l + 1 < spec.widths.length; l++) D += spec.widths[l] * spec.widths[l + 1] + spec.widths[l + 1];
  return D;
}

/** The network's output for the N inputs `x` (a [N, d] node) at parameters θ (a [D] node). */
export function mlpForward(tape: Tape, spec: MlpSpec, theta: Node, x: Node): Node {
  const D = mlpParameterCount(spec);
  if (theta.size !== D) throw new RangeError(`θ has ${theta.size} entries, the MLP [${spec.widths.join(", ")}] needs ${D}`);
  if (x.shape.length !== 2 || x.shape[1] !== spec.widths[0]) throw new RangeError(`inputs must have shape [N, ${spec.widths[0]}], got [${x.shape.join(", ")}]`);
  let h = x, o = 0;
  for (let l = 0; l + 1 < spec.widths.length; l++) {
    const nin = spec.widths[l], nout = spec.widths[l + 1];
    const W = slice(tape, theta, o, [nin, nout]);
    o += nin * nout;
    const b = slice(tape, theta, o, [nout]);
    o += nout;
    h = addRow(tape, matmul(tape, h, W), b);
    if (spec.activations[l] === "tanh") h = tanh(tape, h);
    else if (spec.activations[l] !== "identity") throw new RangeError(`unknown activation "${String(spec.activations[l])}"`);
  }
  return h;
}

/** What `mlpLossDerivatives` returns. */
export interface LossDerivatives {
  loss: number;
  gradient: Float64Array;
  /** H v, when a direction v was given. */
  hvp: Float64Array | null;
}

/**
 * The mean squared error of an MLP on (inputs, targets) at θ, its exact gradient and, given a
 * direction v, the exact Hessian-vector product H v, from one forward-over-reverse sweep.
 * inputs: N × d row-major; targets: N × out. Errors: a RangeError for inconsistent sizes.
 */
export function mlpLossDerivatives(spec: MlpSpec, theta: ArrayLike<number>, inputs: ArrayLike<number>, targets: ArrayLike<number>, v?: ArrayLike<number>): LossDerivatives {
  const D = mlpParameterCount(spec), d = spec.widths[0];
  requireLength("θ", theta, D);
  if (v) requireLength("v (direction of the HVP)", v, D);
  const N = inputs.length / d;
  requireInteger(`number of inputs (inputs.length / ${d})`, N, 1);
  requireLength("targets (N · output width)", targets, N * spec.widths[spec.widths.length - 1]);
  const tape = new Tape();
  const th = tape.param(theta, [D], v);
  const loss = mse(tape, mlpForward(tape, spec, th, tape.constant(inputs, [N, d])), targets);
  tape.backward(loss);
  return { loss: loss.value[0], gradient: th.grad ?? new Float64Array(D), hvp: v ? th.gradTangent ?? new Float64Array(D) : null };
}
