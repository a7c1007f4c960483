// AssemblyScript source of the float64 matmul kernel of lib/nn (compiled to lib/kernels/kernels.wasm by
// `npm run build:wasm`, which runs on install). Why hand-written: a plain JS triple loop reaches
// ~1 GFLOP/s; this kernel uses WebAssembly SIMD (two doubles per v128) with a 4-row × 4-column
// register block (8 accumulators), which `npm run bench` measures against the JS loop.
//
// Memory layout: the caller copies A (m×k), B (k×n) and C (m×n), row-major f64, into linear
// memory at byte offsets a, b, c; `matmul` computes C = A·B (overwriting C), `matmulAdd` C += A·B
// (each entry's sum over p is formed from zero first, then added: the order of acc += A·B in JS).
// `matmulAddTransposed` computes C += A·B with A stored transposed (a holds Aᵀ, k×m): the weight
// gradient Xᵀ·G of a layer without transposing X first, the same products in the same order.

export function matmul(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32): void {
  product(a, b, c, m, k, n, false, k, 1);
}

export function matmulAdd(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32): void {
  product(a, b, c, m, k, n, true, k, 1);
}

export function matmulAddTransposed(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32): void {
  product(a, b, c, m, k, n, true, 1, m);
}

// A's entry (i, p) is at a + 8·(i·rowStride + p·colStride): (k, 1) row-major, (1, m) transposed.
@inline function product(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, accumulate: bool, rowStride: i32, colStride: i32): void {
  const n2 = n & ~3; // columns handled four at a time
  const m4 = m & ~3;
  let i = 0;
  for (; i < m4; i += 4) {
    let j = 0;
    for (; j < n2; j += 4) {
      let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
      let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
      let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
      let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
      // pointers advance by one column of A and one row of B per step (no index products in the loop)
      const ks = (<usize>rowStride) << 3, ks2 = ks << 1, ks3 = ks2 + ks, ns = (<usize>n) << 3, step = (<usize>colStride) << 3;
      let ap = a + (((<usize>i) * <usize>rowStride) << 3);
      let bp = b + ((<usize>j) << 3);
      const aEnd = ap + (<usize>k) * step;
      for (; ap < aEnd; ap += step, bp += ns) {
        const b0 = v128.load(bp), b1 = v128.load(bp + 16);
        const a0 = v128.load64_splat(ap);
        const a1 = v128.load64_splat(ap + ks);
        const a2 = v128.load64_splat(ap + ks2);
        const a3 = v128.load64_splat(ap + ks3);
        c00 = f64x2.add(c00, f64x2.mul(a0, b0)); c01 = f64x2.add(c01, f64x2.mul(a0, b1));
        c10 = f64x2.add(c10, f64x2.mul(a1, b0)); c11 = f64x2.add(c11, f64x2.mul(a1, b1));
        c20 = f64x2.add(c20, f64x2.mul(a2, b0)); c21 = f64x2.add(c21, f64x2.mul(a2, b1));
        c30 = f64x2.add(c30, f64x2.mul(a3, b0)); c31 = f64x2.add(c31, f64x2.mul(a3, b1));
      }
      const r0 = c + (((<usize>i) * <usize>n + <usize>j) << 3);
      const rs = (<usize>n) << 3;
      if (accumulate) {
        c00 = f64x2.add(v128.load(r0), c00); c01 = f64x2.add(v128.load(r0 + 16), c01);
        c10 = f64x2.add(v128.load(r0 + rs), c10); c11 = f64x2.add(v128.load(r0 + rs + 16), c11);
        c20 = f64x2.add(v128.load(r0 + 2 * rs), c20); c21 = f64x2.add(v128.load(r0 + 2 * rs + 16), c21);
        c30 = f64x2.add(v128.load(r0 + 3 * rs), c30); c31 = f64x2.add(v128.load(r0 + 3 * rs + 16), c31);
      }
      v128.store(r0, c00); v128.store(r0 + 16, c01);
      v128.store(r0 + rs, c10); v128.store(r0 + rs + 16, c11);
      v128.store(r0 + 2 * rs, c20); v128.store(r0 + 2 * rs + 16, c21);
      v128.store(r0 + 3 * rs, c30); v128.store(r0 + 3 * rs + 16, c31);
    }
    for (; j < n; j++) for (let r = i; r < i + 4; r++) scalarEntry(a, b, c, r, j, k, n, accumulate, rowStride, colStride);
  }
  for (; i < m; i++) for (let j = 0; j < n; j++) scalarEntry(a, b, c, i, j, k, n, accumulate, rowStride, colStride);
}

@inline function scalarEntry(a: usize, b: usize, c: usize, i: i32, j: i32, k: i32, n: i32, accumulate: bool, rowStride: i32, colStride: i32): void {
  let s: f64 = 0;
  for (let p = 0; p < k; p++) s += load<f64>(a + (((<usize>i) * <usize>rowStride + (<usize>p) * <usize>colStride) << 3)) * load<f64>(b + (((<usize>p) * <usize>n + <usize>j) << 3));
  const at = c + (((<usize>i) * <usize>n + <usize>j) << 3);
  store<f64>(at, accumulate ? load<f64>(at) + s : s);
}
