// Heun steps of a scalar SDE (the pitchfork).
import { Stream } from "../../lib/random";
import { SdeIntegrator } from "../../lib/sde";
import { pitchfork } from "../../lib/models";
import { bench } from "./harness";
import type { BenchContext } from "./harness";

/** Runs this file's benchmarks into ctx (see the comment at the top). */
export function run(ctx: BenchContext): void {
  {
    const heun = new SdeIntegrator(pitchfork(1, 1), "heun");
    const steps = 1 << 20;
    const dW = new Stream(3, 0).fillNormal(new Float64Array(steps)).map((z) => 0.05 * z);
    ctx.results.push(
      bench("SdeIntegrator heun, pitchfork", "steps/s", steps, () => heun.solve(Float64Array.of(1), 0.0025, dW)),
    );
  }
}
