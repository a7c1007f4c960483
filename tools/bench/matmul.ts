// The float64 matmul at 256³ (issue 13's target: ≥ 8 GFLOP/s on one thread): the wasm SIMD kernel against the
// plain JS loop, ml-matrix and (when numpy is here) OpenBLAS on one thread.
import { Matrix } from "ml-matrix";
import { Stream } from "../../lib/random";
import { matmulInto, matmulJs } from "../../lib/kernels";
import { bench } from "./harness";
import type { BenchContext } from "./harness";

/** Runs this file's benchmarks into ctx (see the comment at the top). */
export function run(ctx: BenchContext): void {
  {
    const n = 256,
      flops = 2 * n * n * n;
    const A = new Stream(12, 0).fillNormal(new Float64Array(n * n)),
      B = new Stream(12, 1).fillNormal(new Float64Array(n * n)),
      C = new Float64Array(n * n);
    const wasm = bench("matmul 256³ float64: lib/nn wasm SIMD kernel", "flop/s", flops, () =>
      matmulInto(A, B, C, n, n, n),
    );
    const js = bench("matmul 256³ float64: plain JS triple loop", "flop/s", flops, () => matmulJs(A, B, C, n, n, n));
    const MA = new Matrix(n, n),
      MB = new Matrix(n, n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        MA.set(i, j, A[i * n + j]);
        MB.set(i, j, B[i * n + j]);
      }
    const ml = bench("matmul 256³ float64: ml-matrix mmul", "flop/s", flops, () => MA.mmul(MB));
    ctx.results.push({ ...wasm, target: 8e9 }, js, ml);
    console.log(
      `matmul 256³: wasm ${(wasm.rate / 1e9).toFixed(1)} GFLOP/s = ${(wasm.rate / js.rate).toFixed(1)}× the JS loop, ${(wasm.rate / ml.rate).toFixed(1)}× ml-matrix` +
        (ctx.lapack ? `; OpenBLAS (numpy, 1 thread) ${(flops / ctx.lapack.matmul256 / 1e9).toFixed(1)} GFLOP/s` : ""),
    );
  }
}
