// npm run bench: speed of the hot loops, single-threaded, with the targets the issues set.
// Results print as a table and go to out/bench.json. Timing is never asserted in tests.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import seedrandom from "seedrandom";
import { bench, BenchResult, formatRate } from "./harness";
import { tangentBench } from "./tangent";
import { Stream } from "../../lib/random";
import { QrLyapunov } from "../../lib/lyapunov";
import { SdeIntegrator } from "../../lib/sde";
import { pitchfork } from "../../lib/models";
import { RqfFlow, pairWithInnerProduct, rqfTangent, rqfSde, uniformOnSphere, tokenDynamicsRun, layerRun } from "../../lib/rqf";
import { TanhMlp, gradient } from "../../lib/models";
import { mlpObjective, mlpInit, loadMnist, matmulInto, matmulJs, addTransposeTimes, type MlpSpec } from "../../lib/nn";
import { geluInto, geluKernelTable } from "../../lib/nn";
import { KernelArena } from "../../lib/kernels";
import { normalCdf } from "../../lib/stats";
import { descend, descentEnsemble, descentTangent } from "../../lib/optim";
import { projectOntoMinima } from "../../lib/manifold";
import { NormalLinearization, sgdTangent } from "../../lib/stability";
import { lyapunovHalfWidth, lyapunovSpectrum, sdeTangent } from "../../lib/lyapunov";
import { Matrix, EigenvalueDecomposition, CholeskyDecomposition } from "ml-matrix";
import { SymmetricEigen } from "../../lib/linalg";
import { goe } from "../../lib/random";
import { teacherStudentData, TeacherStudentSgd, GaussianRbm, latticeFieldData, ExactGradientRbm } from "../../lib/models";
import { DysonEigenvalueSde, quadraticPotential } from "../../lib/rmt";
import { runBlocks, Factorization, modelSpec, rbmTask } from "../../lib/models";
import { descentRun } from "../../lib/optim";
import { parallelMap } from "../../lib/parallel";
import { DataParallelObjective, mlpShardConfig, mlpShardTask, gptShardConfig, gptShardTask, gptInit, gptLayout, gptObjective, tokenWindows, GptGradient, loadMobyDick, gptTrainConfig, trainGpt, type GptSpec } from "../../lib/nn";

const results: (BenchResult & { target?: number })[] = [];

/**
 * numpy's LAPACK/OpenBLAS on one thread (tools/bench/reference.py), measured now, in this run, when
 * python3 with numpy is present; null otherwise (the bench never needs Python).
 */
const lapack: { eigvalsh500: number; matmul256: number } | null = (() => {
  const r = spawnSync("python3", [path.join(__dirname, "reference.py")], { env: { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1" }, encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0) { console.log("python3 with numpy not found: no LAPACK/OpenBLAS reference in this run"); return null; }
  return JSON.parse(r.stdout.trim().split("\n").pop()!);
})();
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

// 4b. Why RqfFlow and rqfTangent are specialised: the same one-point step through the generic
// integrator (rqfSde: n(n+1)/2 noise columns, each a full vector) and the generic variational
// solver, against the kernels, same n and dt. The test suite checks that they agree.
for (const n of [3, 8]) {
  const dt = 0.005, steps = n === 3 ? 1 << 17 : 1 << 14, m = (n * (n + 1)) / 2;
  const flow = new RqfFlow(n, 1, dt), st = new Stream(4, n), x = uniformOnSphere(st, n, 1);
  const special = bench(`RQF one point on S^${n - 1}: RqfFlow.step (specialised)`, "steps/s", steps, () => { for (let i = 0; i < steps; i++) flow.step(st, x); });
  const integ = new SdeIntegrator(rqfSde(n), "heun"), y = Float64Array.from(x), dW = new Float64Array(m);
  const generic = bench(`RQF one point on S^${n - 1}: SdeIntegrator heun on rqfSde + renormalise (generic)`, "steps/s", steps, () => {
    for (let i = 0; i < steps; i++) {
      st.drawNormals(dW, 0, m);
      for (let j = 0; j < m; j++) dW[j] *= Math.sqrt(dt);
      integ.step(y, dt, dW, 0);
      let len = 0;
      for (let j = 0; j < n; j++) len += y[j] * y[j];
      len = Math.sqrt(len);
      for (let j = 0; j < n; j++) y[j] /= len;
    }
  });
  results.push(special, generic);
  console.log(`RQF step on S^${n - 1}: specialised / generic = ${(special.rate / generic.rate).toFixed(1)}x`);
}
{
  const steps = 1 << 16;
  const a = bench("pitchfork λ: lyapunovSpectrum(sdeTangent(...)), Heun (generic variational)", "steps/s", steps, () => {
    lyapunovSpectrum(sdeTangent(pitchfork(0.5, 0.7), { x0: [1], dt: 0.005, scheme: "heun" }), { steps: steps, stream: new Stream(6, 0) });
  });
  results.push(a);
}

// 4c. lib/nn (first slice of issue 13): loss, gradient and exact HVP of the D = 51 tanh network by
// one forward-over-reverse sweep, against the hand-derived gradient of TanhMlp (no HVP there).
{
  const net = TanhMlp.teacherStudent(Stream.named(1, "tanh-teacher-network"), { inputs: 8, hidden: 5, samples: 12 });
  const spec = { widths: [8, 5, 1], activations: ["tanh", "identity"] as ("tanh" | "identity")[] };
  const theta = new Stream(11, 0).fillNormal(new Float64Array(net.dim)), v = new Stream(11, 1).fillNormal(new Float64Array(net.dim));
  const reps = 2000;
  results.push(bench("lib/nn: MLP D = 51 loss + gradient + HVP (tape)", "sweeps/s", reps, () => { for (let i = 0; i < reps; i++) mlpObjective(spec, { inputs: net.data, targets: net.targets }).evaluate(theta, v); }));
  const g = new Float64Array(net.dim);
  results.push(bench("TanhMlp D = 51 hand-derived gradient (reference, no HVP)", "gradients/s", reps, () => { for (let i = 0; i < reps; i++) gradient(net, theta, g); }));
}

// 4d. The float64 matmul at 256³ (issue 13's target: ≥ 8 GFLOP/s on one thread): the wasm SIMD
// kernel of lib/nn against the plain JS loop and ml-matrix, same matrices.
{
  const n = 256, flops = 2 * n * n * n;
  const A = new Stream(12, 0).fillNormal(new Float64Array(n * n)), B = new Stream(12, 1).fillNormal(new Float64Array(n * n)), C = new Float64Array(n * n);
  const wasm = bench("matmul 256³ float64: lib/nn wasm SIMD kernel", "flop/s", flops, () => matmulInto(A, B, C, n, n, n));
  const js = bench("matmul 256³ float64: plain JS triple loop", "flop/s", flops, () => matmulJs(A, B, C, n, n, n));
  const MA = new Matrix(n, n), MB = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { MA.set(i, j, A[i * n + j]); MB.set(i, j, B[i * n + j]); }
  const ml = bench("matmul 256³ float64: ml-matrix mmul", "flop/s", flops, () => MA.mmul(MB));
  results.push({ ...wasm, target: 8e9 }, js, ml);
  console.log(`matmul 256³: wasm ${(wasm.rate / 1e9).toFixed(1)} GFLOP/s = ${(wasm.rate / js.rate).toFixed(1)}× the JS loop, ${(wasm.rate / ml.rate).toFixed(1)}× ml-matrix` +
    (lapack ? `; OpenBLAS (numpy, 1 thread) ${(flops / lapack.matmul256 / 1e9).toFixed(1)} GFLOP/s` : ""));
}

// 4e. Notebook 10's workload: one GD step's loss + gradient, and one HVP, of the [196, 32, 32, 10]
// tanh MLP on 1000 pooled digits; and the weight-gradient product Aᵀ·G (1000 × 196 inputs) through
// the SIMD kernel against the plain JS accumulation loop it replaced.
{
  const ds = loadMnist({ perDigit: 100, pool: 2, normalise: "center", oneHot: true });
  const spec: MlpSpec = { widths: [196, 32, 32, 10], activations: ["tanh", "tanh", "identity"] };
  const obj = mlpObjective(spec, { inputs: ds.images, targets: ds.oneHot! });
  const theta = mlpInit(spec, new Stream(13, 0)), v = new Stream(13, 1).fillNormal(new Float64Array(obj.dim));
  results.push(bench("lib/nn: MNIST MLP D = 7690, N = 1000: loss + gradient", "sweeps/s", 20, () => { for (let i = 0; i < 20; i++) obj.evaluate(theta); }));
  results.push(bench("lib/nn: MNIST MLP D = 7690, N = 1000: loss + gradient + HVP", "sweeps/s", 20, () => { for (let i = 0; i < 20; i++) obj.evaluate(theta, v); }));
  const m = 1000, k = 196, n = 32, flops = 2 * m * k * n;
  const A = new Stream(13, 2).fillNormal(new Float64Array(m * k)), G = new Stream(13, 3).fillNormal(new Float64Array(m * n)), acc = new Float64Array(k * n);
  const simd = bench("Aᵀ·G, A 1000×196, G 1000×32: transpose + wasm SIMD kernel", "flop/s", flops, () => addTransposeTimes(A, G, acc, m, k, n));
  const loop = bench("Aᵀ·G, A 1000×196, G 1000×32: plain JS accumulation loop", "flop/s", flops, () => {
    for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) { const x = A[i * k + p]; for (let j = 0; j < n; j++) acc[p * n + j] += x * G[i * n + j]; }
  });
  results.push(simd, loop);
  console.log(`Aᵀ·G: SIMD ${(simd.rate / 1e9).toFixed(2)} GFLOP/s = ${(simd.rate / loop.rate).toFixed(1)}× the JS loop`);
}

// 4f. Notebook 14's hot loop: self-attention with common noise, 16 tokens on S², one Heun step per
// item, against the same scheme written with ml-matrix (logits X·Xᵀ, softmax rows, W·X, projection):
// the reason tokenDynamicsRun's loops are hand-written on Float64Array.
{
  const m = 16, n = 3, beta = 4, dt = 0.02, steps = 1000;
  const ours = bench("attention + common noise, m = 16 on S²: tokenDynamicsRun (Heun)", "steps/s", steps, () => {
    tokenDynamicsRun({ n, m, dt, time: steps * dt, beta, sigma: 1, seed: 14, index: 0 });
  }, 5);
  const field = (x: Matrix): Matrix => {
    const w = x.mmul(x.transpose());
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) w.set(i, j, Math.exp(beta * (w.get(i, j) - 1)));
    const a = w.mmul(x);
    for (let i = 0; i < m; i++) {
      const z = w.getRow(i).reduce((p, q) => p + q, 0);
      let dot = 0;
      for (let k = 0; k < n; k++) { a.set(i, k, a.get(i, k) / z); dot += a.get(i, k) * x.get(i, k); }
      for (let k = 0; k < n; k++) a.set(i, k, a.get(i, k) - dot * x.get(i, k));
    }
    return a;
  };
  const noise = (x: Matrix, dq: Matrix): Matrix => {
    const g = x.mmul(dq);
    for (let i = 0; i < m; i++) {
      let dot = 0;
      for (let k = 0; k < n; k++) dot += g.get(i, k) * x.get(i, k);
      for (let k = 0; k < n; k++) g.set(i, k, g.get(i, k) - dot * x.get(i, k));
    }
    return g;
  };
  const ref = bench("attention + common noise, m = 16 on S²: the same Heun step with ml-matrix", "steps/s", steps, () => {
    const st = new Stream(14, 0);
    let x = new Matrix(Array.from({ length: m }, () => { const v = Array.from({ length: n }, () => st.normal()); const r = Math.hypot(...v); return v.map((c) => c / r); }));
    const dq = new Matrix(n, n);
    for (let k = 0; k < steps; k++) {
      for (let i = 0; i < n; i++) for (let j = i; j < n; j++) { const v = st.normal() * Math.sqrt(i === j ? dt : dt / 2); dq.set(i, j, v); dq.set(j, i, v); }
      const a0 = field(x), g0 = noise(x, dq);
      const xp = x.clone().add(a0.clone().mul(dt)).add(g0);
      const a1 = field(xp), g1 = noise(xp, dq);
      x = x.clone().add(a0.add(a1).mul(0.5 * dt)).add(g0.add(g1).mul(0.5));
      for (let i = 0; i < m; i++) { const r = Math.hypot(...x.getRow(i)); for (let c = 0; c < n; c++) x.set(i, c, x.get(i, c) / r); }
    }
  }, 5);
  results.push(ours, ref);
  const layers = bench("random layers, m = 8 on S², h = 0.05 (tanh): layerRun, per layer", "layers/s", 2000, () => {
    layerRun({ n: 3, m: 8, h: 0.05, time: 100, variant: "tanh", seed: 14, index: 1 });
  }, 5);
  results.push(layers);
  console.log(`attention + noise (notebook 14): ${(ours.rate / ref.rate).toFixed(1)}× the ml-matrix step`);
}

// 4g. Issue 15's workload: the talk's nano-GPT (Karpathy's lecture configuration: V = 65, block 32,
// 4 layers × 4 heads, d = 64, D ≈ 2.1·10⁵) on a batch of 16 windows × 32 tokens, loss + gradient:
// the hand-written GptGradient against the same arithmetic on plain JS loops (its fallback without
// kernels.wasm) and against the tape's gptObjective (the reference it is tested against), and the projected time of the talk's 5 000 iterations on one thread.
{
  const spec: GptSpec = { vocab: 65, block: 32, layers: 4, heads: 4, dModel: 64 };
  const corpus = Int32Array.from({ length: 20000 }, (_, i) => (i * 31 + ((i * i) % 17)) % 65);
  const theta = gptInit(spec, new Stream(15, 0));
  const win = tokenWindows(corpus, Array.from({ length: 16 }, (_, b) => b * 997), 32);
  const fast = new GptGradient(spec);
  const hand = bench(`nano-GPT D = ${gptLayout(spec).dim}, 16 × 32 tokens: GptGradient (hand-written), loss + gradient`, "tokens/s", 512, () => { fast.evaluate(theta, win); }, 5);
  const loops = new GptGradient(spec, { wasm: false });
  const js = bench(`nano-GPT D = ${gptLayout(spec).dim}, 16 × 32 tokens: GptGradient on plain JS loops ({ wasm: false }, same arithmetic)`, "tokens/s", 512, () => { loops.evaluate(theta, win); }, 3);
  const obj = gptObjective(spec, win);
  const tape = bench(`nano-GPT D = ${gptLayout(spec).dim}, 16 × 32 tokens: the tape's gptObjective, loss + gradient`, "tokens/s", 512, () => { obj.evaluate(theta); }, 3);
  results.push(hand, js, tape);
  console.log(`nano-GPT gradient: ${(hand.rate / js.rate).toFixed(1)}× its own JS loops, ${(hand.rate / tape.rate).toFixed(1)}× the tape; the talk's 5 000 iterations of 512 tokens would take ${(5000 * 512 / hand.rate / 60).toFixed(1)} min on one thread (target: 5 min on two cores)`);
}

// 4h. The GELU of that network (4 layers × 256 × 256 entries per 8-window chunk): lib/nn/gelu's
// tabulated Taylor series (value and slope) against the same two numbers from stdlib's erfc and
// Math.exp, the way GptGradient computed them before; inputs N(0, 1).
{
  const n = 262144, s = new Stream(16, 0), u = new Float64Array(n).map(() => s.normal());
  const value = new Float64Array(n), slope = new Float64Array(n);
  const series = bench(`GELU value + slope, ${n} entries: lib/nn/gelu series (geluInto)`, "entries/s", n, () => geluInto(u, value, slope, n), 10);
  const reference = bench(`GELU value + slope, ${n} entries: stdlib erfc + Math.exp`, "entries/s", n, () => {
    for (let i = 0; i < n; i++) { const x = u[i], P = normalCdf(x); value[i] = x * P; slope[i] = P + (x * Math.exp(-0.5 * x * x)) / 2.5066282746310002; }
  }, 10);
  results.push(series, reference);
  console.log(`GELU: the series is ${(series.rate / reference.rate).toFixed(1)}× stdlib's erfc + exp`);
  // the same series in the WebAssembly kernel GptGradient runs (wasm/gelu.ts, two entries per v128)
  const arena = new KernelArena();
  if (arena.wasm) {
    const table0 = geluKernelTable();
    arena.layout(3 * n + table0.length);
    const ku = arena.alloc(n), kv = arena.alloc(n), ks = arena.alloc(n), kt = arena.alloc(table0.length);
    ku.set(u); kt.set(table0);
    const kernel = bench(`GELU value + slope, ${n} entries: the series in WebAssembly (KernelArena.gelu)`, "entries/s", n, () => arena.gelu(ku, kv, ks, kt, n), 10);
    results.push(kernel);
    console.log(`GELU: the WebAssembly series is ${(kernel.rate / series.rate).toFixed(1)}× the JS loop (geluInto), the same numbers`);
  }
}

// 5. RQF Lyapunov spectrum on S^7 (n = 8, 7 exponents): tangent-flow steps per second.
{
  const steps = 20000;
  results.push(bench("RQF tangent flow + QR, n = 8, 7 exponents", "steps/s", steps, () => {
    lyapunovSpectrum(rqfTangent({ n: 8, dt: 0.005 }), { steps: steps, stream: new Stream(5, 0) });
  }, 5));
}

// 6. SGD at a minimum of the D = 51 network (normal space of dimension 12): the QR product step.
const net = TanhMlp.teacherStudent(new Stream(1, 77), { inputs: 8, hidden: 5, samples: 12 });
const netRun = descend(net, new Stream(6, 0).fillNormal(new Float64Array(net.dim)), { eta: 0.2 });
const lin = new NormalLinearization(net, projectOntoMinima(net, netRun.x).x);
{
  const steps = 1 << 17;
  results.push(bench(`SGD linearisation A_B (b = 2) + QR, D = ${net.dim}, normal dim ${lin.rank}`, "steps/s", steps, () => {
    lyapunovSpectrum(sgdTangent(lin, { eta: 0.2, batch: 2 }), { k: 1, steps: steps, stream: new Stream(7, 0) });
  }, 5));
}
// 7. GD steps on the network (one full gradient: 12 samples × 5 tanh units).
{
  const steps = 20000;
  results.push(bench(`GD step, tanh network D = ${net.dim}, N = ${net.n}`, "steps/s", steps, () => {
    descend(net, new Stream(8, 0).fillNormal(new Float64Array(net.dim)), { eta: 1e-4, maxSteps: steps });
  }, 5));
}

const width = Math.max(...results.map((r) => r.name.length));
console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? "cpu"}, single thread; median of 9 runs (min–max)\n`);
let missed = 0;
// 10. Symmetric eigenvalues (issue 5: ≥ 5× ml-matrix at n = 500, no allocation per call for small ones).
{
  const n = 500, a = goe(new Stream(10, 0), n);
  const rows = Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, i * n + n)));
  const solver = new SymmetricEigen(n), out = new Float64Array(n);
  const ml = bench("eigenvalues 500×500: ml-matrix EigenvalueDecomposition", "matrices/s", 1, () => { new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true }); }, 3);
  const mine = bench("eigenvalues 500×500: SymmetricEigen (values only)", "matrices/s", 1, () => { solver.values(a, out); });
  solver.useWasm = false;
  const js = bench("eigenvalues 500×500: SymmetricEigen, JS reduction (no wasm)", "matrices/s", 1, () => { solver.values(a, out); }, 3);
  solver.useWasm = true;
  // issue 5's target (≥ 5× ml-matrix) and issue 13's (≤ 4× LAPACK's time, when numpy is here to measure it)
  results.push(ml, js, { ...mine, target: Math.max(5 * ml.rate, lapack ? 1 / (4 * lapack.eigvalsh500) : 0) });
  console.log(`eigenvalues 500×500: SymmetricEigen ${(1e3 / mine.rate).toFixed(1)} ms = ${(mine.rate / ml.rate).toFixed(1)}× ml-matrix, ${(mine.rate / js.rate).toFixed(1)}× its JS reduction` +
    (lapack ? `; LAPACK (numpy eigvalsh, 1 thread) ${(1e3 * lapack.eigvalsh500).toFixed(1)} ms: SymmetricEigen takes ${(1 / mine.rate / lapack.eigvalsh500).toFixed(2)}× as long` : ""));
  for (const k of [2, 16]) {
    const count = k === 2 ? 1 << 17 : 1 << 13, m = goe(new Stream(10, k), k), sm = new SymmetricEigen(k), o = new Float64Array(k);
    results.push(bench(`eigenvalues ${k}×${k}: one reused SymmetricEigen`, "matrices/s", count, () => { for (let i = 0; i < count; i++) sm.values(m, o); }));
  }
}
// 11. The models of notebook 09 and Dyson's eigenvalue SDE.
{
  const d = teacherStudentData({ inputs: 8, outputs: 8, samples: 256, target: [0.5, 0.5, 1, 1, 1.5, 1.5, 2, 2], noise: 0.5, stream: new Stream(11, 0) });
  const ts = new TeacherStudentSgd(d, 0.01, 4, new Stream(11, 1)), steps = 1 << 16;
  results.push(bench("teacher–student SGD step, 8×8, |B| = 4", "steps/s", steps, () => ts.run(steps)));
  const rbm = new GaussianRbm({ visible: 10, hidden: 10, mu2: 8, data: latticeFieldData(10, 1, 1000, new Stream(11, 2)), alpha: 0.01, batch: 16, stream: new Stream(11, 3), initScale: 1 });
  results.push(bench("Gaussian RBM PCD update, 10×10, |B| = 16", "steps/s", 1 << 13, () => rbm.run(1 << 13)));
  // Notebook 16's full-batch RBM step at its MNIST size (49 visible, 16 hidden), against the same
  // step written with ml-matrix (products, and the Cholesky solve of K = μ²I − WWᵀ).
  {
    const V = 49, H = 16, mu2 = 100, alpha = 0.15, cov = goe(new Stream(11, 5), V).map((v, k) => (k % (V + 1) === 0 ? 0.05 : 0) + 1e-3 * v);
    const mine = new ExactGradientRbm({ covariance: cov, visible: V, hidden: H, mu2, alpha, stream: new Stream(11, 6) });
    const steps = 200;
    const hand = bench("RBM full-batch step, 49×16 (ExactGradientRbm)", "steps/s", steps, () => mine.run(steps));
    const C = new Matrix(Array.from({ length: V }, (_, i) => Array.from(cov.subarray(i * V, (i + 1) * V))));
    let W = new Matrix(Array.from({ length: V }, (_, i) => Array.from(mine.w.subarray(i * H, (i + 1) * H))));
    const ml = bench("RBM full-batch step, 49×16, ml-matrix (reference)", "steps/s", steps, () => {
      for (let t = 0; t < steps; t++) {
        const K = Matrix.eye(V).mul(mu2).sub(W.mmul(W.transpose()));
        const G = C.mmul(W).sub(new CholeskyDecomposition(K).solve(W));
        W = W.add(G.mul(alpha));
      }
    }, 3);
    results.push(ml, hand);
    console.log(`RBM full-batch step 49×16: ExactGradientRbm ${(1e6 / hand.rate).toFixed(0)} µs = ${(hand.rate / ml.rate).toFixed(1)}× the same step in ml-matrix`);
  }
  const sde = new DysonEigenvalueSde(4, quadraticPotential(2, 1), 0.08), x = Float64Array.of(0.85, 0.95, 1.05, 1.15);
  results.push(bench("Dyson eigenvalue SDE step (implicit repulsion), n = 4", "steps/s", 1 << 16, () => sde.run(x, new Stream(11, 4), 0.005, 1 << 16)));
}
// 12. descend's confirmation (issue 11): SGD runs on the factorisation curve to convergence with the
// linearised confirmation, against the single kick it replaced (the same runs, one thread).
{
  const m = new Factorization([Math.sqrt(0.1), Math.sqrt(0.9)], 1), spec = modelSpec(m), n = 200;
  const runs = (confirm: "kick" | "linearized") => () => {
    for (let i = 0; i < n; i++) descentRun({ model: spec, eta: 0.3, batch: 1, init: { kind: "curve", tauMax: 1.6, eps: 0.05 }, seed: 7, index: i, confirm });
  };
  const kick = bench("SGD runs (curve, η = 0.3, |B| = 1): kick confirmation (reference)", "runs/s", n, runs("kick"), 5);
  const lin = bench("SGD runs (curve, η = 0.3, |B| = 1): linearised confirmation", "runs/s", n, runs("linearized"), 5);
  results.push(kick, { ...lin, name: `${lin.name} (×${(lin.rate / kick.rate).toFixed(2)} of the kick)` });
}
for (const r of results) {
  const target = r.target ? `  target ≥ ${formatRate(r.target)} ${r.rate >= r.target ? "met" : "MISSED"}` : "";
  if (r.target && r.rate < r.target) missed++;
  console.log(`${r.name.padEnd(width)}  ${formatRate(r.rate).padStart(8)} ${r.unit}  (${formatRate(r.min)}–${formatRate(r.max)})${target}`);
}
const out = path.resolve(__dirname, "..", "..", "out");
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, "bench.json"), JSON.stringify({ node: process.version, cpu: os.cpus()[0]?.model, results }, null, 2) + "\n");
// 8. λ(x*) to two significant digits (issue 4: under 2 s for D ≥ 50, normal dimension ≥ 10): double
// the number of factors until the 99.9% half-width is below half a unit of the second significant digit.
{
  const t0 = process.hrtime.bigint();
  let steps = 50_000, e = lyapunovSpectrum(sgdTangent(lin, { eta: 0.05, batch: 2 }), { k: 1, steps: steps, transient: 1000, stream: new Stream(9, 0) });
  const digitOk = () => { const unit = Math.pow(10, Math.floor(Math.log10(Math.abs(e.exponents[0]))) - 1); return lyapunovHalfWidth(e) <= unit / 2; };
  while (!digitOk() && steps < 1 << 26) { steps *= 2; e = lyapunovSpectrum(sgdTangent(lin, { eta: 0.05, batch: 2 }), { k: 1, steps: steps, transient: 1000, stream: new Stream(9, 0) }); }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`\nλ(x*) on the D = ${net.dim} network (normal dim ${lin.rank}, η = 0.05, |B| = 2): ${e.exponents[0].toPrecision(4)} ± ${lyapunovHalfWidth(e).toPrecision(2)} (99.9%) from ${steps} factors; ${secs.toFixed(2)} s including the shorter tries (target < 2 s: ${secs < 2 ? "met" : "MISSED"})`);
}
// 8b. The full Lyapunov spectrum of a network with D ≈ 100 (issue 14: ≤ 30 s on one core): the tanh MLP
// of notebook 11 widened to d = 8 inputs (D = 101, N = 200), GD, 500 transient + 1500 averaged steps,
// all 101 exponents (full Hessian, D² per sample). Then the top 8 exponents by Hessian-vector products
// against the same 8 through the full Hessian (the reference the hand-written product path replaced).
{
  const { model } = TanhMlp.linearTeacher(new Stream(15, 0), { inputs: 8, hidden: 10, train: 200, test: 1, noise: 0.3 });
  const x0 = new Stream(15, 1).fillNormal(new Float64Array(model.dim)).map((v) => 0.3 * v);
  const time = (f: () => unknown) => { const t = process.hrtime.bigint(); f(); return Number(process.hrtime.bigint() - t) / 1e9; };
  const fullSecs = time(() => lyapunovSpectrum(descentTangent(model, { eta: 0.1, x0 }), { steps: 1500, transient: 500, stream: new Stream(15, 2) }));
  console.log(`\nFull Lyapunov spectrum, tanh MLP D = ${model.dim}, N = 200, 2000 GD steps: ${fullSecs.toFixed(1)} s on one core (target ≤ 30 s: ${fullSecs <= 30 ? "met" : "MISSED"})`);
  const plain = { dim: model.dim, n: model.n, residual: model.residual.bind(model), residualGradient: model.residualGradient.bind(model), addResidualHessian: model.addResidualHessian.bind(model) };
  const hvpSecs = time(() => lyapunovSpectrum(descentTangent(model, { eta: 0.1, x0 }), { k: 8, steps: 1000, stream: new Stream(15, 2) }));
  const refSecs = time(() => lyapunovSpectrum(descentTangent(plain, { eta: 0.1, x0 }), { k: 8, steps: 1000, stream: new Stream(15, 2) }));
  console.log(`Top 8 exponents, 1000 steps: Hessian-vector products ${hvpSecs.toFixed(2)} s, full Hessian (reference) ${refSecs.toFixed(2)} s (×${(refSecs / hvpSecs).toFixed(2)})`);
}
// 9. A GD ensemble on the network on one worker and on all cores (same results; wall-clock speed-up).
void (async () => {
  // 14. Issue 35: k Hessian-vector products in one k-tangent sweep, against k sweeps, PyTorch and on 2 threads (tools/bench/tangent.ts)
  await tangentBench();
  const o = { eta: 0.3, runs: 64, init: { kind: "gaussian" as const, scale: 1 }, seed: 1 };
  const t1 = Date.now();
  const one = await descentEnsemble(net, o, { workers: 1 });
  const t2 = Date.now();
  const all = await descentEnsemble(net, o, {});
  const t3 = Date.now();
  const same = JSON.stringify(one.records) === JSON.stringify(all.records);
  console.log(`GD ensemble, 64 runs on the network: 1 worker ${((t2 - t1) / 1000).toFixed(2)} s, ${os.cpus().length} workers ${((t3 - t2) / 1000).toFixed(2)} s (×${((t2 - t1) / (t3 - t2)).toFixed(2)}), identical results: ${same}`);
  // 10. RBM ensemble of notebook 09 (issue 5): 40 PCD runs of 1200 steps in blocks of 10, one worker vs all cores.
  const spec = { sites: 10, mass2: 1, mu2: 8, samples: 4096, dataSeed: 3 };
  const blocks = runBlocks({ spec, alpha: 0.01, batch: 32, steps: 1200, seed: 1 }, 40, { size: 10 });
  const t4 = Date.now();
  const rbmOne = await parallelMap(rbmTask, blocks, { workers: 1 });
  const t5 = Date.now();
  const rbmAll = await parallelMap(rbmTask, blocks);
  const t6 = Date.now();
  console.log(`RBM ensemble, 40 PCD runs × 1200 steps (10 sites, |B| = 32): 1 worker ${((t5 - t4) / 1000).toFixed(2)} s, ${os.cpus().length} workers ${((t6 - t5) / 1000).toFixed(2)} s (×${((t5 - t4) / (t6 - t5)).toFixed(2)}), identical results: ${JSON.stringify(rbmOne) === JSON.stringify(rbmAll)}`);
  // 11. Data-parallel minibatch gradients (issue 13): the MNIST MLP of 4e on minibatches of 256 digits,
  // and a char-level GPT (V = 64, block 32, 2 layers, 2 heads, d = 32) on 16 windows of 32 tokens,
  // in this thread (workers = 1) and on all cores; the results must be identical bit for bit.
  {
    const ds = loadMnist({ perDigit: 100, pool: 2, normalise: "center" });
    const spec: MlpSpec = { widths: [196, 32, 32, 10], activations: ["tanh", "tanh", "identity"] };
    const theta = mlpInit(spec, new Stream(14, 0));
    const batches = Array.from({ length: 8 }, (_, b) => Int32Array.from({ length: 256 }, (_, i) => (b * 256 + i * 7) % 1000));
    const g: GptSpec = { vocab: 64, block: 32, layers: 2, heads: 2, dModel: 32 };
    const corpus = Int32Array.from({ length: 4096 }, (_, i) => (i * 31 + ((i * i) % 17)) % 64);
    const gTheta = gptInit(g, new Stream(14, 1));
    const windows = Array.from({ length: 4 }, (_, b) => Int32Array.from({ length: 16 }, (_, i) => (b * 997 + i * 211) % 4000));
    for (const [label, unit, open, th, sets, per] of [
      ["MNIST MLP D = 7690, minibatch 256: gradient + HVP", "minibatches/s", (workers: number) => DataParallelObjective.open(mlpShardTask, mlpShardConfig(spec, { inputs: ds.images, labels: ds.labels }, "cross-entropy"), { workers }), theta, batches, 1],
      [`char GPT D = ${gptLayout(g).dim}, 16 windows × 32 tokens: gradient + HVP`, "tokens/s", (workers: number) => DataParallelObjective.open(gptShardTask, gptShardConfig(g, corpus, 32), { workers, chunk: 4 }), gTheta, windows, 16 * 32],
    ] as const) {
      const outs: string[] = [], rates: number[] = [];
      for (const workers of [1, os.cpus().length]) {
        const dp = await open(workers);
        const v = new Stream(14, 2).fillNormal(new Float64Array(dp.dim));
        // warm-up of at least half a second, as the harness does: the workers' code must reach V8's optimising tier too
        for (const t = Date.now(); Date.now() - t < 500;) await dp.evaluate(th, sets[0], v);
        const t0 = Date.now();
        let last = "";
        for (const b of sets) last = JSON.stringify(Array.from((await dp.evaluate(th, b, v)).gradient));
        const seconds = (Date.now() - t0) / 1000;
        await dp.close();
        outs.push(last);
        rates.push((sets.length * per) / seconds);
      }
      console.log(`${label}: 1 worker ${formatRate(rates[0])} ${unit}, ${os.cpus().length} workers ${formatRate(rates[1])} ${unit} (×${(rates[1] / rates[0]).toFixed(2)}), identical results: ${outs[0] === outs[1]}`);
    }
  }
  // 13. The whole training run of notebook 12 (trainGpt on Moby-Dick with its default configuration:
  // data-parallel gradient on all cores, AdamW, the validation loss every 100 iterations), 300
  // iterations from a cold start (threads, JIT: as a real run starts). The projection of the talk's
  // 5 000 counts the start once: the time to iteration 20, then the rate of iterations 21–300.
  {
    const corpus = loadMobyDick();
    const its = 300, warm = 20;
    const config = gptTrainConfig({ spec: { vocab: corpus.alphabet.length, block: 32, layers: 4, heads: 4, dModel: 64 }, iterations: its });
    const t0 = process.hrtime.bigint();
    let tWarm = t0;
    await trainGpt(config, { corpus, onProgress: (p) => { if (p.iteration === warm) tWarm = process.hrtime.bigint(); } });
    const t1 = process.hrtime.bigint();
    const start = Number(tWarm - t0) / 1e9, perIteration = Number(t1 - tWarm) / 1e9 / (its - warm);
    const minutes = (start + (5000 - warm) * perIteration) / 60;
    if (minutes > 5) missed++;
    console.log(`trainGpt on ${os.cpus().length} workers: ${(512 / perIteration / 1000).toFixed(1)} k tokens/s, ${(1000 * perIteration).toFixed(0)} ms per iteration after a start of ${start.toFixed(1)} s (20 iterations); the talk's 5 000 iterations would take ${minutes.toFixed(1)} min (target 5 min: ${minutes <= 5 ? "met" : "MISSED"})`);
  }
  if (missed) console.log(`\n${missed} target(s) missed on this machine (a loaded machine runs slower: rerun on an idle one).`);
})();
