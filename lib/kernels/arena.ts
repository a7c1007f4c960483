import { wasmInstance, type Kernel } from "./wasm";
import { matmulJs } from "./matmul";
import { causalScoresJs, causalTimesJs, causalTransposeTimesJs } from "./attention";
import { addBiasedRowsJs, columnSumsJs, scaledColumnSumsJs } from "./rows";
import { layerNormBackwardJs, layerNormForwardJs } from "./layernorm";

/**
 * Working memory for a computation made of many kernel calls (GptGradient's forward and backward
 * passes): Float64Array views carved out of a private WebAssembly instance's linear memory, so
 * that the kernels run on the arrays in place, without the copies in and out of a shared heap
 * that `matmulInto` makes (they were a seventh of a training step). Without kernels.wasm (or
 * with `{ wasm: false }`) the views are ordinary arrays and the same operations run as JS loops
 * that agree with the kernels bit for bit (tested).
 *
 * Use: `layout(doubles)` once for the total size, then `alloc(n)` for each buffer; a later
 * `layout` invalidates every earlier view. Operations require their arrays to be this arena's
 * views (checked: a RangeError otherwise). Not re-entrant (one memory per arena).
 */
export class KernelArena {
  private readonly kernel: Kernel | null;
  private used = 0;
  private capacity = 0;

  /** Options: wasm (default true when kernels.wasm is built; false forces the JS loops). */
  constructor(o: { wasm?: boolean } = {}) {
    this.kernel = o.wasm === false ? null : wasmInstance();
  }

  /** Whether the operations run in WebAssembly. */
  get wasm(): boolean {
    return this.kernel !== null;
  }

  /** Makes room for `doubles` numbers in all, zeroed, and forgets every earlier view. */
  layout(doubles: number): void {
    this.used = 0;
    this.capacity = doubles;
    if (!this.kernel) return;
    const mem = this.kernel.memory, need = 8 * doubles, have = mem.buffer.byteLength;
    if (need > have) mem.grow(Math.ceil((need - have) / 65536));
    new Float64Array(mem.buffer, 0, doubles).fill(0);
  }

  /** A zeroed view of n numbers. Errors: a RangeError beyond the size given to `layout`. */
  alloc(n: number): Float64Array {
    if (this.used + n > this.capacity) throw new RangeError(`KernelArena: ${this.used} + ${n} numbers exceed the layout's ${this.capacity}`);
    const v = this.kernel ? new Float64Array(this.kernel.memory.buffer, 8 * this.used, n) : new Float64Array(n);
    this.used += n;
    return v;
  }

  /** c = a·b (accumulate = false) or c += a·b, for a [m, k], b [k, n], c [m, n] row-major (sums formed from zero, then added). */
  matmul(a: Float64Array, b: Float64Array, c: Float64Array, m: number, k: number, n: number, accumulate = false): void {
    this.require(a, m * k); this.require(b, k * n); this.require(c, m * n);
    if (this.kernel) {
      (accumulate ? this.kernel.matmulAdd : this.kernel.matmul)(a.byteOffset, b.byteOffset, c.byteOffset, m, k, n);
    } else if (!accumulate) {
      matmulJs(a, b, c, m, k, n);
    } else {
      addProductJs(a, b, c, m, k, n, k, 1);
    }
  }

  /**
   * c += aᵀ·b for a [m, k], b [m, n], c [k, n] row-major (each entry's sum over the m rows formed
   * from zero, then added): a layer's weight gradient Xᵀ·G without transposing X first; the same
   * numbers as transposing a and calling `matmul(…, true)`.
   */
  addTransposeTimes(a: Float64Array, b: Float64Array, c: Float64Array, m: number, k: number, n: number): void {
    this.require(a, m * k); this.require(b, m * n); this.require(c, k * n);
    if (this.kernel) this.kernel.matmulAddTransposed(a.byteOffset, b.byteOffset, c.byteOffset, k, m, n);
    else addProductJs(a, b, c, k, m, n, 1, k);
  }

  /** p = scale·x·yᵀ on the causal part, per (sequence, head): lib/kernels/attention.ts's causalScoresJs. `scratch` holds s·T numbers. */
  causalScores(x: Float64Array, y: Float64Array, p: Float64Array, scratch: Float64Array, B: number, T: number, H: number, s: number, scale: number): void {
    this.require(x, B * T * H * s); this.require(y, B * T * H * s); this.require(p, B * H * T * T); this.require(scratch, s * T);
    if (this.kernel) this.kernel.causalScores(x.byteOffset, y.byteOffset, p.byteOffset, scratch.byteOffset, B, T, H, s, scale);
    else causalScoresJs(x, y, p, B, T, H, s, scale);
  }

  /** o = p·y with p causal, per (sequence, head): causalTimesJs. */
  causalTimes(p: Float64Array, y: Float64Array, o: Float64Array, B: number, T: number, H: number, s: number): void {
    this.require(p, B * H * T * T); this.require(y, B * T * H * s); this.require(o, B * T * H * s);
    if (this.kernel) this.kernel.causalTimes(p.byteOffset, y.byteOffset, o.byteOffset, B, T, H, s);
    else causalTimesJs(p, y, o, B, T, H, s);
  }

  /** o = pᵀ·x with p causal, per (sequence, head): causalTransposeTimesJs. */
  causalTransposeTimes(p: Float64Array, x: Float64Array, o: Float64Array, B: number, T: number, H: number, s: number): void {
    this.require(p, B * H * T * T); this.require(x, B * T * H * s); this.require(o, B * T * H * s);
    if (this.kernel) this.kernel.causalTransposeTimes(p.byteOffset, x.byteOffset, o.byteOffset, B, T, H, s);
    else causalTransposeTimesJs(p, x, o, B, T, H, s);
  }

  /** acc[c] += Σ_r x[r, c] for x [R, n] (r ascending): lib/kernels/rows.ts's columnSumsJs. */
  columnSums(x: Float64Array, acc: Float64Array, R: number, n: number): void {
    this.require(x, R * n); this.require(acc, n);
    if (this.kernel) this.kernel.columnSums(x.byteOffset, acc.byteOffset, R, n);
    else columnSumsJs(x, acc, R, n);
  }

  /** x ⊙= s in place, then acc[c] += Σ_r x[r, c], for x, s [R, n]: scaledColumnSumsJs. */
  scaledColumnSums(x: Float64Array, s: Float64Array, acc: Float64Array, R: number, n: number): void {
    this.require(x, R * n); this.require(s, R * n); this.require(acc, n);
    if (this.kernel) this.kernel.scaledColumnSums(x.byteOffset, s.byteOffset, acc.byteOffset, R, n);
    else scaledColumnSumsJs(x, s, acc, R, n);
  }

  /** x[r, c] += y[r, c] + b[c] for x, y [R, n], b [n]: addBiasedRowsJs. */
  addBiasedRows(x: Float64Array, y: Float64Array, b: Float64Array, R: number, n: number): void {
    this.require(x, R * n); this.require(y, R * n); this.require(b, n);
    if (this.kernel) this.kernel.addBiasedRows(x.byteOffset, y.byteOffset, b.byteOffset, R, n);
    else addBiasedRowsJs(x, y, b, R, n);
  }

  /** Row-wise layer norm of x [R, d] (ε = 1e-5, biased variance): x̂, 1/√(σ² + ε) per row and y = x̂⊙γ + β; lib/kernels/layernorm.ts's layerNormForwardJs. */
  layerNormForward(x: Float64Array, gamma: Float64Array, beta: Float64Array, xhat: Float64Array, rstd: Float64Array, y: Float64Array, R: number, d: number): void {
    this.require(x, R * d); this.require(gamma, d); this.require(beta, d); this.require(xhat, R * d); this.require(rstd, R); this.require(y, R * d);
    if (this.kernel) this.kernel.layerNormForward(x.byteOffset, gamma.byteOffset, beta.byteOffset, xhat.byteOffset, rstd.byteOffset, y.byteOffset, R, d);
    else layerNormForwardJs(x, gamma, beta, xhat, rstd, y, R, d);
  }

  /** dx += the layer norm's input gradient for output gradient dy, dγ and dβ accumulate: layerNormBackwardJs. */
  layerNormBackward(dy: Float64Array, gamma: Float64Array, xhat: Float64Array, rstd: Float64Array, dGamma: Float64Array, dBeta: Float64Array, dx: Float64Array, R: number, d: number): void {
    this.require(dy, R * d); this.require(gamma, d); this.require(xhat, R * d); this.require(rstd, R); this.require(dGamma, d); this.require(dBeta, d); this.require(dx, R * d);
    if (this.kernel) this.kernel.layerNormBackward(dy.byteOffset, gamma.byteOffset, xhat.byteOffset, rstd.byteOffset, dGamma.byteOffset, dBeta.byteOffset, dx.byteOffset, R, d);
    else layerNormBackwardJs(dy, gamma, xhat, rstd, dGamma, dBeta, dx, R, d);
  }

  /**
   * value[i] = u[i]·Φ(u[i]) and slope[i] = Φ(u[i]) + u[i]·φ(u[i]) for the i < n with u[i] in
   * (−8, 8), from the Taylor table `table` (lib/nn/gelu.ts's geluKernelTable, copied into this
   * arena), in the WebAssembly kernel of wasm/gelu.ts: the numbers of lib/nn/gelu.ts's geluInto,
   * bit for bit. Returns how many entries it left unwritten (outside (−8, 8), or NaN), or −1
   * (nothing written) without kernels.wasm: the caller then runs geluInto, which handles every entry.
   */
  gelu(u: Float64Array, value: Float64Array, slope: Float64Array, table: Float64Array, n: number): number {
    this.require(u, n); this.require(value, n); this.require(slope, n);
    if (!this.kernel) return -1;
    this.require(table, table.length);
    return this.kernel.gelu(u.byteOffset, value.byteOffset, slope.byteOffset, n, table.byteOffset);
  }

  private require(a: Float64Array, n: number): void {
    if (a.length !== n) throw new RangeError(`KernelArena: an array of ${a.length} numbers where ${n} are needed`);
    if (this.kernel && a.buffer !== this.kernel.memory.buffer) throw new RangeError("KernelArena: an array that is not one of this arena's views (or a view from before the last layout)");
  }
}

/**
 * c += L·b for L [m, k] with entry (i, p) at a[i·rowStride + p·colStride] (row-major: k, 1; a
 * holding Lᵀ: 1, m), b [k, n]: each entry's sum over p formed from zero, then added. The JS
 * fallback of `matmul(…, true)` and `addTransposeTimes`, the arithmetic of wasm/matmul.ts's product.
 */
function addProductJs(a: Float64Array, b: Float64Array, c: Float64Array, m: number, k: number, n: number, rowStride: number, colStride: number): void {
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += a[i * rowStride + p * colStride] * b[p * n + j];
    c[i * n + j] += s;
  }
}
