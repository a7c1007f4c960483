import { Stream } from "../random/stream";

/**
 * Increments of the symmetric matrix noise of the RQF, Q = c·(B + Bᵀ) with B an n×n matrix of
 * independent Brownian motions. Two normalisations are in use:
 *   "half"  (c = 1/2, the talk's Q = (B + Bᵀ)/2):   Var dQ_ii = dt,  Var dQ_ij = dt/2 (i ≠ j);
 *   "sqrt2" (c = 1/√2, Q = (B + Bᵀ)/√2, GOE-like):  Var dQ_ii = 2dt, Var dQ_ij = dt.
 * In both, E[dQ_ij dQ_kl] = κ·(dt/2)(δ_ik δ_jl + δ_il δ_jk) with κ = 1 ("half") or 2 ("sqrt2"), so
 * "sqrt2" is "half" run at twice the speed: every rate doubles, every time halves.
 *
 * Only the n(n+1)/2 independent entries are drawn (as B_ij + B_ji is one Gaussian).
 */
export type RqfNormalisation = "half" | "sqrt2";

/** κ: the factor by which the normalisation speeds up time relative to "half". */
export function timeScale(norm: RqfNormalisation): number {
  if (norm !== "half" && norm !== "sqrt2")
    throw new RangeError(`normalisation must be "half" or "sqrt2", got "${String(norm)}"`);
  return norm === "half" ? 1 : 2;
}

/**
 * Fill dq (n×n, row-major, symmetric) with one increment whose diagonal entries have standard
 * deviation sDiag and off-diagonal ones sOff (for a step dt: √(κ dt) and √(κ dt/2)). `normals` is
 * scratch of length ≥ n(n+1)/2. No allocation.
 */
export function fillScaledIncrement(
  stream: Stream,
  n: number,
  sDiag: number,
  sOff: number,
  dq: Float64Array,
  normals: Float64Array,
): void {
  const m = (n * (n + 1)) / 2;
  stream.drawNormals(normals, 0, m);
  let p = 0;
  for (let i = 0; i < n; i++) {
    dq[i * n + i] = sDiag * normals[p++];
    for (let j = i + 1; j < n; j++) {
      const v = sOff * normals[p++];
      dq[i * n + j] = v;
      dq[j * n + i] = v;
    }
  }
}
