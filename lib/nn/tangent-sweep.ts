import { Node, Tape } from "./tape";
import { requireInteger, requireLength } from "../util/validate";

/** What a k-tangent sweep returns: the loss, its gradient, and the k Hessian-vector products. */
export interface TangentDerivatives {
  loss: number;
  gradient: Float64Array;
  /** H v₁, …, H v_k one after another (k·dim entries, H v_c at [c·dim, (c+1)·dim)); empty for k = 0. */
  hvps: Float64Array;
  k: number;
}

/**
 * One forward-over-reverse sweep of a loss built on a tape of k tangents (lib/nn/tape): the loss
 * at θ, its gradient, and H v_c for the k directions in V (k·dim entries, direction c at
 * [c·dim, (c+1)·dim)), all from one pass: the products run as [·, d] × [d, k]-shaped kernel calls
 * instead of k separate sweeps, with the same bits as k separate sweeps. k = 0 gives the loss and
 * gradient only. `build(tape, θ)` returns the scalar loss node.
 *
 * Errors: RangeErrors for a negative or fractional k and for θ or V of the wrong length; a
 * NonFiniteError (from the tape) when the loss is not finite.
 */
export function tangentSweep(
  dim: number,
  theta: ArrayLike<number>,
  V: ArrayLike<number> | null,
  k: number,
  build: (tape: Tape, theta: Node) => Node,
): TangentDerivatives {
  requireInteger("k (number of tangents)", k, 0);
  requireLength("θ", theta, dim);
  if (k > 0) {
    if (!V) throw new RangeError(`tangentSweep: k = ${k} tangents need directions V`);
    requireLength(`V (k·dim = ${k}·${dim} entries)`, V, k * dim);
  }
  const tape = new Tape(Math.max(k, 1));
  const th = tape.param(theta, [dim], k > 0 ? V! : undefined);
  const L = build(tape, th);
  tape.backward(L);
  return {
    loss: L.value[0],
    gradient: th.grad ?? new Float64Array(dim),
    hvps: k > 0 ? (th.gradTangent ?? new Float64Array(k * dim)) : new Float64Array(0),
    k,
  };
}
