// npm run bench, issue 35's section (also alone: npx tsx tools/bench/tangent.ts): Hessian-vector
// products of an MLP on MNIST at d ≈ 10⁴, N = 512, for the training map's tangent system: k
// products in one k-tangent sweep against k separate sweeps, against PyTorch's double backward
// (tools/bench/hvp-reference.py, measured in the same run when Python with torch is present), and
// the tangent-split pass on 1 and 2 threads. On a shared machine wall-clock ratios move with the
// other load, so the scaling is also estimated from per-thread CPU time (Linux /proc): the total CPU
// time on one thread over the largest thread's CPU time on two, i.e. the speed-up on two idle cores.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { formatRate } from "./harness";
import { Stream } from "../../lib/random";
import {
  loadMnist,
  mlpInit,
  mlpObjective,
  mlpShardConfig,
  mlpShardTask,
  openShardEvaluator,
  DataParallelObjective,
  type MlpSpec,
} from "../../lib/nn";

/** utime + stime of every thread of this process, in clock ticks (Linux); null elsewhere. */
function threadTicks(): Map<string, number> | null {
  try {
    const out = new Map<string, number>();
    for (const tid of fs.readdirSync("/proc/self/task")) {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(tid, Number(f[11]) + Number(f[12]));
    }
    return out;
  } catch {
    return null;
  }
}

/**
 * Runs `work` and returns its wall seconds, the CPU seconds of all threads, of this (the main) thread
 * and of the busiest thread. V8's own helper threads (garbage collection, compilation) count in
 * `cpu` only: the speed-up estimate compares the main thread alone with the busiest thread.
 */
async function measure(
  work: () => unknown | Promise<unknown>,
): Promise<{ wall: number; cpu: number | null; main: number | null; busiest: number | null }> {
  const before = threadTicks(),
    t0 = process.hrtime.bigint();
  await work();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9,
    after = threadTicks();
  if (!before || !after) return { wall, cpu: null, main: null, busiest: null };
  let cpu = 0,
    busiest = 0,
    main = 0;
  for (const [tid, t] of after) {
    const d = (t - (before.get(tid) ?? 0)) / 100;
    cpu += d;
    busiest = Math.max(busiest, d);
    if (tid === String(process.pid)) main = d;
  }
  return { wall, cpu, main, busiest };
}

/** A Python with torch: the first of python3 and Debian's /usr/bin/python3 that imports it, or null. */
function torchPython(): string | null {
  for (const py of ["python3", "/usr/bin/python3"]) {
    if (spawnSync(py, ["-c", "import torch, numpy"], { encoding: "utf8", timeout: 60_000 }).status === 0) return py;
  }
  return null;
}

export interface TangentBenchRow {
  what: string;
  value: number | null;
  unit: string;
}

/**
 * The section's measurements, printed with `log` and written to out/bench-tangent.json (rates in
 * HVP/s, ratios in ×; null where the machine cannot measure it: no /proc, no torch).
 */
export async function tangentBench(log: (line: string) => void = console.log): Promise<TangentBenchRow[]> {
  const rows: TangentBenchRow[] = [];
  const ds = loadMnist({ perDigit: 52, pool: 2, normalise: "center" });
  const N = 512,
    K = 32;
  const inputs = ds.images.slice(0, N * 196),
    labels = ds.labels.slice(0, N);
  const spec: MlpSpec = { widths: [196, 48, 10], activations: ["tanh", "identity"] };
  const obj = mlpObjective(spec, { inputs, labels }, { loss: "cross-entropy" });
  const D = obj.dim;
  const theta = mlpInit(spec, new Stream(35, 0)),
    V = new Stream(35, 1).fillNormal(new Float64Array(K * D));
  const title = `MNIST MLP [196, 48, 10] tanh, cross-entropy, d = ${D}, N = ${N}, k = ${K}`;
  const load = () => os.loadavg()[0].toFixed(1);
  log(
    `\n${title} (load average ${load()} on ${os.cpus().length} cores: shared machine, wall-clock rates are contended)`,
  );

  // 1. one thread: k separate sweeps against one sweep carrying k tangents (the same bits); rates
  // per wall-clock second and per CPU second of this thread (the latter barely moves with the load)
  const oneThread = async (work: () => void, reps: number) => {
    for (const t = Date.now(); Date.now() - t < 1000;) work();
    const m = await measure(() => {
      for (let r = 0; r < reps; r++) work();
    });
    return { wall: (reps * K) / m.wall, cpu: m.cpu ? (reps * K) / m.cpu : null };
  };
  const cpuText = (r: { cpu: number | null }) => (r.cpu ? `, ${formatRate(r.cpu)} per CPU second` : "");
  const separate = await oneThread(() => {
    for (let c = 0; c < K; c++) obj.evaluate(theta, V.subarray(c * D, (c + 1) * D));
  }, 3);
  const batched = await oneThread(() => obj.evaluateTangents!(theta, V, K), 6);
  rows.push(
    { what: "k separate sweeps, 1 thread (wall)", value: separate.wall, unit: "HVP/s" },
    { what: "k separate sweeps, 1 thread (CPU)", value: separate.cpu, unit: "HVP/CPU-s" },
    { what: "k-tangent sweep, 1 thread (wall)", value: batched.wall, unit: "HVP/s" },
    { what: "k-tangent sweep, 1 thread (CPU)", value: batched.cpu, unit: "HVP/CPU-s" },
    {
      what: "k-tangent / separate (CPU)",
      value: batched.cpu && separate.cpu ? batched.cpu / separate.cpu : null,
      unit: "×",
    },
  );
  log(`  k separate sweeps        ${formatRate(separate.wall).padStart(8)} HVP/s${cpuText(separate)}`);
  log(
    `  one k-tangent sweep      ${formatRate(batched.wall).padStart(8)} HVP/s${cpuText(batched)}: ×${(batched.cpu && separate.cpu ? batched.cpu / separate.cpu : batched.wall / separate.wall).toFixed(2)} the separate sweeps`,
  );

  // 2. the tangent-split pass on 1 and 2 threads (openShardEvaluator; the same bits), wall and CPU time
  const cfg = mlpShardConfig(spec, { inputs, labels }, "cross-entropy");
  const idx = Int32Array.from({ length: N }, (_, i) => i),
    g = new Float64Array(D),
    hv = new Float64Array(K * D);
  // one evaluator per thread count, measured in alternating blocks (the load moves during a run): the
  // wall-clock ratio of each pair of blocks, and the CPU-time estimate: the working thread's CPU on 1
  // thread over the busiest working thread's on 2 (the speed-up on two idle cores), medians over pairs
  const evs = [await openShardEvaluator(cfg, { workers: 1 }), await openShardEvaluator(cfg, { workers: 2 })];
  for (const ev of evs) for (const t = Date.now(); Date.now() - t < 1000;) ev.evaluate(theta, idx, V, K, g, hv); // warm-up: every thread reaches the optimising tier
  const reps = 4,
    pairs = 5,
    wallRatios: number[] = [],
    cpuRatios: number[] = [],
    walls = [0, 0];
  for (let p = 0; p < pairs; p++) {
    const m = [];
    for (const ev of evs)
      m.push(
        await measure(() => {
          for (let r = 0; r < reps; r++) ev.evaluate(theta, idx, V, K, g, hv);
        }),
      );
    walls[0] += m[0].wall;
    walls[1] += m[1].wall;
    wallRatios.push(m[0].wall / m[1].wall);
    if (m[0].main && m[1].busiest) cpuRatios.push(m[0].main / m[1].busiest);
  }
  for (const ev of evs) await ev.close();
  const median = (x: number[]) => {
    const y = [...x].sort((a, b) => a - b);
    return y.length ? y[Math.floor(y.length / 2)] : null;
  };
  const rate = (w: number) => (pairs * reps * K) / w;
  const wallRatio = median(wallRatios)!,
    cpuEstimate = median(cpuRatios);
  const pass = [rate(walls[0]), rate(walls[1])];
  rows.push(
    { what: "k-tangent pass, 1 thread (wall)", value: pass[0], unit: "HVP/s" },
    { what: "k-tangent pass, 2 threads (wall)", value: pass[1], unit: "HVP/s" },
    { what: "2 threads / 1, wall clock (median of 5 alternating pairs)", value: wallRatio, unit: "×" },
    {
      what: "2 threads / 1, from per-thread CPU time: the speed-up on two idle cores (median of 5 pairs)",
      value: cpuEstimate,
      unit: "×",
    },
  );
  log(
    `  k-tangent pass (split by tangents), 1 thread ${formatRate(pass[0])} HVP/s, 2 threads ${formatRate(pass[1])} HVP/s: ×${wallRatio.toFixed(2)} wall clock (load ${load()})` +
      (cpuEstimate !== null
        ? `; ×${cpuEstimate.toFixed(2)} from per-thread CPU time, the speed-up on two idle cores (pairs: ${cpuRatios.map((x) => x.toFixed(2)).join(", ")}) — target ×1.7`
        : ""),
  );

  // 3. the data-parallel gradient + HVP of lib/nn (DataParallelObjective: chunks of 64 examples as messages), same method
  {
    const dsp = loadMnist({ perDigit: 100, pool: 2, normalise: "center" });
    const sp: MlpSpec = { widths: [196, 32, 32, 10], activations: ["tanh", "tanh", "identity"] };
    const th = mlpInit(sp, new Stream(14, 0));
    const batches = Array.from({ length: 8 }, (_, b) =>
      Int32Array.from({ length: 256 }, (_, i) => (b * 256 + i * 7) % 1000),
    );
    const m: { wall: number; cpu: number | null; main: number | null; busiest: number | null }[] = [];
    for (const workers of [1, 2]) {
      const dp = await DataParallelObjective.open(
        mlpShardTask,
        mlpShardConfig(sp, { inputs: dsp.images, labels: dsp.labels }, "cross-entropy"),
        { workers },
      );
      const v = new Stream(14, 2).fillNormal(new Float64Array(dp.dim));
      for (const t = Date.now(); Date.now() - t < 1000;) await dp.evaluate(th, batches[0], v);
      m.push(
        await measure(async () => {
          for (let r = 0; r < 10; r++) for (const b of batches) await dp.evaluate(th, b, v);
        }),
      );
      await dp.close();
    }
    const w = m[0].wall / m[1].wall,
      c = m[0].main && m[1].busiest ? m[0].main / m[1].busiest : null;
    rows.push(
      { what: "DataParallelObjective gradient + HVP, 2 workers / 1, wall clock", value: w, unit: "×" },
      { what: "DataParallelObjective gradient + HVP, 2 workers / 1, from CPU time", value: c, unit: "×" },
    );
    log(
      `  for comparison, DataParallelObjective gradient + HVP (D = 7690, minibatch 256): 2 workers / 1 ×${w.toFixed(2)} wall clock` +
        (c !== null
          ? `, ×${c.toFixed(2)} from CPU time (1 worker: this thread ${m[0].main!.toFixed(2)} s; 2 workers: busiest thread ${m[1].busiest!.toFixed(2)} s)`
          : ""),
    );
  }

  // 4. PyTorch's double-backward HVP on the same data, weights and directions (same thread counts)
  const py = torchPython();
  if (!py) {
    log("  Python with torch not found: no PyTorch reference in this run");
  } else {
    const prefix = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-hvp-")), "mlp");
    fs.writeFileSync(prefix + ".json", JSON.stringify({ dim: D, n: N, widths: spec.widths, k: K }));
    const blob = new Float64Array(D + N * 196 + N + K * D);
    blob.set(theta, 0);
    blob.set(inputs, D);
    blob.set(Float64Array.from(labels), D + N * 196);
    blob.set(V, D + N * 196 + N);
    fs.writeFileSync(prefix + ".bin", Buffer.from(blob.buffer));
    fs.writeFileSync(prefix + ".hv.bin", Buffer.from(obj.evaluateTangents!(theta, V, K).hvps.buffer));
    for (const threads of [1, 2]) {
      const r = spawnSync(py, [path.join(__dirname, "hvp-reference.py"), prefix, String(threads)], {
        env: {
          ...process.env,
          OMP_NUM_THREADS: String(threads),
          OPENBLAS_NUM_THREADS: String(threads),
          MKL_NUM_THREADS: String(threads),
        },
        encoding: "utf8",
        timeout: 600_000,
      });
      if (r.status !== 0) {
        log(`  PyTorch reference failed (${threads} thread(s)): ${(r.stderr || "").trim().split("\n").pop()}`);
        continue;
      }
      const t = JSON.parse(r.stdout.trim().split("\n").pop()!) as Record<string, number | string | null>;
      const kinds = (["separate", "reused", "batched"] as const).filter((k) => typeof t[k] === "number");
      const best = Math.max(...kinds.map((k) => K / (t[k] as number)));
      for (const k of kinds)
        rows.push({
          what: `PyTorch ${t.torch} float64 double backward, ${k}, ${threads} thread(s) (wall)`,
          value: K / (t[k] as number),
          unit: "HVP/s",
        });
      let line =
        `  PyTorch ${t.torch} (float64, ${t.threads} thread(s), double backward): ` +
        kinds.map((k) => `${k} ${formatRate(K / (t[k] as number))} HVP/s`).join(", ") +
        (t.batchedError ? ` (batched: ${t.batchedError})` : "");
      if (threads === 1) {
        // one thread each: compare per CPU second too (time.process_time on torch's side)
        const cpuKinds = kinds.filter((k) => typeof t[k + "Cpu"] === "number"),
          bestCpu = Math.max(...cpuKinds.map((k) => K / (t[k + "Cpu"] as number)));
        rows.push(
          { what: "k-tangent sweep / PyTorch's best, 1 thread (wall)", value: batched.wall / best, unit: "×" },
          {
            what: "k-tangent sweep / PyTorch's best, 1 thread (CPU)",
            value: batched.cpu ? batched.cpu / bestCpu : null,
            unit: "×",
          },
        );
        line += `; per CPU second ${cpuKinds.map((k) => `${k} ${formatRate(K / (t[k + "Cpu"] as number))}`).join(", ")}. Ours (one k-tangent sweep, 1 thread) = ×${(batched.wall / best).toFixed(2)} PyTorch's best wall clock, ×${batched.cpu ? (batched.cpu / bestCpu).toFixed(2) : "?"} per CPU second`;
      } else {
        rows.push({ what: "k-tangent pass / PyTorch's best, 2 threads (wall)", value: pass[1] / best, unit: "×" });
        line += `. Ours (k-tangent pass, 2 threads) = ×${(pass[1] / best).toFixed(2)} PyTorch's best wall clock (both contended)`;
      }
      log(
        line +
          `; the same HVPs to ${Number(t.reusedRelativeDifference ?? t.separateRelativeDifference).toExponential(1)} (relative)`,
      );
    }
    fs.rmSync(path.dirname(prefix), { recursive: true, force: true });
  }
  const out = path.resolve(__dirname, "..", "..", "out");
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(
    path.join(out, "bench-tangent.json"),
    JSON.stringify({ node: process.version, cpu: os.cpus()[0]?.model, loadAverage: os.loadavg()[0], rows }, null, 2) +
      "\n",
  );
  return rows;
}

if (require.main === module) void tangentBench();
