// Ensembles on worker threads: a GD ensemble on the D = 51 network and notebook 09's RBM ensemble, one worker against
// all cores (same results; wall-clock speed-up).
import * as os from "os";
import { Stream } from "../../lib/random";
import { TanhMlp, runBlocks, rbmTask } from "../../lib/models";
import { descentEnsemble } from "../../lib/optim";
import { parallelMap } from "../../lib/parallel";
import type { BenchContext } from "./harness";

/** Runs this file's benchmarks into ctx (see the comment at the top). */
export async function run(_ctx: BenchContext): Promise<void> {
  const net = TanhMlp.teacherStudent(new Stream(1, 77), { inputs: 8, hidden: 5, samples: 12 });
  const o = { eta: 0.3, runs: 64, init: { kind: "gaussian" as const, scale: 1 }, seed: 1 };
  const t1 = Date.now();
  const one = await descentEnsemble(net, o, { workers: 1 });
  const t2 = Date.now();
  const all = await descentEnsemble(net, o, {});
  const t3 = Date.now();
  const same = JSON.stringify(one.records) === JSON.stringify(all.records);
  console.log(
    `GD ensemble, 64 runs on the network: 1 worker ${((t2 - t1) / 1000).toFixed(2)} s, ${os.cpus().length} workers ${((t3 - t2) / 1000).toFixed(2)} s (×${((t2 - t1) / (t3 - t2)).toFixed(2)}), identical results: ${same}`,
  );
  // 10. RBM ensemble of notebook 09 (issue 5): 40 PCD runs of 1200 steps in blocks of 10, one worker vs all cores.
  const spec = { sites: 10, mass2: 1, mu2: 8, samples: 4096, dataSeed: 3 };
  const blocks = runBlocks({ spec, alpha: 0.01, batch: 32, steps: 1200, seed: 1 }, 40, { size: 10 });
  const t4 = Date.now();
  const rbmOne = await parallelMap(rbmTask, blocks, { workers: 1 });
  const t5 = Date.now();
  const rbmAll = await parallelMap(rbmTask, blocks);
  const t6 = Date.now();
  console.log(
    `RBM ensemble, 40 PCD runs × 1200 steps (10 sites, |B| = 32): 1 worker ${((t5 - t4) / 1000).toFixed(2)} s, ${os.cpus().length} workers ${((t6 - t5) / 1000).toFixed(2)} s (×${((t5 - t4) / (t6 - t5)).toFixed(2)}), identical results: ${JSON.stringify(rbmOne) === JSON.stringify(rbmAll)}`,
  );
}
