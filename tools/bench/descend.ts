// descend's confirmation (issue 11): SGD runs on the factorisation curve with the linearised confirmation, against
// the single kick it replaced.
import { Factorization, modelSpec } from "../../lib/models";
import { descentRun } from "../../lib/optim";
import { bench } from "./harness";
import type { BenchContext } from "./harness";

/** Runs this file's benchmarks into ctx (see the comment at the top). */
export function run(ctx: BenchContext): void {
  {
    const m = new Factorization([Math.sqrt(0.1), Math.sqrt(0.9)], 1),
      spec = modelSpec(m),
      n = 200;
    const runs = (confirm: "kick" | "linearized") => () => {
      for (let i = 0; i < n; i++)
        descentRun({
          model: spec,
          eta: 0.3,
          batch: 1,
          init: { kind: "curve", tauMax: 1.6, eps: 0.05 },
          seed: 7,
          index: i,
          confirm,
        });
    };
    const kick = bench(
      "SGD runs (curve, η = 0.3, |B| = 1): kick confirmation (reference)",
      "runs/s",
      n,
      runs("kick"),
      5,
    );
    const lin = bench(
      "SGD runs (curve, η = 0.3, |B| = 1): linearised confirmation",
      "runs/s",
      n,
      runs("linearized"),
      5,
    );
    ctx.results.push(kick, { ...lin, name: `${lin.name} (×${(lin.rate / kick.rate).toFixed(2)} of the kick)` });
  }
}
