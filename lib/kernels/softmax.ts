import type { FloatArray } from "./precision";

/**
 * The causal softmaxes of GptGradient's attention, forward and backward, as plain JS loops: the
 * float64 path (these are its arithmetic), and the fallback of the float32 kernels of
 * wasm/softmax32.ts (which use a polynomial exp on four lanes; within float32 rounding of these,
 * tested). Layout: p and dp are [blocks, T, T] row-major; only the causal part j ≤ i is read.
 */

/** Row-wise softmax over the causal part j ≤ i of each T × T block of p (in place; entries j > i set to 0). */
export function causalSoftmaxJs(p: FloatArray, blocks: number, T: number): void {
  for (let bh = 0; bh < blocks; bh++)
    for (let i = 0; i < T; i++) {
      const o = (bh * T + i) * T;
      let m = -Infinity;
      for (let j = 0; j <= i; j++) if (p[o + j] > m) m = p[o + j];
      let z = 0;
      for (let j = 0; j <= i; j++) z += p[o + j] = Math.exp(p[o + j] - m);
      for (let j = 0; j <= i; j++) p[o + j] /= z;
      for (let j = i + 1; j < T; j++) p[o + j] = 0;
    }
}

/** dS = P⊙(dP − rowsum(P⊙dP))·scale on the causal part, in place of dP (the softmax's backward, times the score scale). */
export function causalSoftmaxBackwardJs(p: FloatArray, dp: FloatArray, blocks: number, T: number, scale: number): void {
  for (let bh = 0; bh < blocks; bh++)
    for (let i = 0; i < T; i++) {
      const o = (bh * T + i) * T;
      let dot = 0;
      for (let j = 0; j <= i; j++) dot += p[o + j] * dp[o + j];
      for (let j = 0; j <= i; j++) dp[o + j] = p[o + j] * (dp[o + j] - dot) * scale;
    }
}
