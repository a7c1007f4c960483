import type { Stream } from "../random/stream";
import { ResidualModel, allSamples, batchGradient, loss, requireBatchSize, requireStep } from "../models/residual-model";
import { drawSubset } from "../random/subset";
import { requireInteger, requireLength, requirePositive } from "../util/validate";

/**
 * Gradient descent x ← x − η∇L(x) and minibatch SGD x ← x − η∇L_B(x) (B a uniform subset of size
 * |B|, drawn independently at each step) from one starting point, until one of:
 * - **converged**: L(x_n) ≤ lossTol at every loss check for `confirmSteps` steps in a row. The
 *   limit is then within ~√lossTol / |∇r| of M; project x_n onto M (projectOntoMinima) for the
 *   limit point. The confirmation matters for SGD: near a minimum with λ > 0 the log-distance to M
 *   is a random walk with positive drift but large steps, so it dips below any fixed tolerance
 *   with a probability that is not small, and then leaves again (measured in notebook 06).
 *   In floating point it can even land exactly on M (residual 0), where every later step is zero:
 *   an absorbing state that exact arithmetic does not have. So SGD runs are **kicked**: once
 *   confirmed, x is displaced by kickSize·ξ (ξ ~ N(0, I) from the run's stream) and must
 *   converge and be confirmed again. A minimum with λ > 0 then loses the run within ~ln(√lossTol /
 *   kickSize)/λ steps. The full loss is evaluated once per epoch (every ⌈N/|B|⌉ steps) for SGD, at
 *   every step for GD.
 * - **diverged**: a coordinate exceeds divergeNorm in size, or the loss is not finite.
 * - **capped**: maxSteps steps without either (slow convergence near the edge of stability, or an
 *   orbit that neither converges nor escapes).
 * A diverged run never reports NaN: x is the last finite iterate.
 */
export type RunStatus = "converged" | "diverged" | "capped";

export interface DescentOptions {
  /** Learning rate η > 0. */
  eta: number;
  /** Minibatch size |B| (default N: full-batch GD). */
  batch?: number;
  /** Random stream for minibatches (required when batch < N). */
  stream?: Stream;
  /** Step cap (default 100 000). */
  maxSteps?: number;
  /** Convergence threshold on the full loss (default 1e-20). */
  lossTol?: number;
  /** Divergence threshold on max |x_j| (default 1e6). */
  divergeNorm?: number;
  /** Steps the loss must stay ≤ lossTol before a run counts as converged (default 1000). */
  confirmSteps?: number;
  /** Kicks after a confirmation (default 1 for SGD, 0 for GD) and their size (default 1e-6). */
  kicks?: number;
  kickSize?: number;
}

export interface DescentResult {
  status: RunStatus;
  /** Steps taken. */
  steps: number;
  /** Final iterate (last finite one if diverged). */
  x: Float64Array;
  /** Full loss at x. */
  loss: number;
}

export function descend(model: ResidualModel, x0: Float64Array, o: DescentOptions): DescentResult {
  requireStep(o.eta);
  requireLength(`x0 (one entry per parameter, D = ${model.dim})`, x0, model.dim);
  const N = model.n, D = model.dim;
  const b = o.batch ?? N;
  requireBatchSize(N, b);
  if (b < N && !o.stream) throw new TypeError("descend: SGD (batch < N) needs a random stream");
  const maxSteps = o.maxSteps ?? 100_000;
  requireInteger("maxSteps", maxSteps, 1);
  const lossTol = o.lossTol ?? 1e-20;
  requirePositive("lossTol", lossTol);
  const divergeNorm = o.divergeNorm ?? 1e6;
  requirePositive("divergeNorm", divergeNorm);
  const confirmSteps = o.confirmSteps ?? 1000;
  requireInteger("confirmSteps", confirmSteps, 0);
  const kicks = o.kicks ?? (b < N ? 1 : 0);
  requireInteger("kicks", kicks, 0);
  if (kicks > 0 && !o.stream) throw new TypeError("descend: kicks need a random stream");
  const kickSize = o.kickSize ?? 1e-6;
  requirePositive("kickSize", kickSize);
  let kicked = 0;

  const x = Float64Array.from(x0), prev = new Float64Array(D);
  const grad = new Float64Array(D), scratch = new Float64Array(D);
  const perm = Int32Array.from(allSamples(N));
  const batch = b === N ? allSamples(N) : perm.subarray(0, b);
  const epoch = Math.ceil(N / b);
  let current = loss(model, x);
  if (!Number.isFinite(current)) throw new RangeError(`descend: the loss at x0 is ${current}`);
  let below = current <= lossTol ? 0 : -1; // step since which every check was ≤ lossTol
  if (below === 0 && confirmSteps === 0) return { status: "converged", steps: 0, x, loss: current };
  for (let n = 1; n <= maxSteps; n++) {
    prev.set(x);
    if (b < N) drawSubset(o.stream as Stream, perm, b);
    const lb = batchGradient(model, x, batch, grad, scratch);
    let big = 0;
    for (let j = 0; j < D; j++) {
      x[j] -= o.eta * grad[j];
      const a = Math.abs(x[j]);
      if (!(a <= big)) big = a; // NaN counts as large
    }
    if (!(big <= divergeNorm) || !Number.isFinite(lb)) {
      x.set(prev);
      return { status: "diverged", steps: n, x, loss: loss(model, x) };
    }
    // GD: lb is L(x_{n−1}), so the new point is only evaluated when the old one was close
    const check = b === N ? lb <= 1e4 * lossTol || below >= 0 : n % epoch === 0;
    if (check) {
      current = loss(model, x);
      if (current <= lossTol) {
        if (below < 0) below = n;
        if (n - below >= confirmSteps) {
          if (kicked === kicks) return { status: "converged", steps: n, x, loss: current };
          kicked++;
          for (let j = 0; j < D; j++) x[j] += kickSize * (o.stream as Stream).normal();
          below = -1;
        }
      } else below = -1;
    }
  }
  return { status: "capped", steps: maxSteps, x, loss: loss(model, x) };
}
