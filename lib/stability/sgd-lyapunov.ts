import type { Stream } from "../random/stream";
import { drawSubset } from "../random/subset";
import type { TangentSystem } from "../lyapunov/tangent-system";
import { NormalLinearization } from "./linearization";
import { requireBatchSize, requireStep } from "../util/validate";
import { requireInteger } from "../util/validate";

/**
 * The SGD linearisation at a global minimum as a TangentSystem for `lyapunovSpectrum`
 * (Chemnitz & Engel): each step multiplies the normal-space tangent vectors by
 *   A_B = I − (2η/|B|) Σ_{i∈B} ĝ_iĝ_iᵀ,
 * minibatches B i.i.d. uniform among the subsets of size |B| (without replacement within a step,
 * independent across steps, as in the theorem's i.i.d. ω). The exponent of the product,
 *   λ(x*) = lim (1/n) log ‖A_{ω_n}(x*) ⋯ A_{ω_1}(x*)‖,
 * decides linear stability of x* under SGD. |B| = N is GD, where λ = μ. dt = 1 (per step).
 *
 * Options: eta, the learning rate (> 0); batch, |B| in 1..N (default 1).
 * Errors: a RangeError for a bad learning rate or batch size.
 */
export function sgdTangent(lin: NormalLinearization, o: { eta: number; batch?: number }): TangentSystem {
  requireStep(o.eta);
  const b = o.batch ?? 1;
  requireBatchSize(lin.n, b);
  const perm = Int32Array.from({ length: lin.n }, (_, i) => i);
  const batch = perm.subarray(0, b);
  return {
    dim: lin.rank,
    dt: 1,
    start() {
      for (let i = 0; i < lin.n; i++) perm[i] = i;
    },
    advance(basis: Float64Array, k: number, stream: Stream) {
      drawSubset(stream, perm, b);
      lin.applyBatch(o.eta, batch, basis, k);
    },
  };
}

/**
 * Exact λ when the normal space is one-dimensional (rank 1): every A_B is the scalar
 * 1 − (2η/|B|) Σ_{i∈B} ĝ_i², so λ = E log|A_B| = the average over all C(N, |B|) subsets
 * (Furstenberg–Kesten reduces to the law of large numbers). −∞ when some A_B = 0.
 */
export function scalarSgdLyapunov(lin: NormalLinearization, eta: number, batch = 1): number {
  if (lin.rank !== 1)
    throw new RangeError(
      `scalarSgdLyapunov needs a one-dimensional normal space, got rank ${lin.rank}; use lyapunovSpectrum(sgdTangent(...))`,
    );
  const g2 = Array.from({ length: lin.n }, (_, i) => lin.g[i] * lin.g[i]);
  return scalarProductExponent(g2, eta, batch);
}

/** E log|1 − (2η/b) Σ_{i∈B} c_i| over uniform subsets B of size b of the curvature list c (= ĝ_i²). */
export function scalarProductExponent(c: number[], eta: number, batch = 1): number {
  requireStep(eta);
  requireInteger(`batch size (N = ${c.length})`, batch, 1, c.length);
  let sum = 0,
    count = 0;
  forEachSubset(c.length, batch, (subset) => {
    let s = 0;
    for (const i of subset) s += c[i];
    sum += Math.log(Math.abs(1 - (2 * eta * s) / batch));
    count++;
  });
  return sum / count;
}

/** Call f with every subset of size b of 0..n−1 (lexicographic; the array is reused). */
export function forEachSubset(n: number, b: number, f: (s: number[]) => void): void {
  const s = Array.from({ length: b }, (_, i) => i);
  let guard = 0;
  for (;;) {
    f(s);
    if (++guard > 5e6) throw new RangeError(`too many subsets C(${n}, ${b}); use lyapunovSpectrum(sgdTangent(...))`);
    let i = b - 1;
    while (i >= 0 && s[i] === n - b + i) i--;
    if (i < 0) return;
    s[i]++;
    for (let j = i + 1; j < b; j++) s[j] = s[j - 1] + 1;
  }
}
