// The QR Lyapunov step, d = 3 and d = 10.
import { Stream } from "../../lib/random";
import { QrLyapunov } from "../../lib/lyapunov";
import { bench } from "./harness";
import type { BenchContext } from "./harness";

/** Runs this file's benchmarks into ctx (see the comment at the top). */
export function run(ctx: BenchContext): void {
  for (const d of [3, 10]) {
    const qr = new QrLyapunov(d);
    const m = new Stream(2, d).fillNormal(new Float64Array(d * d));
    for (let i = 0; i < d; i++) m[i * d + i] += 3;
    const steps = d === 3 ? 1 << 19 : 1 << 15;
    ctx.results.push(
      bench(`QrLyapunov.applyMatrix, d = ${d}`, "steps/s", steps, () => {
        for (let i = 0; i < steps; i++) {
          qr.applyMatrix(m);
          qr.resetSums();
        }
      }),
    );
  }
}
