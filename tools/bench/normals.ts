// Standard normals (the ziggurat; target 80 M/s on one core) and uniforms, against seedrandom + Box–Muller.
import seedrandom from "seedrandom";
import { Stream } from "../../lib/random";
import { bench } from "./harness";
import type { BenchContext } from "./harness";

/** Runs this file's benchmarks into ctx (see the comment at the top). */
export function run(ctx: BenchContext): void {
  const N = 1 << 22;
  const BLOCK = 1 << 16;
  const buf = new Float64Array(BLOCK);

  // 1. Standard normals: the ziggurat (target: 80 M/s on one core).
  const s = new Stream(1, 0);
  ctx.results.push({
    ...bench("normals: Stream.fillNormal, blocks of 2^16", "normals/s", N, () => {
      for (let r = 0; r < N / BLOCK; r++) s.fillNormal(buf);
    }),
    target: 80e6,
  });
  {
    const big = new Float64Array(N); // one 32 MB block: memory-bound, for reference
    ctx.results.push(bench("normals: Stream.fillNormal, one block of 2^22", "normals/s", N, () => s.fillNormal(big)));
  }
  ctx.results.push(
    bench("normals: Stream.normal() one at a time", "normals/s", N, () => {
      let acc = 0;
      for (let i = 0; i < N; i++) acc += s.normal();
      buf[0] = acc;
    }),
  );
  // Why hand-written: the same job with seedrandom's generator and Box–Muller.
  const sr = seedrandom("bench");
  ctx.results.push(
    bench("normals: seedrandom (ARC4) + Box–Muller, for comparison", "normals/s", BLOCK, () => {
      for (let i = 0; i < BLOCK; i += 2) {
        const r = Math.sqrt(-2 * Math.log(1 - sr())),
          t = 2 * Math.PI * sr();
        buf[i] = r * Math.cos(t);
        buf[i + 1] = r * Math.sin(t);
      }
    }),
  );
  ctx.results.push(
    bench("uniforms: Stream.fillUniform (53-bit)", "uniforms/s", N, () => {
      for (let r = 0; r < N / BLOCK; r++) s.fillUniform(buf);
    }),
  );
}
