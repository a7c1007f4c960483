import { SymmetricEigen } from "../linalg/symmetric-eigen";
import { requireBatchSize, requireStep } from "../util/validate";
import type { NormalLinearization } from "./linearization";

/** What `meanSquareStability` returns. */
export interface MeanSquareStability {
  /** Spectral radius of T. */
  rho: number;
  /** ½ log ρ: the growth rate of (E|v_n|²)^{1/2}, comparable with λ. */
  exponent: number;
  /** Wu–Ma–E sharpness a = λ_max(Ĥ). */
  sharpness: number;
  /** Wu–Ma–E non-uniformity s = λ_max(Σ)^{1/2}, Σ = (1/N) Σ H_i² − Ĥ². */
  nonUniformity: number;
}

/**
 * Mean-square (second-moment) linear stability of SGD at x*, the notion of Wu, Ma & E (2018):
 * x* is linearly stable if E|v_n|² stays bounded for v_{n+1} = A_B v_n. With S_n = E v_n v_nᵀ,
 *   S_{n+1} = T(S_n),  T(S) = E[A_B S A_B] = S − η(ĤS + SĤ) + η² E[H_B S H_B],
 * and for B uniform of size b among N (P(i ∈ B) = b/N, P(i, j ∈ B) = b(b−1)/(N(N−1))),
 *   E[H_B S H_B] = P/(bN) + (b−1)/(bN(N−1)) · (N² ĤSĤ − P),   P = Σ_i H_i S H_i,
 * with H_i = 2ĝ_iĝ_iᵀ (derived here). T is self-adjoint for the Frobenius product on symmetric
 * matrices and maps the positive cone into itself, so its spectral radius ρ is its top eigenvalue:
 * mean-square stable ⇔ ρ < 1. Jensen gives λ ≤ ½ log ρ, so mean-square stability implies λ < 0 but
 * not conversely: the gap between the two criteria is what notebook 06 looks at.
 *
 * In one dimension ρ = (1 − ηa)² + η² (N−b)/(b(N−1)) s² with a the sharpness and s the
 * non-uniformity below, which is Wu, Ma & E's condition.
 */
export function meanSquareStability(lin: NormalLinearization, eta: number, batch = 1): MeanSquareStability {
  requireStep(eta);
  requireBatchSize(lin.n, batch);
  const r = lin.rank,
    N = lin.n,
    g = lin.g;
  const H = lin.hessian();
  const b = batch;
  const cP = 1 / (b * N) - (N > 1 ? (b - 1) / (b * N * (N - 1)) : 0);
  const cH = N > 1 ? ((b - 1) * N) / (b * (N - 1)) : 0;
  // T applied to a symmetric r×r matrix S (row-major)
  const hs = new Float64Array(r * r),
    hsh = new Float64Array(r * r),
    out = new Float64Array(r * r);
  const apply = (S: Float64Array): Float64Array => {
    mul(H, S, hs, r);
    out.fill(0);
    for (let p = 0; p < r; p++)
      for (let q = 0; q < r; q++) {
        out[p * r + q] = S[p * r + q] - eta * (hs[p * r + q] + hs[q * r + p]);
      }
    // η² [cP · Σ_i 4(ĝ_iᵀSĝ_i) ĝ_iĝ_iᵀ + cH · ĤSĤ]
    for (let i = 0; i < N; i++) {
      const o = i * r;
      let q = 0;
      for (let p = 0; p < r; p++) {
        let t = 0;
        for (let s = 0; s < r; s++) t += S[p * r + s] * g[o + s];
        q += g[o + p] * t;
      }
      const w = eta * eta * cP * 4 * q;
      for (let p = 0; p < r; p++) for (let s = 0; s < r; s++) out[p * r + s] += w * g[o + p] * g[o + s];
    }
    if (cH !== 0) {
      mul(hs, H, hsh, r);
      for (let k = 0; k < r * r; k++) out[k] += eta * eta * cH * hsh[k];
    }
    return out;
  };
  // orthonormal basis of Sym(r): E_pp and (E_pq + E_qp)/√2
  const basis: [number, number][] = [];
  for (let p = 0; p < r; p++) for (let q = p; q < r; q++) basis.push([p, q]);
  const m = basis.length;
  const T = new Float64Array(m * m);
  const S = new Float64Array(r * r);
  basis.forEach(([p, q], beta) => {
    S.fill(0);
    const v = p === q ? 1 : Math.SQRT1_2;
    S[p * r + q] = v;
    S[q * r + p] = v;
    const TS = apply(S);
    basis.forEach(([a, c], alpha) => {
      T[alpha * m + beta] = a === c ? TS[a * r + a] : Math.SQRT2 * TS[a * r + c];
    });
  });
  // T is self-adjoint in this orthonormal basis: its matrix is symmetric up to rounding
  const eig = new SymmetricEigen(m).values(symmetrize(T, m), undefined, Infinity);
  const rho = Math.max(Math.abs(eig[0]), Math.abs(eig[m - 1]));
  return { rho, exponent: 0.5 * Math.log(rho), ...wuMaE(lin, H) };
}

function wuMaE(lin: NormalLinearization, H: Float64Array): { sharpness: number; nonUniformity: number } {
  const r = lin.rank,
    N = lin.n,
    g = lin.g;
  const sigma = new Float64Array(r * r),
    h2 = new Float64Array(r * r);
  // (1/N) Σ H_i², H_i² = 4|ĝ_i|² ĝ_iĝ_iᵀ
  for (let i = 0; i < N; i++) {
    const o = i * r;
    let n2 = 0;
    for (let p = 0; p < r; p++) n2 += g[o + p] ** 2;
    for (let p = 0; p < r; p++) for (let q = 0; q < r; q++) sigma[p * r + q] += (4 * n2 * g[o + p] * g[o + q]) / N;
  }
  mul(H, H, h2, r);
  for (let k = 0; k < r * r; k++) sigma[k] -= h2[k];
  const eig = new SymmetricEigen(r);
  const top = (a: Float64Array) => eig.values(symmetrize(a, r), undefined, Infinity)[r - 1];
  return { sharpness: top(H), nonUniformity: Math.sqrt(Math.max(0, top(sigma))) };
}

/** (A + Aᵀ)/2 in a new array: removes rounding asymmetry before the symmetric eigensolver. */
function symmetrize(a: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let p = 0; p < n; p++) for (let q = 0; q < n; q++) out[p * n + q] = 0.5 * (a[p * n + q] + a[q * n + p]);
  return out;
}

function mul(a: Float64Array, b: Float64Array, out: Float64Array, r: number): void {
  for (let p = 0; p < r; p++)
    for (let q = 0; q < r; q++) {
      let s = 0;
      for (let k = 0; k < r; k++) s += a[p * r + k] * b[k * r + q];
      out[p * r + q] = s;
    }
}
