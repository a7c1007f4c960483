import type { FloatArray } from "./precision";
import { wasmHeap, wasmKernel } from "./wasm";

/**
 * Matmul names, one meaning each:
 * - `…Into` (this file): free functions on any Float64Array that copy their operands into the
 *   shared wasm heap, run the kernel there and copy the result into the last array: `matmulInto`
 *   (out = A·B), `addTransposeTimesInto` (acc += Aᵀ·G), `addTimesTransposeInto` (acc += G·Bᵀ);
 *   `transposeInto` transposes (no kernel). The tape's `matmul` op (lib/nn/ops) runs on them.
 * - `KernelArena`'s methods `times` (c = a·b), `addTimes` (c += a·b), `addTransposeTimes` (c += aᵀ·b)
 *   and `addTimesTranspose` (c += a·bᵀ): the same products on an arena's views, in place, no copies
 *   (GptGradient runs on them).
 * - `matmulJs`: the reference loop both are tested against.
 * - `matmul`, `matmulAdd`, `matmulAddTransposed` (and `…32`): the raw exports of kernels.wasm
 *   (wasm/matmul.ts, `Kernel`), reached only through the two families above.
 */

/**
 * The float64 matmul kernel C = A·B: WebAssembly SIMD built from wasm/matmul.ts (AssemblyScript,
 * `npm run build:wasm`, run by `npm install`/`npm ci` through the `prepare` script), with a plain
 * JS loop as fallback when the module is absent. Both accumulate each entry over p = 0…k−1 in the
 * same order without fused multiply-adds, so they agree bit for bit (tested); the wasm one is
 * several times faster (`npm run bench`). Not re-entrant: one shared linear memory.
 */
/** out = A·B for A [m, k] and B [k, n], row-major (out is overwritten). Errors: a RangeError for wrong lengths. */
export function matmulInto(
  a: Float64Array,
  b: Float64Array,
  out: Float64Array,
  m: number,
  k: number,
  n: number,
): Float64Array {
  if (a.length !== m * k || b.length !== k * n || out.length !== m * n)
    throw new RangeError(
      `matmulInto: lengths ${a.length}, ${b.length}, ${out.length} do not fit [${m}, ${k}]·[${k}, ${n}]`,
    );
  const w = wasmKernel();
  if (!w) return matmulJs(a, b, out, m, k, n);
  const heap = wasmHeap(m * k + k * n + m * n);
  heap.set(a, 0);
  heap.set(b, m * k);
  w.matmul(0, 8 * m * k, 8 * (m * k + k * n), m, k, n);
  out.set(heap.subarray(m * k + k * n, m * k + k * n + m * n));
  return out;
}

/** The transpose of the [rows, cols] row-major matrix a, into out ([cols, rows]). */
export function transposeInto<F extends FloatArray>(a: FloatArray, out: F, rows: number, cols: number): F {
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j];
  return out;
}

/**
 * acc += Aᵀ·G for A [m, k] and G [m, n] (acc is [k, n]): the weight gradient of a matmul. A is
 * transposed (memory traffic only; or `aTransposed` is given) so the product runs in the SIMD kernel.
 */
export function addTransposeTimesInto(
  a: Float64Array,
  g: Float64Array,
  acc: Float64Array,
  m: number,
  k: number,
  n: number,
  aTransposed?: Float64Array,
): void {
  const prod = matmulInto(
    aTransposed ?? transposeInto(a, new Float64Array(k * m), m, k),
    g,
    new Float64Array(k * n),
    k,
    m,
    n,
  );
  for (let i = 0; i < prod.length; i++) acc[i] += prod[i];
}

/** acc += G·Bᵀ for G [m, n] and B [k, n] (acc is [m, k]): the input gradient of a matmul, through the SIMD kernel. */
export function addTimesTransposeInto(
  g: Float64Array,
  b: Float64Array,
  acc: Float64Array,
  m: number,
  k: number,
  n: number,
): void {
  const prod = matmulInto(g, transposeInto(b, new Float64Array(n * k), k, n), new Float64Array(m * k), m, n, k);
  for (let i = 0; i < prod.length; i++) acc[i] += prod[i];
}

/** The reference loop (i, j, p order: one accumulator per entry, p ascending; on Float32Array views, sums in float64 rounded on store). */
export function matmulJs<F extends FloatArray>(
  a: FloatArray,
  b: FloatArray,
  out: F,
  m: number,
  k: number,
  n: number,
): F {
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
      out[i * n + j] = s;
    }
  return out;
}
