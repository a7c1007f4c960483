// Symmetric eigenvalues (issue 5: ≥ 5× ml-matrix at n = 500; issue 13: ≤ 4× LAPACK's time when numpy is here).
import { Matrix, EigenvalueDecomposition } from "ml-matrix";
import { Stream, goe } from "../../lib/random";
import { SymmetricEigen } from "../../lib/linalg";
import { bench } from "./harness";
import type { BenchContext } from "./harness";

/** Runs this file's benchmarks into ctx (see the comment at the top). */
export function run(ctx: BenchContext): void {
  {
    const n = 500,
      a = goe(new Stream(10, 0), n);
    const rows = Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, i * n + n)));
    const solver = new SymmetricEigen(n),
      out = new Float64Array(n);
    const ml = bench(
      "eigenvalues 500×500: ml-matrix EigenvalueDecomposition",
      "matrices/s",
      1,
      () => {
        new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
      },
      3,
    );
    const mine = bench("eigenvalues 500×500: SymmetricEigen (values only)", "matrices/s", 1, () => {
      solver.values(a, out);
    });
    solver.useWasm = false;
    const js = bench(
      "eigenvalues 500×500: SymmetricEigen, JS reduction (no wasm)",
      "matrices/s",
      1,
      () => {
        solver.values(a, out);
      },
      3,
    );
    solver.useWasm = true;
    // issue 5's target (≥ 5× ml-matrix) and issue 13's (≤ 4× LAPACK's time, when numpy is here to measure it)
    ctx.results.push(ml, js, {
      ...mine,
      target: Math.max(5 * ml.rate, ctx.lapack ? 1 / (4 * ctx.lapack.eigvalsh500) : 0),
    });
    console.log(
      `eigenvalues 500×500: SymmetricEigen ${(1e3 / mine.rate).toFixed(1)} ms = ${(mine.rate / ml.rate).toFixed(1)}× ml-matrix, ${(mine.rate / js.rate).toFixed(1)}× its JS reduction` +
        (ctx.lapack
          ? `; LAPACK (numpy eigvalsh, 1 thread) ${(1e3 * ctx.lapack.eigvalsh500).toFixed(1)} ms: SymmetricEigen takes ${(1 / mine.rate / ctx.lapack.eigvalsh500).toFixed(2)}× as long`
          : ""),
    );
    for (const k of [2, 16]) {
      const count = k === 2 ? 1 << 17 : 1 << 13,
        m = goe(new Stream(10, k), k),
        sm = new SymmetricEigen(k),
        o = new Float64Array(k);
      ctx.results.push(
        bench(`eigenvalues ${k}×${k}: one reused SymmetricEigen`, "matrices/s", count, () => {
          for (let i = 0; i < count; i++) sm.values(m, o);
        }),
      );
    }
  }
}
