// The talk's training run: trainGpt on the talk's model (D = 209 729: Moby-Dick's text cut to 65
// symbols, the 64 most frequent characters and one for the rest, so that the alphabet is
// Shakespeare's size), batch 16 × 32, AdamW at a constant lr, data-parallel: float32 and float64
// on all cores, float32 on one worker (the trainer's own 1-worker/2-worker ratio), from a cold
// start (threads, JIT) as a real run starts. Per iteration: the rate of iterations after the first
// `warm`, training steps only (the one validation pass, at the last iteration, is not timed). The
// projection of 5 000 iterations counts the start once. Against PyTorch (tools/bench/gpt-reference.py,
// Debian's python3-torch, OpenBLAS on one thread, torch.set_num_threads = the same cores) when present.
import * as os from "os";
import { charCorpus, gptTrainConfig, loadMobyDick, trainGpt, gptLayout, type CharCorpus } from "../../lib/nn";
import type { Precision } from "../../lib/kernels";
import { torchReference } from "./references";
import type { BenchContext } from "./harness";

/** Moby-Dick with its 64 most frequent characters kept and every other one replaced by "~": 65 symbols. */
export function mobyDick65(): CharCorpus {
  const moby = loadMobyDick();
  const all = moby.decode(moby.train) + moby.decode(moby.validation);
  const counts = new Map<string, number>();
  for (const ch of all) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const keep = new Set(
    [...counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 64)
      .map(([ch]) => ch),
  );
  if (keep.has("~")) throw new Error("mobyDick65: '~' is among the 64 most frequent characters");
  return charCorpus("Moby-Dick (65 symbols)", Array.from(all, (ch) => (keep.has(ch) ? ch : "~")).join(""));
}

/** Runs trainGpt: wall-clock and CPU (all threads) milliseconds per iteration after `warm`, seconds to iteration `warm`. */
async function timeRun(
  corpus: CharCorpus,
  precision: Precision,
  workers: number,
  iterations: number,
  warm: number,
): Promise<{ ms: number; cpuMs: number; start: number; loss: number }> {
  const config = gptTrainConfig({
    spec: { vocab: corpus.alphabet.length, block: 32, layers: 4, heads: 4, dModel: 64 },
    iterations,
    precision,
    evalEvery: iterations,
    evalWindows: 16,
  });
  const t0 = process.hrtime.bigint();
  let tWarm = t0,
    tLast = t0,
    cWarm = process.cpuUsage(),
    cLast = cWarm;
  const run = await trainGpt(config, {
    corpus,
    workers,
    onProgress: (p) => {
      if (p.iteration === warm) {
        tWarm = process.hrtime.bigint();
        cWarm = process.cpuUsage();
      }
      if (p.iteration === iterations - 1) {
        tLast = process.hrtime.bigint();
        cLast = process.cpuUsage();
      }
    },
  });
  const n = iterations - 1 - warm,
    cpu = (cLast.user + cLast.system - cWarm.user - cWarm.system) / 1e3;
  return {
    ms: Number(tLast - tWarm) / 1e6 / n,
    cpuMs: cpu / n,
    start: Number(tWarm - t0) / 1e9,
    loss: run.history[run.history.length - 1].validationLoss!,
  };
}

/** Runs this file's benchmarks into ctx (see the comment at the top). */
export async function run(ctx: BenchContext): Promise<void> {
  const corpus = mobyDick65(),
    cores = os.cpus().length;
  const D = gptLayout({ vocab: corpus.alphabet.length, block: 32, layers: 4, heads: 4, dModel: 64 }).dim;
  const its = 160,
    warm = 20;
  const f32 = await timeRun(corpus, "float32", cores, its, warm);
  const f64 = await timeRun(corpus, "float64", cores, its, warm);
  const one = await timeRun(corpus, "float32", 1, its, warm);
  const projected = (r: { ms: number; start: number }) => r.start + ((5000 - warm) * r.ms) / 1000;
  console.log(
    `\ntrainGpt, the talk's model (D = ${D}, 16 × 32 tokens, ${corpus.name}), ${its} iterations from a cold start:`,
  );
  const line = (r: { ms: number; cpuMs: number }) =>
    `${r.ms.toFixed(1)} ms per iteration (CPU ${r.cpuMs.toFixed(1)} ms over all threads, ${(r.cpuMs / r.ms).toFixed(2)} cores busy)`;
  console.log(
    `  float32, ${cores} workers: ${line(f32)} → 5 000 iterations in ${projected(f32).toFixed(0)} s (target ≤ 80 s: ${projected(f32) <= 80 ? "met" : "MISSED"})`,
  );
  console.log(
    `  float64, ${cores} workers: ${line(f64)} → ${projected(f64).toFixed(0)} s; float32 is ×${(f64.ms / f32.ms).toFixed(2)} faster (CPU ×${(f64.cpuMs / f32.cpuMs).toFixed(2)})`,
  );
  console.log(
    `  float32, 1 worker: ${line(one)}: ${cores} workers are ×${(one.ms / f32.ms).toFixed(2)} faster; their CPU per iteration is ×${(f32.cpuMs / one.cpuMs).toFixed(2)} of one worker's (the cost of parallelism)`,
  );
  if (projected(f32) > 80) ctx.missed++;
  const torch = torchReference(cores),
    torch1 = torchReference(1);
  if (torch && torch1) {
    console.log(
      `  PyTorch ${torch.torch} (${torch.parameters} parameters), ${cores} threads: float32 ${torch.msFloat32.toFixed(1)} ms (CPU ${torch.cpuMsFloat32.toFixed(1)}), float64 ${torch.msFloat64.toFixed(1)} ms (CPU ${torch.cpuMsFloat64.toFixed(1)}) per iteration; 1 thread: float32 ${torch1.msFloat32.toFixed(1)} ms (CPU ${torch1.cpuMsFloat32.toFixed(1)}), float64 ${torch1.msFloat64.toFixed(1)} ms (CPU ${torch1.cpuMsFloat64.toFixed(1)})`,
    );
    console.log(
      `  PyTorch's time / trainGpt's on ${cores} cores (above 1: trainGpt is faster): float32 ×${(torch.msFloat32 / f32.ms).toFixed(2)}, float64 ×${(torch.msFloat64 / f64.ms).toFixed(2)}; per unit of CPU, one thread each: float32 ×${(torch1.cpuMsFloat32 / one.cpuMs).toFixed(2)}`,
    );
  } else console.log("  python3 with torch not found: no PyTorch reference in this run");
  ctx.extra.gptTrain = {
    parameters: D,
    cores,
    msFloat32: f32.ms,
    msFloat64: f64.ms,
    msFloat32OneWorker: one.ms,
    projectedSecondsFloat32: projected(f32),
    torch,
    torch1,
  };
}
