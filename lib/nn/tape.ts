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
 * A tape can carry k tangents at once (`new Tape(k)`): every tangent and adjoint tangent then holds
 * k blocks of the node's size, tangent c at [c·size, (c+1)·size) ("tangent-major"), and one sweep
 * gives the gradient and the k products H v₁ … H v_k. The ops run the k blocks through one kernel
 * call where they can (matmul stacks them into a [·, d] × [d, k]-shaped product), and every entry
 * is summed in the same order as with one tangent, so the k products equal k separate sweeps bit
 * for bit (tested). With k = 1 the layout is the value's and nothing changes.
 *
 * Tensors are row-major Float64Array with a shape; a tape is used once (build, backward, read).
 */
export class Node {
  readonly shape: readonly number[];
  readonly size: number;
  readonly value: Float64Array;
  /** Directional derivatives of the value along the leaves' tangents, k blocks of `size` (null: zero). */
  readonly tangent: Float64Array | null;
  /** ∂loss/∂value after `backward` (null until then, or when no gradient reaches this node). */
  grad: Float64Array | null = null;
  /** The directional derivatives of `grad`, k blocks of `size` (the HVPs at a leaf). */
  gradTangent: Float64Array | null = null;
  /** Tangents carried per entry (the tape's k; set when the node is recorded). */
  tangents = 1;
  /** Whether gradients are wanted here (false for constants: data, targets). */
  readonly requiresGrad: boolean;
  /** @internal the op's reverse rule: pushes this node's grad and gradTangent into its inputs. */
  pullback: (() => void) | null = null;

  /** Whether the value is shared data that never changes (from `Tape.data`): ops may cache derived copies of it. */
  readonly frozen: boolean;

  constructor(
    shape: readonly number[],
    value: Float64Array,
    tangent: Float64Array | null,
    requiresGrad: boolean,
    frozen = false,
  ) {
    const size = shape.reduce((a, b) => a * b, 1);
    if (!shape.every((s) => Number.isInteger(s) && s >= 1))
      throw new RangeError(`shape must be positive integers, got [${shape.join(", ")}]`);
    if (value.length !== size)
      throw new RangeError(`value has ${value.length} entries for shape [${shape.join(", ")}] (${size})`);
    if (tangent && (tangent.length === 0 || tangent.length % size !== 0))
      throw new RangeError(
        `tangent has ${tangent.length} entries for shape [${shape.join(", ")}] (a multiple of ${size}: one block per tangent)`,
      );
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

  /** The gradTangent buffer (k blocks of `size`), created (zero) on first use. */
  gradTangentBuffer(): Float64Array {
    return (this.gradTangent ??= new Float64Array(this.size * this.tangents));
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

  /**
   * A tape whose nodes carry `tangents` directional derivatives at once (default 1).
   * Errors: a RangeError unless it is an integer ≥ 1.
   */
  constructor(readonly tangents = 1) {
    if (!Number.isInteger(tangents) || tangents < 1)
      throw new RangeError(`Tape: tangents must be an integer >= 1, got ${tangents}`);
  }

  /**
   * A parameter (gradients wanted), optionally with tangents: the direction v of an HVP, or, on a
   * tape of k tangents, the k directions one after another (k·size entries, direction c at
   * [c·size, (c+1)·size)). Errors: a RangeError for a tangent of another length.
   */
  param(value: ArrayLike<number>, shape: readonly number[], tangent?: ArrayLike<number>): Node {
    const size = shape.reduce((a, b) => a * b, 1);
    if (tangent && tangent.length !== size * this.tangents)
      throw new RangeError(
        `param: the tangent has ${tangent.length} entries; a tape of ${this.tangents} tangent(s) on shape [${shape.join(", ")}] needs ${size * this.tangents}`,
      );
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

  /** @internal used by ops: registers a node built from inputs (its tangent must hold one block per tangent of the tape). */
  record(n: Node): Node {
    if (n.tangent && n.tangent.length !== n.size * this.tangents)
      throw new RangeError(
        `Tape.record: a tangent of ${n.tangent.length} entries on a node of ${n.size} (the tape carries ${this.tangents} tangent(s))`,
      );
    n.tangents = this.tangents;
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
