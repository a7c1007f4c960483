// lib/nn on MLPs: the D = 51 tanh network by the tape against the hand-derived gradient, and notebook 10's MNIST
// workload (loss, gradient, HVP; the weight-gradient product Aᵀ·G in the SIMD kernel against a JS loop).
import { Stream } from "../../lib/random";
import { TanhMlp, gradient } from "../../lib/models";
import { mlpObjective, mlpInit, loadMnist, type MlpSpec } from "../../lib/nn";
import { addTransposeTimesInto } from "../../lib/kernels";
import { bench } from "./harness";
import type { BenchContext } from "./harness";

/** Runs this file's benchmarks into ctx (see the comment at the top). */
export function run(ctx: BenchContext): void {
  // one forward-over-reverse sweep, against the hand-derived gradient of TanhMlp (no HVP there).
  {
    const net = TanhMlp.teacherStudent(Stream.named(1, "tanh-teacher-network"), { inputs: 8, hidden: 5, samples: 12 });
    const spec = { widths: [8, 5, 1], activations: ["tanh", "identity"] as ("tanh" | "identity")[] };
    const theta = new Stream(11, 0).fillNormal(new Float64Array(net.dim)),
      v = new Stream(11, 1).fillNormal(new Float64Array(net.dim));
    const reps = 2000;
    ctx.results.push(
      bench("lib/nn: MLP D = 51 loss + gradient + HVP (tape)", "sweeps/s", reps, () => {
        for (let i = 0; i < reps; i++)
          mlpObjective(spec, { inputs: net.data, targets: net.targets }).evaluate(theta, v);
      }),
    );
    const g = new Float64Array(net.dim);
    ctx.results.push(
      bench("TanhMlp D = 51 hand-derived gradient (reference, no HVP)", "gradients/s", reps, () => {
        for (let i = 0; i < reps; i++) gradient(net, theta, g);
      }),
    );
  }
  {
    const ds = loadMnist({ perDigit: 100, pool: 2, normalise: "center", oneHot: true });
    const spec: MlpSpec = { widths: [196, 32, 32, 10], activations: ["tanh", "tanh", "identity"] };
    const obj = mlpObjective(spec, { inputs: ds.images, targets: ds.oneHot! });
    const theta = mlpInit(spec, new Stream(13, 0)),
      v = new Stream(13, 1).fillNormal(new Float64Array(obj.dim));
    ctx.results.push(
      bench("lib/nn: MNIST MLP D = 7690, N = 1000: loss + gradient", "sweeps/s", 20, () => {
        for (let i = 0; i < 20; i++) obj.evaluate(theta);
      }),
    );
    ctx.results.push(
      bench("lib/nn: MNIST MLP D = 7690, N = 1000: loss + gradient + HVP", "sweeps/s", 20, () => {
        for (let i = 0; i < 20; i++) obj.evaluate(theta, v);
      }),
    );
    const m = 1000,
      k = 196,
      n = 32,
      flops = 2 * m * k * n;
    const A = new Stream(13, 2).fillNormal(new Float64Array(m * k)),
      G = new Stream(13, 3).fillNormal(new Float64Array(m * n)),
      acc = new Float64Array(k * n);
    const simd = bench("Aᵀ·G, A 1000×196, G 1000×32: transpose + wasm SIMD kernel", "flop/s", flops, () =>
      addTransposeTimesInto(A, G, acc, m, k, n),
    );
    const loop = bench("Aᵀ·G, A 1000×196, G 1000×32: plain JS accumulation loop", "flop/s", flops, () => {
      for (let i = 0; i < m; i++)
        for (let p = 0; p < k; p++) {
          const x = A[i * k + p];
          for (let j = 0; j < n; j++) acc[p * n + j] += x * G[i * n + j];
        }
    });
    ctx.results.push(simd, loop);
    console.log(
      `Aᵀ·G: SIMD ${(simd.rate / 1e9).toFixed(2)} GFLOP/s = ${(simd.rate / loop.rate).toFixed(1)}× the JS loop`,
    );
  }
}
