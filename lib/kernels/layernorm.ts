import type { FloatArray } from "./precision";

/**
 * Layer norm over the rows of an [R, d] row-major array, forward and backward, as plain JS loops:
 * the references that the WebAssembly kernels of wasm/layernorm.ts reproduce bit for bit (same
 * operations in the same order; tested), and the fallback when kernels.wasm is not built.
 * GptGradient's layer norms run through `KernelArena.layerNormForward` / `layerNormBackward`.
 */

/** Row-wise layer norm (ε = 1e-5, biased variance, as `layerNorm`), keeping x̂ and 1/√(σ² + ε). */
export function layerNormForwardJs(
  x: FloatArray,
  gamma: FloatArray,
  beta: FloatArray,
  xhat: FloatArray,
  rstd: FloatArray,
  y: FloatArray,
  R: number,
  d: number,
): void {
  for (let r = 0; r < R; r++) {
    const o = r * d;
    let mu = 0;
    for (let c = 0; c < d; c++) mu += x[o + c];
    mu /= d;
    let v = 0;
    for (let c = 0; c < d; c++) v += (x[o + c] - mu) ** 2;
    const rs = 1 / Math.sqrt(v / d + 1e-5);
    rstd[r] = rs;
    for (let c = 0; c < d; c++) {
      const h = (x[o + c] - mu) * rs;
      xhat[o + c] = h;
      y[o + c] = h * gamma[c] + beta[c];
    }
  }
}

/** dx += LN's input gradient for output gradient dy; dγ, dβ accumulate. */
export function layerNormBackwardJs(
  dy: FloatArray,
  gamma: FloatArray,
  xhat: FloatArray,
  rstd: FloatArray,
  dGamma: FloatArray,
  dBeta: FloatArray,
  dx: FloatArray,
  R: number,
  d: number,
): void {
  for (let r = 0; r < R; r++) {
    const o = r * d;
    let m1 = 0,
      m2 = 0;
    for (let c = 0; c < d; c++) {
      const g = dy[o + c];
      dGamma[c] += g * xhat[o + c];
      dBeta[c] += g;
      const dh = g * gamma[c];
      m1 += dh;
      m2 += dh * xhat[o + c];
    }
    m1 /= d;
    m2 /= d;
    for (let c = 0; c < d; c++) dx[o + c] += rstd[r] * (dy[o + c] * gamma[c] - m1 - xhat[o + c] * m2);
  }
}
