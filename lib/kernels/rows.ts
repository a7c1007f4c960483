import type { FloatArray } from "./precision";

/**
 * Element-wise kernels over [R, n] row-major arrays, as plain JS loops: the references that the
 * WebAssembly kernels of wasm/rows.ts reproduce bit for bit (each column summed over the rows in
 * ascending order from its old value; tested), and the fallback when kernels.wasm is not built.
 * On Float32Array views (the float32 path) they compute in float64 and round on store.
 */

/** acc[c] += Σ_r x[r, c], r ascending: a bias's gradient. */
export function columnSumsJs(x: FloatArray, acc: FloatArray, R: number, n: number): void {
  for (let r = 0; r < R; r++) for (let c = 0; c < n; c++) acc[c] += x[r * n + c];
}

/** x[r, c] *= s[r, c] in place, then acc[c] += Σ_r x[r, c]: a bias's gradient through an element-wise slope (the GELU's). */
export function scaledColumnSumsJs(x: FloatArray, s: FloatArray, acc: FloatArray, R: number, n: number): void {
  for (let r = 0; r < R; r++)
    for (let c = 0; c < n; c++) {
      const v = x[r * n + c] * s[r * n + c];
      x[r * n + c] = v;
      acc[c] += v;
    }
}

/** x[r, c] += y[r, c] + b[c]: a residual branch with its bias. */
export function addBiasedRowsJs(x: FloatArray, y: FloatArray, b: FloatArray, R: number, n: number): void {
  for (let r = 0; r < R; r++) for (let c = 0; c < n; c++) x[r * n + c] += y[r * n + c] + b[c];
}

/** value[i] = max(u[i], 0), slope[i] = 1 where u[i] > 0, else 0: the ReLU and its derivative (0 at the kink, as the tape's `relu`). */
export function reluJs(u: FloatArray, value: FloatArray, slope: FloatArray, n: number): void {
  for (let i = 0; i < n; i++) {
    const x = u[i];
    value[i] = x > 0 ? x : 0;
    slope[i] = x > 0 ? 1 : 0;
  }
}
