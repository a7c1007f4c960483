/**
 * The Gram matrix WᵀW of a rows × cols matrix W (row-major), written to `out` (cols × cols,
 * row-major, both triangles). Allocates nothing: callers that need it per step pass their own
 * buffer. Returns `out`.
 */
export function gramMatrix(w: ArrayLike<number>, rows: number, cols: number, out: Float64Array): Float64Array {
  for (let a = 0; a < cols; a++)
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let i = 0; i < rows; i++) s += w[i * cols + a] * w[i * cols + b];
      out[a * cols + b] = s;
      out[b * cols + a] = s;
    }
  return out;
}
