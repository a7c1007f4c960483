import type { TangentSystem } from "../lyapunov/tangent-system";
import { batchGradient, batchHessian, type ResidualModel } from "../models/residual-model";
import { drawSubset } from "../random/subset";
import type { Stream } from "../random/stream";
import { requireAllFinite, requireBatchSize, requireLength, requirePositive, requireStep } from "../util/validate";

/** A run's orbit left the ball of radius `maxNorm` (or the finite range): GD/SGD diverged there. */
export class DivergedError extends RangeError {
  constructor(
    readonly step: number,
    message: string,
  ) {
    super(message);
    this.name = "DivergedError";
  }
}

/** Options of `descentTangent`. */
export interface DescentTangentOptions {
  eta: number;
  /** Minibatch size |B| (default N: full-batch GD). */
  batch?: number;
  /** The starting point, or a sampler drawing it from the run's stream (child "init"). */
  x0: ArrayLike<number> | ((stream: Stream) => Float64Array);
  /** ‖x‖ above this counts as divergence (default 1e6). */
  maxNorm?: number;
}

/**
 * The GD/SGD trajectory x_{t+1} = x_t − η ∇L_{B_t}(x_t) of a ResidualModel, with its tangent map, as
 * a TangentSystem for `lyapunovSpectrum`: each step multiplies the tangent vectors by the step's
 * Jacobian
 *   J_t = I − η Hess L_{B_t}(x_t)
 * (not by the Hessian itself, as the GATES review's pseudo-code does), then moves x. Minibatches are
 * uniform subsets of size |B| drawn from the step's stream (|B| = N: GD, no randomness), so that
 * many initial conditions run with the same stream see the same noise path (pullback sampling).
 *
 * Cost per step, chosen by the smaller estimate: the Hessian formed in full (|B|·D² + D²·k), or,
 * when the model has `addResidualHessianVector` and k is small, Hessian-vector products from the
 * stored per-sample gradients (≈ 3|B|·D·k): H_B u = (2/|B|) Σ_{i∈B} [∇r_i (∇r_i·u) + r_i ∇²r_i u].
 *
 * Errors: RangeErrors for a bad η, batch or x0; a `DivergedError` naming the step when the orbit
 * leaves ‖x‖ ≤ maxNorm (callers record the run as diverged and keep it out of every spectrum).
 */
export function descentTangent(
  model: ResidualModel,
  o: DescentTangentOptions,
): TangentSystem & { readonly x: Float64Array; readonly steps: number } {
  requireStep(o.eta);
  const D = model.dim,
    n = model.n,
    b = o.batch ?? n;
  requireBatchSize(n, b);
  const maxNorm = o.maxNorm ?? 1e6;
  requirePositive("maxNorm", maxNorm);
  if (typeof o.x0 !== "function") {
    requireLength("x0", o.x0, D);
    requireAllFinite("x0", o.x0);
  }
  const perm = Int32Array.from({ length: n }, (_, i) => i),
    batch = perm.subarray(0, b);
  const x = new Float64Array(D),
    g = new Float64Array(D),
    scratch = new Float64Array(D),
    col = new Float64Array(D);
  let H: Float64Array | undefined, J: Float64Array | undefined, r: Float64Array | undefined;
  let steps = 0;
  return {
    dim: D,
    dt: 1,
    get x() {
      return x;
    },
    get steps() {
      return steps;
    },
    start(stream: Stream) {
      x.set(typeof o.x0 === "function" ? o.x0(stream.child("init")) : o.x0);
      requireAllFinite("x0", x);
      for (let i = 0; i < n; i++) perm[i] = i;
      steps = 0;
    },
    advance(basis: Float64Array, k: number, stream: Stream) {
      if (b < n) drawSubset(stream, perm, b);
      if (model.addResidualHessianVector && 3 * b * D * k < b * D * D + D * D * k) {
        advanceByProducts(
          model,
          x,
          batch,
          basis,
          k,
          o.eta,
          (J ??= new Float64Array(b * D)),
          (r ??= new Float64Array(b)),
          g,
          col,
        );
      } else {
        batchHessian(model, x, batch, (H ??= new Float64Array(D * D)), scratch);
        for (let c = 0; c < k; c++) {
          const v = c * D; // offsets, not subarrays: no allocation per vector and step
          for (let i = 0; i < D; i++) {
            let s = 0;
            for (let j = 0; j < D; j++) s += H[i * D + j] * basis[v + j];
            col[i] = basis[v + i] - o.eta * s;
          }
          for (let i = 0; i < D; i++) basis[v + i] = col[i];
        }
        batchGradient(model, x, batch, g, scratch);
      }
      let norm2 = 0;
      for (let i = 0; i < D; i++) {
        x[i] -= o.eta * g[i];
        norm2 += x[i] * x[i];
      }
      steps++;
      if (!(norm2 <= maxNorm * maxNorm))
        throw new DivergedError(
          steps,
          `descentTangent: the orbit diverged at step ${steps} (‖x‖ = ${Math.sqrt(norm2)} > ${maxNorm})`,
        );
    },
  };
}

/**
 * The tangent vectors through I − η H_B by Hessian-vector products, and the batch gradient into g,
 * from one pass of per-sample gradients (rows of J) and residuals r. Hand-written: this is the inner
 * loop of every Lyapunov spectrum of a network, and it must not allocate.
 */
function advanceByProducts(
  model: ResidualModel,
  x: Float64Array,
  batch: Int32Array,
  basis: Float64Array,
  k: number,
  eta: number,
  J: Float64Array,
  r: Float64Array,
  g: Float64Array,
  acc: Float64Array,
): void {
  const D = model.dim,
    b = batch.length;
  g.fill(0);
  for (let s = 0; s < b; s++) {
    const ri = model.residualGradient(batch[s], x, acc); // acc is free until the products below
    r[s] = ri;
    for (let j = 0; j < D; j++) {
      J[s * D + j] = acc[j];
      g[j] += ri * acc[j];
    }
  }
  const scale = 2 / b;
  for (let j = 0; j < D; j++) g[j] *= scale;
  for (let c = 0; c < k; c++) {
    const v = basis.subarray(c * D, (c + 1) * D); // one view per vector: the model's product takes an array
    acc.fill(0);
    for (let s = 0; s < b; s++) {
      const o = s * D;
      let dot = 0;
      for (let j = 0; j < D; j++) dot += J[o + j] * v[j];
      for (let j = 0; j < D; j++) acc[j] += dot * J[o + j];
      if (r[s] !== 0) model.addResidualHessianVector!(batch[s], x, v, r[s], acc);
    }
    const f = eta * scale;
    for (let j = 0; j < D; j++) v[j] -= f * acc[j];
  }
}

/**
 * Pullback sampling of the random attractor A(ω) of SGD: every initial condition in `starts` is run
 * for `steps` steps under the same minibatch sequence (drawn from `stream`, one subset per step),
 * so the end points sample A(ω) at that ω (for GD, |B| = N, they sample the attracting set).
 * Returns the end points of the runs that stayed in ‖x‖ ≤ maxNorm (points × D, row-major) and the
 * indices of those that diverged. Errors: as descentTangent.
 */
export function pullbackSample(
  model: ResidualModel,
  starts: Float64Array[],
  o: { eta: number; batch?: number; steps: number; stream: Stream; maxNorm?: number },
): { points: Float64Array; kept: number; diverged: number[] } {
  requireStep(o.eta);
  const D = model.dim,
    n = model.n,
    b = o.batch ?? n,
    maxNorm = o.maxNorm ?? 1e6;
  requireBatchSize(n, b);
  const perm = Int32Array.from({ length: n }, (_, i) => i),
    batch = perm.subarray(0, b);
  const xs = starts.map((s) => {
    requireLength("start", s, D);
    return Float64Array.from(s);
  });
  const alive = xs.map(() => true),
    g = new Float64Array(D),
    scratch = new Float64Array(D);
  for (let t = 0; t < o.steps; t++) {
    if (b < n) drawSubset(o.stream, perm, b);
    xs.forEach((x, r) => {
      if (!alive[r]) return;
      batchGradient(model, x, batch, g, scratch);
      let norm2 = 0;
      for (let i = 0; i < D; i++) {
        x[i] -= o.eta * g[i];
        norm2 += x[i] * x[i];
      }
      if (!(norm2 <= maxNorm * maxNorm)) alive[r] = false;
    });
  }
  const keep = xs.filter((_, r) => alive[r]);
  const points = new Float64Array(keep.length * D);
  keep.forEach((x, r) => points.set(x, r * D));
  return { points, kept: keep.length, diverged: alive.flatMap((a, r) => (a ? [] : [r])) };
}
