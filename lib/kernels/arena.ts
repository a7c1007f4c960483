import { wasmInstance, type Kernel } from "./wasm";
import { matmulJs, transposeInto } from "./matmul";
import { causalScoresJs, causalTimesJs, causalTransposeTimesJs } from "./attention";
import { addBiasedRowsJs, columnSumsJs, reluJs, scaledColumnSumsJs } from "./rows";
import { layerNormBackwardJs, layerNormForwardJs } from "./layernorm";
import { causalSoftmaxBackwardJs, causalSoftmaxJs } from "./softmax";
import { bytesPer, requirePrecision, type FloatArray, type Precision } from "./precision";

/**
 * Working memory for a computation made of many kernel calls (GptGradient's forward and backward
 * passes): views carved out of a private WebAssembly instance's linear memory, so that the kernels
 * run on the arrays in place, without the copies in and out of a shared heap that `matmulInto`
 * makes (they were a seventh of a training step). Without kernels.wasm (or with `{ wasm: false }`)
 * the views are ordinary arrays and the same operations run as JS loops.
 *
 * Precision: "float64" (default) gives Float64Array views and the float64 kernels, which agree
 * with the JS loops bit for bit (tested); "float32" gives Float32Array views and the float32
 * kernels (wasm/*32.ts: float32 arithmetic, four numbers per v128), whose JS fallback is the same
 * loops on Float32Array views (sums in float64, rounded on store: within float32 rounding of the
 * kernels, tested). The type parameter names the views' type: `new KernelArena<Float32Array>({
 * precision: "float32" })` (checked at run time, as is every array handed to an operation).
 *
 * Use: `layout(numbers)` once for the total size, then `alloc(n)` for each buffer; a later
 * `layout` invalidates every earlier view. Operations require their arrays to be this arena's
 * views (checked: a RangeError otherwise). Not re-entrant (one memory per arena).
 */
export class KernelArena<F extends FloatArray = Float64Array> {
  readonly precision: Precision;
  private readonly kernel: Kernel | null;
  private readonly f32: boolean;
  private used = 0;
  private capacity = 0;

  /** Options: wasm (default true when kernels.wasm is built; false forces the JS loops), precision (default "float64"). Errors: a RangeError for an unknown precision. */
  constructor(o: { wasm?: boolean; precision?: Precision } = {}) {
    this.precision = requirePrecision("KernelArena precision", o.precision ?? "float64");
    this.f32 = this.precision === "float32";
    this.kernel = o.wasm === false ? null : wasmInstance();
  }

  /** Whether the operations run in WebAssembly. */
  get wasm(): boolean {
    return this.kernel !== null;
  }

  /** Makes room for `numbers` numbers in all, zeroed, and forgets every earlier view. */
  layout(numbers: number): void {
    this.used = 0;
    this.capacity = numbers;
    if (!this.kernel) return;
    const mem = this.kernel.memory,
      need = bytesPer(this.precision) * numbers,
      have = mem.buffer.byteLength;
    if (need > have) mem.grow(Math.ceil((need - have) / 65536));
    new Uint8Array(mem.buffer, 0, need).fill(0);
  }

  /** A zeroed view of n numbers. Errors: a RangeError beyond the size given to `layout`. */
  alloc(n: number): F {
    if (this.used + n > this.capacity)
      throw new RangeError(`KernelArena: ${this.used} + ${n} numbers exceed the layout's ${this.capacity}`);
    let v: FloatArray;
    if (this.kernel)
      v = this.f32
        ? new Float32Array(this.kernel.memory.buffer, 4 * this.used, n)
        : new Float64Array(this.kernel.memory.buffer, 8 * this.used, n);
    else v = this.f32 ? new Float32Array(n) : new Float64Array(n);
    this.used += n;
    return v as F;
  }

  /** c = a·b for a [m, k], b [k, n], c [m, n] row-major (kernels.wasm's `matmul`; the JS fallback is `matmulJs`). */
  times(a: F, b: F, c: F, m: number, k: number, n: number): void {
    this.require(a, m * k);
    this.require(b, k * n);
    this.require(c, m * n);
    const K = this.kernel;
    if (K) (this.f32 ? K.matmul32 : K.matmul)(a.byteOffset, b.byteOffset, c.byteOffset, m, k, n);
    else matmulJs(a, b, c, m, k, n);
  }

  /** c += a·b for a [m, k], b [k, n], c [m, n] row-major: each entry's sum formed from zero, then added (kernels.wasm's `matmulAdd`). */
  addTimes(a: F, b: F, c: F, m: number, k: number, n: number): void {
    this.require(a, m * k);
    this.require(b, k * n);
    this.require(c, m * n);
    const K = this.kernel;
    if (K) (this.f32 ? K.matmulAdd32 : K.matmulAdd)(a.byteOffset, b.byteOffset, c.byteOffset, m, k, n);
    else addProductJs(a, b, c, m, k, n, k, 1);
  }

  /**
   * c += aᵀ·b for a [m, k], b [m, n], c [k, n] row-major (each entry's sum over the m rows formed
   * from zero, then added): a layer's weight gradient Xᵀ·G without transposing X first; the same
   * numbers as transposing a and calling `addTimes` (kernels.wasm's `matmulAddTransposed`).
   */
  addTransposeTimes(a: F, b: F, c: F, m: number, k: number, n: number): void {
    this.require(a, m * k);
    this.require(b, m * n);
    this.require(c, k * n);
    const K = this.kernel;
    if (K)
      (this.f32 ? K.matmulAddTransposed32 : K.matmulAddTransposed)(a.byteOffset, b.byteOffset, c.byteOffset, k, m, n);
    else addProductJs(a, b, c, k, m, n, 1, k);
  }
  /**
   * c += a·bᵀ for a [m, n], b [k, n], c [m, k] row-major: a layer's input gradient G·Wᵀ. b is
   * transposed into `scratch` (this arena's view of at least n·k numbers, overwritten), then
   * `addTimes` runs: the same numbers as transposing b yourself.
   */
  addTimesTranspose(a: F, b: F, c: F, m: number, k: number, n: number, scratch: F): void {
    this.require(b, k * n);
    if (scratch.length < n * k)
      throw new RangeError(
        `KernelArena.addTimesTranspose: scratch holds ${scratch.length} numbers, ${n * k} are needed`,
      );
    const bT = scratch.subarray(0, n * k) as F;
    this.addTimes(a, transposeInto(b, bT, k, n), c, m, n, k);
  }

  /** p = scale·x·yᵀ on the causal part, per (sequence, head): lib/kernels/attention.ts's causalScoresJs. `scratch` holds s·T numbers. */
  causalScores(x: F, y: F, p: F, scratch: F, B: number, T: number, H: number, s: number, scale: number): void {
    this.require(x, B * T * H * s);
    this.require(y, B * T * H * s);
    this.require(p, B * H * T * T);
    this.require(scratch, s * T);
    const K = this.kernel;
    if (K)
      (this.f32 ? K.causalScores32 : K.causalScores)(
        x.byteOffset,
        y.byteOffset,
        p.byteOffset,
        scratch.byteOffset,
        B,
        T,
        H,
        s,
        scale,
      );
    else causalScoresJs(x, y, p, B, T, H, s, scale);
  }

  /** o = p·y with p causal, per (sequence, head): causalTimesJs. */
  causalTimes(p: F, y: F, o: F, B: number, T: number, H: number, s: number): void {
    this.require(p, B * H * T * T);
    this.require(y, B * T * H * s);
    this.require(o, B * T * H * s);
    const K = this.kernel;
    if (K) (this.f32 ? K.causalTimes32 : K.causalTimes)(p.byteOffset, y.byteOffset, o.byteOffset, B, T, H, s);
    else causalTimesJs(p, y, o, B, T, H, s);
  }

  /** o = pᵀ·x with p causal, per (sequence, head): causalTransposeTimesJs. */
  causalTransposeTimes(p: F, x: F, o: F, B: number, T: number, H: number, s: number): void {
    this.require(p, B * H * T * T);
    this.require(x, B * T * H * s);
    this.require(o, B * T * H * s);
    const K = this.kernel;
    if (K)
      (this.f32 ? K.causalTransposeTimes32 : K.causalTransposeTimes)(
        p.byteOffset,
        x.byteOffset,
        o.byteOffset,
        B,
        T,
        H,
        s,
      );
    else causalTransposeTimesJs(p, x, o, B, T, H, s);
  }

  /** Row-wise softmax over the causal part of each T × T block of p, in place (entries j > i set to 0): lib/kernels/softmax.ts's causalSoftmaxJs, in float32 the kernel of wasm/softmax32.ts. */
  causalSoftmax(p: F, blocks: number, T: number): void {
    this.require(p, blocks * T * T);
    if (this.kernel && this.f32) this.kernel.causalSoftmax32(p.byteOffset, blocks, T);
    else causalSoftmaxJs(p, blocks, T);
  }

  /** dS = P⊙(dP − rowsum(P⊙dP))·scale on the causal part, in place of dp: causalSoftmaxBackwardJs, in float32 the kernel of wasm/softmax32.ts. */
  causalSoftmaxBackward(p: F, dp: F, blocks: number, T: number, scale: number): void {
    this.require(p, blocks * T * T);
    this.require(dp, blocks * T * T);
    if (this.kernel && this.f32) this.kernel.causalSoftmaxBackward32(p.byteOffset, dp.byteOffset, blocks, T, scale);
    else causalSoftmaxBackwardJs(p, dp, blocks, T, scale);
  }

  /** acc[c] += Σ_r x[r, c] for x [R, n] (r ascending): lib/kernels/rows.ts's columnSumsJs. */
  columnSums(x: F, acc: F, R: number, n: number): void {
    this.require(x, R * n);
    this.require(acc, n);
    const K = this.kernel;
    if (K) (this.f32 ? K.columnSums32 : K.columnSums)(x.byteOffset, acc.byteOffset, R, n);
    else columnSumsJs(x, acc, R, n);
  }

  /** x ⊙= s in place, then acc[c] += Σ_r x[r, c], for x, s [R, n]: scaledColumnSumsJs. */
  scaledColumnSums(x: F, s: F, acc: F, R: number, n: number): void {
    this.require(x, R * n);
    this.require(s, R * n);
    this.require(acc, n);
    const K = this.kernel;
    if (K) (this.f32 ? K.scaledColumnSums32 : K.scaledColumnSums)(x.byteOffset, s.byteOffset, acc.byteOffset, R, n);
    else scaledColumnSumsJs(x, s, acc, R, n);
  }

  /** x[r, c] += y[r, c] + b[c] for x, y [R, n], b [n]: addBiasedRowsJs. */
  addBiasedRows(x: F, y: F, b: F, R: number, n: number): void {
    this.require(x, R * n);
    this.require(y, R * n);
    this.require(b, n);
    const K = this.kernel;
    if (K) (this.f32 ? K.addBiasedRows32 : K.addBiasedRows)(x.byteOffset, y.byteOffset, b.byteOffset, R, n);
    else addBiasedRowsJs(x, y, b, R, n);
  }

  /** value = max(u, 0) and slope = [u > 0] for the first n entries: reluJs (bit for bit in both precisions: no rounding). */
  relu(u: F, value: F, slope: F, n: number): void {
    this.require(u, n);
    this.require(value, n);
    this.require(slope, n);
    const K = this.kernel;
    if (K) (this.f32 ? K.relu32 : K.relu)(u.byteOffset, value.byteOffset, slope.byteOffset, n);
    else reluJs(u, value, slope, n);
  }

  /** Row-wise layer norm of x [R, d] (ε = 1e-5, biased variance): x̂, 1/√(σ² + ε) per row and y = x̂⊙γ + β; lib/kernels/layernorm.ts's layerNormForwardJs. The float32 kernel needs d a multiple of 4. */
  layerNormForward(x: F, gamma: F, beta: F, xhat: F, rstd: F, y: F, R: number, d: number): void {
    this.require(x, R * d);
    this.require(gamma, d);
    this.require(beta, d);
    this.require(xhat, R * d);
    this.require(rstd, R);
    this.require(y, R * d);
    const K = this.kernel;
    if (K && (!this.f32 || d % 4 === 0))
      (this.f32 ? K.layerNormForward32 : K.layerNormForward)(
        x.byteOffset,
        gamma.byteOffset,
        beta.byteOffset,
        xhat.byteOffset,
        rstd.byteOffset,
        y.byteOffset,
        R,
        d,
      );
    else layerNormForwardJs(x, gamma, beta, xhat, rstd, y, R, d);
  }

  /** dx += the layer norm's input gradient for output gradient dy, dγ and dβ accumulate: layerNormBackwardJs. */
  layerNormBackward(dy: F, gamma: F, xhat: F, rstd: F, dGamma: F, dBeta: F, dx: F, R: number, d: number): void {
    this.require(dy, R * d);
    this.require(gamma, d);
    this.require(xhat, R * d);
    this.require(rstd, R);
    this.require(dGamma, d);
    this.require(dBeta, d);
    this.require(dx, R * d);
    const K = this.kernel;
    if (K && (!this.f32 || d % 4 === 0))
      (this.f32 ? K.layerNormBackward32 : K.layerNormBackward)(
        dy.byteOffset,
        gamma.byteOffset,
        xhat.byteOffset,
        rstd.byteOffset,
        dGamma.byteOffset,
        dBeta.byteOffset,
        dx.byteOffset,
        R,
        d,
      );
    else layerNormBackwardJs(dy, gamma, xhat, rstd, dGamma, dBeta, dx, R, d);
  }

  /**
   * value[i] = u[i]·Φ(u[i]) and slope[i] = Φ(u[i]) + u[i]·φ(u[i]) for the i < n with u[i] in
   * (−8, 8), from the Taylor table `table` (lib/nn/gelu.ts's geluKernelTable, copied into this
   * arena), in the WebAssembly kernel of wasm/gelu.ts: the numbers of lib/nn/gelu.ts's geluInto,
   * bit for bit. Returns how many entries it left unwritten (outside (−8, 8), or NaN), or −1
   * (nothing written) without kernels.wasm or in float32 (no float32 kernel): the caller then runs
   * geluInto, which handles every entry.
   */
  gelu(u: F, value: F, slope: F, table: F, n: number): number {
    this.require(u, n);
    this.require(value, n);
    this.require(slope, n);
    if (!this.kernel || this.f32) return -1;
    this.require(table, table.length);
    return this.kernel.gelu(u.byteOffset, value.byteOffset, slope.byteOffset, n, table.byteOffset);
  }

  private require(a: FloatArray, n: number): void {
    if (a.length !== n) throw new RangeError(`KernelArena: an array of ${a.length} numbers where ${n} are needed`);
    if (a.BYTES_PER_ELEMENT !== bytesPer(this.precision))
      throw new RangeError(
        `KernelArena: a ${a.BYTES_PER_ELEMENT === 4 ? "float32" : "float64"} array in a ${this.precision} arena`,
      );
    if (this.kernel && a.buffer !== this.kernel.memory.buffer)
      throw new RangeError(
        "KernelArena: an array that is not one of this arena's views (or a view from before the last layout)",
      );
  }
}

/**
 * c += L·b for L [m, k] with entry (i, p) at a[i·rowStride + p·colStride] (row-major: k, 1; a
 * holding Lᵀ: 1, m), b [k, n]: each entry's sum over p formed from zero, then added. The JS
 * fallback of `addTimes` and `addTransposeTimes`, the arithmetic of wasm/matmul.ts's product.
 */
function addProductJs(
  a: FloatArray,
  b: FloatArray,
  c: FloatArray,
  m: number,
  k: number,
  n: number,
  rowStride: number,
  colStride: number,
): void {
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * rowStride + p * colStride] * b[p * n + j];
      c[i * n + j] += s;
    }
}
