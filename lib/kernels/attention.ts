import type { FloatArray } from "./precision";

/**
 * The causal-attention products of GptGradient, as plain JS loops: the reference that the
 * WebAssembly kernels of wasm/attention.ts reproduce bit for bit (same summation order, tested),
 * and the fallback when kernels.wasm is not built.
 *
 * Layout (row-major): X, Y, O are [B·T, H·s] (sequence b, position t, head h, column c at
 * ((b·T + t)·H + h)·s + c); P is [B, H, T, T], of which only the causal part j ≤ i is read or written.
 */

/** P[b,h,i,j] = scale·Σ_c X[b,i,h,c]·Y[b,j,h,c] for j ≤ i (c ascending): the scaled scores QKᵀ/√s, or dP = dO·Vᵀ with scale 1. */
export function causalScoresJs(
  x: FloatArray,
  y: FloatArray,
  p: FloatArray,
  B: number,
  T: number,
  H: number,
  s: number,
  scale: number,
): void {
  const hs = H * s;
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++) {
      const po = (b * H + h) * T * T;
      for (let i = 0; i < T; i++) {
        const xi = (b * T + i) * hs + h * s;
        for (let j = 0; j <= i; j++) {
          const yj = (b * T + j) * hs + h * s;
          let dot = 0;
          for (let c = 0; c < s; c++) dot += x[xi + c] * y[yj + c];
          p[po + i * T + j] = dot * scale;
        }
      }
    }
}

/** O[b,i,h,·] = Σ_{j ≤ i} P[b,h,i,j]·Y[b,j,h,·] (j ascending, from zero): the attention output P·V, or dQ = dS·K. */
export function causalTimesJs(
  p: FloatArray,
  y: FloatArray,
  o: FloatArray,
  B: number,
  T: number,
  H: number,
  s: number,
): void {
  const hs = H * s;
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++) {
      const po = (b * H + h) * T * T;
      for (let i = 0; i < T; i++) {
        const oi = (b * T + i) * hs + h * s;
        for (let c = 0; c < s; c++) o[oi + c] = 0;
        for (let j = 0; j <= i; j++) {
          const pij = p[po + i * T + j],
            yj = (b * T + j) * hs + h * s;
          for (let c = 0; c < s; c++) o[oi + c] += pij * y[yj + c];
        }
      }
    }
}

/** O[b,j,h,·] = Σ_{i ≥ j} P[b,h,i,j]·X[b,i,h,·] (i ascending, from zero): dV = Pᵀ·dO, or dK = dSᵀ·Q. */
export function causalTransposeTimesJs(
  p: FloatArray,
  x: FloatArray,
  o: FloatArray,
  B: number,
  T: number,
  H: number,
  s: number,
): void {
  const hs = H * s;
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++) {
      const po = (b * H + h) * T * T;
      for (let j = 0; j < T; j++) {
        const oj = (b * T + j) * hs + h * s;
        for (let c = 0; c < s; c++) o[oj + c] = 0;
        for (let i = j; i < T; i++) {
          const pij = p[po + i * T + j],
            xi = (b * T + i) * hs + h * s;
          for (let c = 0; c < s; c++) o[oj + c] += pij * x[xi + c];
        }
      }
    }
}
