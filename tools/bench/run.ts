// npm run bench: speed of the hot loops, single-threaded, with the targets the issues set.
// Results print as a table and go to out/bench.json. Timing is never asserted in tests.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import seedrandom from "seedrandom";
import { bench, BenchResult, formatRate } from "./harness";
import { Stream } from "../../lib/random";
import { QrLyapunov } from "../../lib/lyapunov";
import { SdeIntegrator } from "../../lib/sde";
import { pitchfork } from "../../lib/models";
import { RqfFlow, pairWithInnerProduct, rqfLyapunovSpectrum } from "../../lib/rqf";

const results: (BenchResult & { target?: number })[] = [];
// Monte Carlo code draws normals in cache-sized blocks: 2^22 normals per run in blocks of 2^16.
const N = 1 << 22;
const BLOCK = 1 << 16;
const buf = new Float64Array(BLOCK);

// 1. Standard normals: the ziggurat (target: 80 M/s on one core).
const s = new Stream(1, 0);
results.push({ ...bench("normals: Stream.fillNormal, blocks of 2^16", "normals/s", N, () => { for (let r = 0; r < N / BLOCK; r++) s.fillNormal(buf); }), target: 80e6 });
{
  const big = new Float64Array(N); // one 32 MB block: memory-bound, for reference
  results.push(bench("normals: Stream.fillNormal, one block of 2^22", "normals/s", N, () => s.fillNormal(big)));
}
results.push(bench("normals: Stream.normal() one at a time", "normals/s", N, () => { let acc = 0; for (let i = 0; i < N; i++) acc += s.normal(); buf[0] = acc; }));
// Why hand-written: the same job with seedrandom's generator and Box–Muller.
const sr = seedrandom("bench");
results.push(bench("normals: seedrandom (ARC4) + Box–Muller, for comparison", "normals/s", BLOCK, () => {
  for (let i = 0; i < BLOCK; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - sr())), t = 2 * Math.PI * sr();
    buf[i] = r * Math.cos(t); buf[i + 1] = r * Math.sin(t);
  }
}));
results.push(bench("uniforms: Stream.fillUniform (53-bit)", "uniforms/s", N, () => { for (let r = 0; r < N / BLOCK; r++) s.fillUniform(buf); }));

// 2. QR Lyapunov step, d = 3 and d = 10.
for (const d of [3, 10]) {
  const qr = new QrLyapunov(d);
  const m = new Stream(2, d).fillNormal(new Float64Array(d * d));
  for (let i = 0; i < d; i++) m[i * d + i] += 3;
  const steps = d === 3 ? 1 << 19 : 1 << 15;
  results.push(bench(`QrLyapunov.applyMatrix, d = ${d}`, "steps/s", steps, () => { for (let i = 0; i < steps; i++) { qr.applyMatrix(m); qr.resetSums(); } }));
}

// 3. Heun steps of a scalar SDE (the pitchfork).
{
  const heun = new SdeIntegrator(pitchfork(1, 1), "heun");
  const steps = 1 << 20;
  const dW = new Stream(3, 0).fillNormal(new Float64Array(steps)).map((z) => 0.05 * z);
  results.push(bench("SdeIntegrator heun, pitchfork", "steps/s", steps, () => heun.solve(Float64Array.of(1), 0.0025, dW)));
}

// 4. Two-point RQF on S², Heun, dt = 0.005 (target: 4 M pair-steps/s on one core).
{
  const flow = new RqfFlow(3, 2, 0.005);
  const st = new Stream(4, 0);
  const x = pairWithInnerProduct(3, 0.2);
  const steps = 1 << 20;
  results.push({ ...bench("RQF two-point on S², Heun, dt = 0.005 (incl. noise)", "pair-steps/s", steps, () => {
    for (let i = 0; i < steps; i++) flow.step(st, x);
  }), target: 4e6 });
}

// 5. RQF Lyapunov spectrum on S^7 (n = 8, 7 exponents): tangent-flow steps per second.
{
  const steps = 20000;
  results.push(bench("RQF tangent flow + QR, n = 8, 7 exponents", "steps/s", steps, () => {
    rqfLyapunovSpectrum({ n: 8, dt: 0.005, time: steps * 0.005, stream: new Stream(5, 0) });
  }, 5));
}

const width = Math.max(...results.map((r) => r.name.length));
console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? "cpu"}, single thread; median of 9 runs (min–max)\n`);
let missed = 0;
for (const r of results) {
  const target = r.target ? `  target ≥ ${formatRate(r.target)} ${r.rate >= r.target ? "met" : "MISSED"}` : "";
  if (r.target && r.rate < r.target) missed++;
  console.log(`${r.name.padEnd(width)}  ${formatRate(r.rate).padStart(8)} ${r.unit}  (${formatRate(r.min)}–${formatRate(r.max)})${target}`);
}
const out = path.resolve(__dirname, "..", "..", "out");
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, "bench.json"), JSON.stringify({ node: process.version, cpu: os.cpus()[0]?.model, results }, null, 2) + "\n");
if (missed) console.log(`\n${missed} target(s) missed on this machine (a loaded machine runs slower: rerun on an idle one).`);
