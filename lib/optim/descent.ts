import type { Stream } from "../random/stream";
import { ResidualModel, allSamples, batchGradient, loss } from "../models/residual-model";
import { drawSubset } from "../random/subset";
import { requireInteger, requireLength, requirePositive, requireBatchSize, requireStep } from "../util/validate";
import { projectOntoMinima } from "../manifold/minima";
import { NormalLinearization } from "../stability/linearization";
import { ROUNDING_FLOOR } from "../stability/finite-time";

/** How a `descend` run ended (see descend). */
export type RunStatus = "converged" | "diverged" | "capped";

/** Options of `descend`. */
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
  /** How a run below the tolerance is confirmed (default "linearized"; see above). */
  confirm?: "linearized" | "kick";
  /** confirm "kick" only: kicks after a confirmation (default 1 for SGD, 0 for GD) and their size (default 1e-6). */
  kicks?: number;
  kickSize?: number;
}

/** What `descend` returns. */
export interface DescentResult {
  status: RunStatus;
  /** Steps taken. */
  steps: number;
  /** Final iterate (last finite one if diverged). */
  x: Float64Array;
  /** Full loss at x. */
  loss: number;
}

/**
 * Gradient descent x ← x − η∇L(x) and minibatch SGD x ← x − η∇L_B(x) (B a uniform subset of size
 * |B|, drawn independently at each step) from one starting point, until one of:
 * - **converged**: L(x_n) ≤ lossTol at every loss check for `confirmSteps` steps in a row, and then
 *   the confirmation below. The limit is within ~√lossTol / |∇r| of M; project x_n onto M
 *   (projectOntoMinima) for the limit point. The full loss is evaluated once per epoch (every
 *   ⌈N/|B|⌉ steps) for SGD, at every step for GD.
 *
 *   Why a confirmation: near a minimum with λ > 0 the log-distance to M is a random walk with
 *   positive drift but large steps (a factor 1 − ηh_B can be close to 0), so it dips below any fixed
 *   tolerance with a probability that is not small. In exact arithmetic it then climbs back. In
 *   floating point a deep dip lands *exactly* on M (every residual rounds to 0), where every later
 *   step is zero: an absorbing state that exact arithmetic does not have, and a run at an unstable
 *   minimum reports "converged".
 *
 *   `confirm: "linearized"` (the default) removes the floor instead of perturbing the run. It
 *   projects x_n onto M (x*), takes the direction of the normal deviation Uᵀ(x_n − x*) (the
 *   diagonal of the normal basis when it is exactly 0), puts it at the rounding floor ROUNDING_FLOOR = 1e-15, and continues it for
 *   `confirmSteps` steps of the exact linearisation v ← A_B(x*)v with the run's own minibatches,
 *   keeping log|v| without a floor. The run is converged if the deviation stays ≤ √lossTol. If it
 *   grows past that, the linear regime is still valid there, so the run continues as SGD from
 *   x* + Uv. This is exactly the finite-time model of `finiteTimeResolution`: a limit with
 *   λ(x*) > δ is confirmed with probability at most its level.
 *
 *   `confirm: "kick"` is the earlier rule: once confirmed, x is displaced by kickSize·ξ and must
 *   converge again, `kicks` times. It is kept for comparison only. A kick of 1e-6 is absorbed again
 *   at an unstable minimum about one time in ten (tested).
 * - **diverged**: a coordinate exceeds divergeNorm in size, or the loss is not finite.
 * - **capped**: maxSteps steps without either (slow convergence near the edge of stability, or an
 *   orbit that neither converges nor escapes).
 * A diverged run never reports NaN: x is the last finite iterate.
 */
export function descend(model: ResidualModel, x0: Float64Array, o: DescentOptions): DescentResult {
  requireStep(o.eta);
  requireLength(`x0 (one entry per parameter, D = ${model.dim})`, x0, model.dim);
  const N = model.n,
    D = model.dim;
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
  const confirm = o.confirm ?? "linearized";
  if (confirm !== "linearized" && confirm !== "kick")
    throw new RangeError(`confirm must be "linearized" or "kick", got "${String(confirm)}"`);
  const kicks = confirm === "kick" ? (o.kicks ?? (b < N ? 1 : 0)) : 0;
  requireInteger("kicks", kicks, 0);
  if (kicks > 0 && !o.stream) throw new TypeError("descend: kicks need a random stream");
  const kickSize = o.kickSize ?? 1e-6;
  requirePositive("kickSize", kickSize);
  let kicked = 0;

  const x = Float64Array.from(x0),
    prev = new Float64Array(D);
  const grad = new Float64Array(D),
    scratch = new Float64Array(D);
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
          if (confirm === "linearized") {
            const c = confirmLinearized(model, x, o.eta, b, o.stream, confirmSteps, lossTol);
            if (c.escapedAt === 0) return { status: "converged", steps: n, x, loss: current };
            n += c.escapedAt;
            below = -1;
            continue;
          }
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

/**
 * The linearised confirmation of `descend` (see there): continue the normal deviation of x from
 * its projection x* on M, restarted at ROUNDING_FLOOR, for `steps` steps of v ← A_B(x*)v. Returns
 * escapedAt = 0 when log|v| stayed ≤ ln √lossTol, or the step at which it passed that; then x is
 * set to x* + Uv, a point the real run can continue from. Minibatches come from `stream` (GD, b = N,
 * uses every sample and no stream).
 */
function confirmLinearized(
  model: ResidualModel,
  x: Float64Array,
  eta: number,
  b: number,
  stream: Stream | undefined,
  steps: number,
  lossTol: number,
): { escapedAt: number } {
  const N = model.n,
    D = model.dim;
  const star = projectOntoMinima(model, x).x;
  const lin = new NormalLinearization(model, star);
  const r = lin.rank,
    U = lin.frame.normal;
  if (r === 0) return { escapedAt: 0 };
  const v = new Float64Array(r);
  for (let k = 0; k < r; k++) {
    let s = 0;
    for (let j = 0; j < D; j++) s += U[k * D + j] * (x[j] - star[j]);
    v[k] = s;
  }
  let norm = Math.hypot(...v);
  if (!(norm > 0)) {
    // absorbed exactly on M: the direction is lost; take the diagonal of the normal basis (any
    // direction off a measure-zero set finds the top exponent), without consuming the stream
    v.fill(1);
    norm = Math.sqrt(r);
  }
  for (let k = 0; k < r; k++) v[k] /= norm;
  const perm = Int32Array.from(allSamples(N));
  const batch = b === N ? allSamples(N) : perm.subarray(0, b);
  const bound = Math.log(Math.sqrt(lossTol));
  let logd = Math.log(ROUNDING_FLOOR);
  for (let n = 1; n <= steps; n++) {
    if (b < N) drawSubset(stream as Stream, perm, b);
    lin.applyBatch(eta, batch, v, 1);
    const m = Math.hypot(...v);
    if (!(m > 0)) return { escapedAt: 0 }; // A_B v = 0 exactly: the deviation is annihilated
    logd += Math.log(m);
    for (let k = 0; k < r; k++) v[k] /= m;
    if (logd > bound) {
      const d = Math.exp(logd);
      for (let j = 0; j < D; j++) {
        let s = 0;
        for (let k = 0; k < r; k++) s += U[k * D + j] * v[k];
        x[j] = star[j] + d * s;
      }
      return { escapedAt: n };
    }
  }
  return { escapedAt: 0 };
}
