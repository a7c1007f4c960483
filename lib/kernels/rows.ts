/**
 * Element-wise kernels over [R, n] row-major arrays, as plain JS loops: the references that the
 * WebAssembly kernels of wasm/rows.ts reproduce bit for bit (each column summed over the rows in
 * ascending order from its old value; tested), and the fallback when kernels.wasm is not built.
 */

/** acc[c] += Σ_r x[r, c], r ascending: a bias's gradient. */
export function columnSumsJs(x: Float64Array, acc: Float64Array, R: number, n: number): void {
  for (let r = 0; r < R; r++) for (let c = 0; c < n; c++) acc[c] += x[r * n + c];
}

/** x[r, c] *= s[r, c] in place, then acc[c] += Σ_r x[r, c]: a bias's gradient through an element-wise slope (the GELU's). */
export function scaledColumnSumsJs(x: Float64Array, s: Float64Array, acc: Float64Array, R: number, n: number): void {
  for (let r = 0; r < R; r++) for (let c = 0; c < n; c++) {
    const v = x[r * n + c] * s[r * n + c];
    x[r * n + c] = v;
    acc[c] += v;
  }
}

/** x[r, c] += y[r, c] + b[c]: a residual branch with its bias. */
export function addBiasedRowsJs(x: Float64Array, y: Float64Array, b: Float64Array, R: number, n: number): void {
  for (let r = 0; r < R; r++) for (let c = 0; c < n; c++) x[r * n + c] += y[r * n + c] + b[c];
}
