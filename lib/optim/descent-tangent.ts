import type { TangentSystem } from "../lyapunov/tangent-system";
import { batchGradient, batchHessian, type ResidualModel } from "../models/residual-model";
import { drawSubset } from "../random/subset";
import type { Stream } from "../random/stream";
import { requireAllFinite, requireBatchSize, requireLength, requirePositive, requireStep } from "../util/validate";

/** A run's orbit left the ball of radius `maxNorm` (or the finite range): GD/SGD diverged there. */
export class DivergedError extends RangeError {
  constructor(readonly step: number, message: string) {
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
 * For small D: the Hessian is formed in full (D² per sample).
 *
 * Errors: RangeErrors for a bad η, batch or x0; a `DivergedError` naming the step when the orbit
 * leaves ‖x‖ ≤ maxNorm (callers record the run as diverged and keep it out of every spectrum).
 */
export function descentTangent(model: ResidualModel, o: DescentTangentOptions): TangentSystem & { readonly x: Float64Array; readonly steps: number } {
  requireStep(o.eta);
  const D = model.dim, n = model.n, b = o.batch ?? n;
  requireBatchSize(n, b);
  const maxNorm = o.maxNorm ?? 1e6;
  requirePositive("maxNorm", maxNorm);
  if (typeof o.x0 !== "function") { requireLength("x0", o.x0, D); requireAllFinite("x0", o.x0); }
  const perm = Int32Array.from({ length: n }, (_, i) => i), batch = perm.subarray(0, b);
  const x = new Float64Array(D), g = new Float64Array(D), scratch = new Float64Array(D), H = new Float64Array(D * D), col = new Float64Array(D);
  let steps = 0;
  return {
    dim: D,
    dt: 1,
    get x() { return x; },
    get steps() { return steps; },
    start(stream: Stream) {
      x.set(typeof o.x0 === "function" ? o.x0(stream.child("init")) : o.x0);
      requireAllFinite("x0", x);
      for (let i = 0; i < n; i++) perm[i] = i;
      steps = 0;
    },
    advance(basis: Float64Array, k: number, stream: Stream) {
      if (b < n) drawSubset(stream, perm, b);
      batchHessian(model, x, batch, H, scratch);
      for (let c = 0; c < k; c++) {
        const v = basis.subarray(c * D, (c + 1) * D);
        for (let i = 0; i < D; i++) { let s = 0; for (let j = 0; j < D; j++) s += H[i * D + j] * v[j]; col[i] = v[i] - o.eta * s; }
        v.set(col);
      }
      batchGradient(model, x, batch, g, scratch);
      let norm2 = 0;
      for (let i = 0; i < D; i++) { x[i] -= o.eta * g[i]; norm2 += x[i] * x[i]; }
      steps++;
      if (!(norm2 <= maxNorm * maxNorm)) throw new DivergedError(steps, `descentTangent: the orbit diverged at step ${steps} (‖x‖ = ${Math.sqrt(norm2)} > ${maxNorm})`);
    },
  };
}

/**
 * Pullback sampling of the random attractor A(ω) of SGD: every initial condition in `starts` is run
 * for `steps` steps under the same minibatch sequence (drawn from `stream`, one subset per step),
 * so the end points sample A(ω) at that ω (for GD, |B| = N, they sample the attracting set).
 * Returns the end points of the runs that stayed in ‖x‖ ≤ maxNorm (points × D, row-major) and the
 * indices of those that diverged. Errors: as descentTangent.
 */
export function pullbackSample(model: ResidualModel, starts: Float64Array[], o: { eta: number; batch?: number; steps: number; stream: Stream; maxNorm?: number }): { points: Float64Array; kept: number; diverged: number[] } {
  requireStep(o.eta);
  const D = model.dim, n = model.n, b = o.batch ?? n, maxNorm = o.maxNorm ?? 1e6;
  requireBatchSize(n, b);
  const perm = Int32Array.from({ length: n }, (_, i) => i), batch = perm.subarray(0, b);
  const xs = starts.map((s) => { requireLength("start", s, D); return Float64Array.from(s); });
  const alive = xs.map(() => true), g = new Float64Array(D), scratch = new Float64Array(D);
  for (let t = 0; t < o.steps; t++) {
    if (b < n) drawSubset(o.stream, perm, b);
    xs.forEach((x, r) => {
      if (!alive[r]) return;
      batchGradient(model, x, batch, g, scratch);
      let norm2 = 0;
      for (let i = 0; i < D; i++) { x[i] -= o.eta * g[i]; norm2 += x[i] * x[i]; }
      if (!(norm2 <= maxNorm * maxNorm)) alive[r] = false;
    });
  }
  const keep = xs.filter((_, r) => alive[r]);
  const points = new Float64Array(keep.length * D);
  keep.forEach((x, r) => points.set(x, r * D));
  return { points, kept: keep.length, diverged: alive.flatMap((a, r) => (a ? [] : [r])) };
}
