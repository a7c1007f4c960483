// Data-parallel minibatch gradients (issue 13) through DataParallelObjective: the MNIST MLP on
// minibatches of 256 digits and a small char-level GPT (V = 64, block 32, 2 layers, 2 heads, d = 32,
// nanoGPT's layout as the issue measured it: D = 28 288) on 16 windows of 32 tokens, gradient + HVP
// by the tape, in this thread (workers = 1) and on all cores; the results must be identical bit for
// bit. The talk's training step (DataParallelAdamW) is measured in gpt-train.ts.
//
// What limited this to ×1.1 on two cores: V8's garbage collector. The tape allocates a fresh
// Float64Array per op (hundreds of MB per chunk), which starts a concurrent major GC every few
// tens of MB of ArrayBuffers; with its concurrent marking and parallel scavenging on helper
// threads, one chunk cost twice its single-threaded CPU time (measured: 0.29 s against 0.16 s of
// CPU per gradient + HVP of 16 windows with --single-threaded-gc). One worker got those helpers
// for free on the idle core; two workers had to share the cores with both workers' helpers.
// `npm run bench` and `npm run train` therefore run node with --single-threaded-gc (a V8 flag of
// the whole process, workers included: it cannot be set per worker, nor changed at run time).
import * as os from "os";
import { Stream } from "../../lib/random";
import {
  DataParallelObjective,
  mlpShardConfig,
  mlpShardTask,
  gptShardConfig,
  gptShardTask,
  gptInit,
  gptLayout,
  mlpInit,
  loadMnist,
  type MlpSpec,
  type GptSpec,
} from "../../lib/nn";
import { formatRate } from "./harness";
import type { BenchContext } from "./harness";

/** Runs this file's benchmarks into ctx (see the comment at the top). */
export async function run(ctx: BenchContext): Promise<void> {
  const ds = loadMnist({ perDigit: 100, pool: 2, normalise: "center" });
  const spec: MlpSpec = { widths: [196, 32, 32, 10], activations: ["tanh", "tanh", "identity"] };
  const theta = mlpInit(spec, new Stream(14, 0));
  const batches = Array.from({ length: 8 }, (_, b) =>
    Int32Array.from({ length: 256 }, (_, i) => (b * 256 + i * 7) % 1000),
  );
  const g: GptSpec = { vocab: 64, block: 32, layers: 2, heads: 2, dModel: 32, variant: "nanogpt" };
  const corpus = Int32Array.from({ length: 4096 }, (_, i) => (i * 31 + ((i * i) % 17)) % 64);
  const gTheta = gptInit(g, new Stream(14, 1));
  const windows = Array.from({ length: 4 }, (_, b) =>
    Int32Array.from({ length: 16 }, (_, i) => (b * 997 + i * 211) % 4000),
  );
  const cores = os.cpus().length;
  for (const [label, unit, open, th, sets, per] of [
    [
      "MNIST MLP D = 7690, minibatch 256: gradient + HVP",
      "minibatches/s",
      (workers: number) =>
        DataParallelObjective.open(
          mlpShardTask,
          mlpShardConfig(spec, { inputs: ds.images, labels: ds.labels }, "cross-entropy"),
          { workers },
        ),
      theta,
      batches,
      1,
    ],
    [
      `char GPT D = ${gptLayout(g).dim}, 16 windows × 32 tokens: gradient + HVP`,
      "tokens/s",
      (workers: number) =>
        DataParallelObjective.open(gptShardTask, gptShardConfig(g, corpus, 32), { workers, chunk: 4 }),
      gTheta,
      windows,
      16 * 32,
    ],
  ] as const) {
    const outs: string[] = [],
      rates: number[] = [],
      cpu: number[] = [];
    for (const workers of [1, cores]) {
      const dp = await open(workers);
      const v = new Stream(14, 2).fillNormal(new Float64Array(dp.dim));
      // warm-up of at least half a second of CPU time per worker (wall time is not enough on a shared machine): the workers' code must reach V8's optimising tier too
      for (const c = process.cpuUsage(); ;) {
        await dp.evaluate(th, sets[0], v);
        const u = process.cpuUsage(c);
        if (u.user + u.system >= 5e5 * workers) break;
      }
      const t0 = Date.now(),
        c0 = process.cpuUsage();
      let last = "";
      // each minibatch twice: a measurement of a few hundred milliseconds
      for (let rep = 0; rep < 2; rep++)
        for (const b of sets) last = JSON.stringify(Array.from((await dp.evaluate(th, b, v)).gradient));
      const seconds = (Date.now() - t0) / 1000,
        c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1e3 / (2 * sets.length));
      await dp.close();
      outs.push(last);
      rates.push((2 * sets.length * per) / seconds);
    }
    console.log(
      `${label}: 1 worker ${formatRate(rates[0])} ${unit}, ${cores} workers ${formatRate(rates[1])} ${unit} (×${(rates[1] / rates[0]).toFixed(2)}); CPU per minibatch over all threads ${cpu[0].toFixed(0)} ms and ${cpu[1].toFixed(0)} ms (×${(cpu[1] / cpu[0]).toFixed(2)}: the cost of parallelism); identical results: ${outs[0] === outs[1]}`,
    );
    ctx.extra[`dataParallel ${label}`] = {
      oneWorker: rates[0],
      allCores: rates[1],
      ratio: rates[1] / rates[0],
      cpuMsOneWorker: cpu[0],
      cpuMsAllCores: cpu[1],
      identical: outs[0] === outs[1],
    };
  }
}
