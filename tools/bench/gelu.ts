// The GELU of the nanoGPT variant: lib/nn/gelu's series (value and slope) against stdlib's erfc + exp, and in WebAssembly.
import { Stream } from "../../lib/random";
import { geluInto, geluKernelTable } from "../../lib/nn";
import { KernelArena } from "../../lib/kernels";
import { normalCdf } from "../../lib/stats";
import { bench } from "./harness";
import type { BenchContext } from "./harness";

/** Runs this file's benchmarks into ctx (see the comment at the top). */
export function run(ctx: BenchContext): void {
  {
    const n = 262144,
      s = new Stream(16, 0),
      u = new Float64Array(n).map(() => s.normal());
    const value = new Float64Array(n),
      slope = new Float64Array(n);
    const series = bench(
      `GELU value + slope, ${n} entries: lib/nn/gelu series (geluInto)`,
      "entries/s",
      n,
      () => geluInto(u, value, slope, n),
      10,
    );
    const reference = bench(
      `GELU value + slope, ${n} entries: stdlib erfc + Math.exp`,
      "entries/s",
      n,
      () => {
        for (let i = 0; i < n; i++) {
          const x = u[i],
            P = normalCdf(x);
          value[i] = x * P;
          slope[i] = P + (x * Math.exp(-0.5 * x * x)) / 2.5066282746310002;
        }
      },
      10,
    );
    ctx.results.push(series, reference);
    console.log(`GELU: the series is ${(series.rate / reference.rate).toFixed(1)}× stdlib's erfc + exp`);
    // the same series in the WebAssembly kernel GptGradient runs (wasm/gelu.ts, two entries per v128)
    const arena = new KernelArena();
    if (arena.wasm) {
      const table0 = geluKernelTable();
      arena.layout(3 * n + table0.length);
      const ku = arena.alloc(n),
        kv = arena.alloc(n),
        ks = arena.alloc(n),
        kt = arena.alloc(table0.length);
      ku.set(u);
      kt.set(table0);
      const kernel = bench(
        `GELU value + slope, ${n} entries: the series in WebAssembly (KernelArena.gelu)`,
        "entries/s",
        n,
        () => arena.gelu(ku, kv, ks, kt, n),
        10,
      );
      ctx.results.push(kernel);
      console.log(
        `GELU: the WebAssembly series is ${(kernel.rate / series.rate).toFixed(1)}× the JS loop (geluInto), the same numbers`,
      );
    }
  }
}
