// AssemblyScript source of the float32 matmul kernels of lib/nn's GptGradient in float32
// (compiled into lib/kernels/kernels.wasm by `npm run build:wasm`). Why hand-written: float32
// training (the talk trained in PyTorch's float32) puts four numbers in a v128 where float64 puts
// two, so the same register block does twice the arithmetic per instruction. Arithmetic is
// float32 throughout (products and sums rounded to float32 at every step, as PyTorch's sgemm
// does up to its summation order); each entry's sum over p is formed from zero in ascending p,
// with no fused multiply-add, then added to C when accumulating. lib/kernels/matmul.ts's matmulJs
// is the JS fallback on Float32Array views (sums in float64, rounded once on store: within the
// float32 rounding bound of these kernels, tested).
//
// Register block: 4 rows × 8 columns (two f32x4 per row, eight accumulators), the shape of the
// float64 kernel of wasm/matmul.ts; then four columns, then single entries at the right and
// bottom edges. Memory layout: row-major f32 at byte offsets a, b, c; `matmulAddTransposed32`
// reads A stored transposed (a holds Aᵀ, k×m), for weight gradients Xᵀ·G.

export function matmul32(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32): void {
  product32(a, b, c, m, k, n, false, k, 1);
}

export function matmulAdd32(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32): void {
  product32(a, b, c, m, k, n, true, k, 1);
}

export function matmulAddTransposed32(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32): void {
  product32(a, b, c, m, k, n, true, 1, m);
}

// A's entry (i, p) is at a + 4·(i·rowStride + p·colStride): (k, 1) row-major, (1, m) transposed.
@inline function product32(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, accumulate: bool, rowStride: i32, colStride: i32): void {
  const n8 = n & ~7, n4 = n & ~3, m4 = m & ~3;
  const ks = (<usize>rowStride) << 2, ks2 = ks << 1, ks3 = ks2 + ks, ns = (<usize>n) << 2, step = (<usize>colStride) << 2;
  const rs = (<usize>n) << 2;
  let i = 0;
  for (; i < m4; i += 4) {
    const aRow = a + (((<usize>i) * <usize>rowStride) << 2), aEnd = aRow + (<usize>k) * step;
    let j = 0;
    for (; j < n8; j += 8) {
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
      let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
      let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      let bp = b + ((<usize>j) << 2);
      for (let ap = aRow; ap < aEnd; ap += step, bp += ns) {
        const b0 = v128.load(bp), b1 = v128.load(bp + 16);
        const a0 = v128.load32_splat(ap);
        const a1 = v128.load32_splat(ap + ks);
        const a2 = v128.load32_splat(ap + ks2);
        const a3 = v128.load32_splat(ap + ks3);
        c00 = f32x4.add(c00, f32x4.mul(a0, b0)); c01 = f32x4.add(c01, f32x4.mul(a0, b1));
        c10 = f32x4.add(c10, f32x4.mul(a1, b0)); c11 = f32x4.add(c11, f32x4.mul(a1, b1));
        c20 = f32x4.add(c20, f32x4.mul(a2, b0)); c21 = f32x4.add(c21, f32x4.mul(a2, b1));
        c30 = f32x4.add(c30, f32x4.mul(a3, b0)); c31 = f32x4.add(c31, f32x4.mul(a3, b1));
      }
      const r0 = c + (((<usize>i) * <usize>n + <usize>j) << 2);
      if (accumulate) {
        c00 = f32x4.add(v128.load(r0), c00); c01 = f32x4.add(v128.load(r0 + 16), c01);
        c10 = f32x4.add(v128.load(r0 + rs), c10); c11 = f32x4.add(v128.load(r0 + rs + 16), c11);
        c20 = f32x4.add(v128.load(r0 + 2 * rs), c20); c21 = f32x4.add(v128.load(r0 + 2 * rs + 16), c21);
        c30 = f32x4.add(v128.load(r0 + 3 * rs), c30); c31 = f32x4.add(v128.load(r0 + 3 * rs + 16), c31);
      }
      v128.store(r0, c00); v128.store(r0 + 16, c01);
      v128.store(r0 + rs, c10); v128.store(r0 + rs + 16, c11);
      v128.store(r0 + 2 * rs, c20); v128.store(r0 + 2 * rs + 16, c21);
      v128.store(r0 + 3 * rs, c30); v128.store(r0 + 3 * rs + 16, c31);
    }
    for (; j < n4; j += 4) {
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
      let bp = b + ((<usize>j) << 2);
      for (let ap = aRow; ap < aEnd; ap += step, bp += ns) {
        const b0 = v128.load(bp);
        c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(ap), b0));
        c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(ap + ks), b0));
        c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(ap + ks2), b0));
        c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(ap + ks3), b0));
      }
      const r0 = c + (((<usize>i) * <usize>n + <usize>j) << 2);
      if (accumulate) {
        c0 = f32x4.add(v128.load(r0), c0); c1 = f32x4.add(v128.load(r0 + rs), c1);
        c2 = f32x4.add(v128.load(r0 + 2 * rs), c2); c3 = f32x4.add(v128.load(r0 + 3 * rs), c3);
      }
      v128.store(r0, c0); v128.store(r0 + rs, c1); v128.store(r0 + 2 * rs, c2); v128.store(r0 + 3 * rs, c3);
    }
    for (; j < n; j++) for (let r = i; r < i + 4; r++) scalarEntry32(a, b, c, r, j, k, n, accumulate, rowStride, colStride);
  }
  for (; i < m; i++) for (let j = 0; j < n; j++) scalarEntry32(a, b, c, i, j, k, n, accumulate, rowStride, colStride);
}

@inline function scalarEntry32(a: usize, b: usize, c: usize, i: i32, j: i32, k: i32, n: i32, accumulate: bool, rowStride: i32, colStride: i32): void {
  let s: f32 = 0;
  for (let p = 0; p < k; p++) s += load<f32>(a + (((<usize>i) * <usize>rowStride + (<usize>p) * <usize>colStride) << 2)) * load<f32>(b + (((<usize>p) * <usize>n + <usize>j) << 2));
  const at = c + (((<usize>i) * <usize>n + <usize>j) << 2);
  store<f32>(at, accumulate ? load<f32>(at) + s : s);
}
