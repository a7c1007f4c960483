/**
 * A float64 reverse-mode tape with forward-over-reverse second derivatives: the engine under
 * lib/nn (issue 13). Why our own: TensorFlow.js's second derivatives through tanh, sigmoid and exp
 * are wrong (tfjs#3252), and the project needs exact Hessian-vector products.
 *
 * Every node carries a value and, when some leaf has a tangent, a tangent ẋ (the directional
 * derivative along the leaves' tangents v). `backward(loss)` then propagates, in reverse creation
 * order, both the adjoint g = ∂loss/∂x and its directional derivative ġ = d/dε ∂loss/∂x(θ + εv):
 * at a leaf, g is the gradient and ġ the Hessian-vector product H v (Pearlmutter 1994's R-operator,
 * written out per op). Each op supplies the four rules: value, tangent, adjoint, and the tangent of
 * the adjoint.
 *
 * Tensors are row-major Float64Array with a shape; a tape is used once (build, backward, read).
 */
export class Node {
  readonly shape: readonly number[];
  readonly size: number;
  readonly value: Float64Array;
  /** Directional derivative of the value along the leaves' tangents (null: zero). */
  readonly tangent: Float64Array | null;
  /** ∂loss/∂value after `backward` (null until then, or when no gradient reaches this node). */
  grad: Float64Array | null = null;
  /** The directional derivative of `grad` (the HVP at a leaf). */
  gradTangent: Float64Array | null = null;
  /** Whether gradients are wanted here (false for constants: data, targets). */
  readonly requiresGrad: boolean;
  /** @internal the op's reverse rule: pushes this node's grad and gradTangent into its inputs. */
  pullback: (() => void) | null = null;

  /** Whether the value is shared data that never changes (from `Tape.data`): ops may cache derived copies of it. */
  readonly frozen: boolean;

  constructor(shape: readonly number[], value: Float64Array, tangent: Float64Array | null, requiresGrad: boolean, frozen = false) {
    const size = shape.reduce((a, b) => a * b, 1);
    if (!shape.every((s) => Number.isInteger(s) && s >= 1)) throw new RangeError(`shape must be positive integers, got [${shape.join(", ")}]`);
    if (value.length !== size) throw new RangeError(`value has ${value.length} entries for shape [${shape.join(", ")}] (${size})`);
    if (tangent && tangent.length !== size) throw new RangeError(`tangent has ${tangent.length} entries for shape [${shape.join(", ")}] (${size})`);
    this.shape = shape;
    this.size = size;
    this.value = value;
    this.tangent = tangent;
    this.requiresGrad = requiresGrad;
    this.frozen = frozen;
  }

  /** The grad buffer, created (zero) on first use. */
  gradBuffer(): Float64Array {
    return (this.grad ??= new Float64Array(this.size));
  }

  /** The gradTangent buffer, created (zero) on first use. */
  gradTangentBuffer(): Float64Array {
    return (this.gradTangent ??= new Float64Array(this.size));
  }
}

/** A value left the finite range (overflow, log of a negative, a diverging run): the error a trainer turns into a recorded divergence. */
export class NonFiniteError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = "NonFiniteError";
  }
}

/** The tape: records nodes in creation order and runs their reverse rules backwards. */
export class Tape {
  private readonly nodes: Node[] = [];

  /** A parameter (gradients wanted), optionally with a tangent (the direction v of an HVP). */
  param(value: ArrayLike<number>, shape: readonly number[], tangent?: ArrayLike<number>): Node {
    return this.record(new Node(shape, Float64Array.from(value), tangent ? Float64Array.from(tangent) : null, true));
  }

  /** A constant (data, targets): no gradient, no tangent. */
  constant(value: ArrayLike<number>, shape: readonly number[]): Node {
    return this.record(new Node(shape, Float64Array.from(value), null, false));
  }

  /**
   * Fixed data shared with the caller, not copied: a constant whose array must not change while
   * any tape uses it (a training set). Ops may cache derived copies of it (matmul keeps its
   * transpose for the weight gradient), which is what makes it cheaper than `constant`.
   */
  data(value: Float64Array, shape: readonly number[]): Node {
    return this.record(new Node(shape, value, null, false, true));
  }

  /** @internal used by ops: registers a node built from inputs. */
  record(n: Node): Node {
    this.nodes.push(n);
    return n;
  }

  /**
   * Reverse sweep from a scalar `loss`: seeds ∂loss/∂loss = 1 (and its tangent 0) and runs every
   * node's reverse rule in reverse creation order. Errors: a RangeError if loss is not a scalar, a
   * NonFiniteError if it is not finite.
   */
  backward(loss: Node): void {
    if (loss.size !== 1) throw new RangeError(`backward needs a scalar loss, got shape [${loss.shape.join(", ")}]`);
    if (!Number.isFinite(loss.value[0])) throw new NonFiniteError(`backward: the loss is ${loss.value[0]}`);
    loss.gradBuffer()[0] = 1;
    loss.gradTangentBuffer();
    const end = this.nodes.indexOf(loss);
    for (let i = end; i >= 0; i--) {
      const n = this.nodes[i];
      if (n.pullback && n.grad) n.pullback();
    }
  }
}
