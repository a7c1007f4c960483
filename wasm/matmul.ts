// AssemblyScript source of the float64 matmul kernel of lib/nn (compiled to lib/kernels/kernels.wasm by
// `npm run build:wasm`, which runs on install). Why hand-written: a plain JS triple loop reaches
// ~1 GFLOP/s; this kernel uses WebAssembly SIMD (two doubles per v128) with a 4-row × 4-column
// register block (8 accumulators), which `npm run bench` measures against the JS loop.
//
// Memory layout: the caller copies A (m×k), B (k×n) and C (m×n), row-major f64, into linear
// memory at byte offsets a, b, c; the kernel computes C = A·B (overwriting C).

export function matmul(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32): void {
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
      for (let p = 0; p < k; p++) {
        const bp = b + (((<usize>p) * <usize>n + <usize>j) << 3);
        const b0 = v128.load(bp), b1 = v128.load(bp + 16);
        const a0 = f64x2.splat(load<f64>(a + (((<usize>i) * <usize>k + <usize>p) << 3)));
        const a1 = f64x2.splat(load<f64>(a + (((<usize>(i + 1)) * <usize>k + <usize>p) << 3)));
        const a2 = f64x2.splat(load<f64>(a + (((<usize>(i + 2)) * <usize>k + <usize>p) << 3)));
        const a3 = f64x2.splat(load<f64>(a + (((<usize>(i + 3)) * <usize>k + <usize>p) << 3)));
        c00 = f64x2.add(c00, f64x2.mul(a0, b0)); c01 = f64x2.add(c01, f64x2.mul(a0, b1));
        c10 = f64x2.add(c10, f64x2.mul(a1, b0)); c11 = f64x2.add(c11, f64x2.mul(a1, b1));
        c20 = f64x2.add(c20, f64x2.mul(a2, b0)); c21 = f64x2.add(c21, f64x2.mul(a2, b1));
        c30 = f64x2.add(c30, f64x2.mul(a3, b0)); c31 = f64x2.add(c31, f64x2.mul(a3, b1));
      }
      const r0 = c + (((<usize>i) * <usize>n + <usize>j) << 3);
      const rs = (<usize>n) << 3;
      v128.store(r0, c00); v128.store(r0 + 16, c01);
      v128.store(r0 + rs, c10); v128.store(r0 + rs + 16, c11);
      v128.store(r0 + 2 * rs, c20); v128.store(r0 + 2 * rs + 16, c21);
      v128.store(r0 + 3 * rs, c30); v128.store(r0 + 3 * rs + 16, c31);
    }
    for (; j < n; j++) for (let r = i; r < i + 4; r++) scalarEntry(a, b, c, r, j, k, n);
  }
  for (; i < m; i++) for (let j = 0; j < n; j++) scalarEntry(a, b, c, i, j, k, n);
}

@inline function scalarEntry(a: usize, b: usize, c: usize, i: i32, j: i32, k: i32, n: i32): void {
  let s: f64 = 0;
  for (let p = 0; p < k; p++) s += load<f64>(a + (((<usize>i) * <usize>k + <usize>p) << 3)) * load<f64>(b + (((<usize>p) * <usize>n + <usize>j) << 3));
  store<f64>(c + (((<usize>i) * <usize>n + <usize>j) << 3), s);
}
