// Notebook 14's hot loop: self-attention with common noise, 16 tokens on S², one Heun step per item, against the same
// scheme written with ml-matrix; and random layers (notebook 13).
import { Matrix } from "ml-matrix";
import { Stream } from "../../lib/random";
import { tokenDynamicsRun, layerRun } from "../../lib/rqf";
import { bench } from "./harness";
import type { BenchContext } from "./harness";

/** Runs this file's benchmarks into ctx (see the comment at the top). */
export function run(ctx: BenchContext): void {
  {
    const m = 16,
      n = 3,
      beta = 4,
      dt = 0.02,
      steps = 1000;
    const ours = bench(
      "attention + common noise, m = 16 on S²: tokenDynamicsRun (Heun)",
      "steps/s",
      steps,
      () => {
        tokenDynamicsRun({ n, m, dt, T: steps * dt, beta, sigma: 1, seed: 14, index: 0 });
      },
      5,
    );
    const field = (x: Matrix): Matrix => {
      const w = x.mmul(x.transpose());
      for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) w.set(i, j, Math.exp(beta * (w.get(i, j) - 1)));
      const a = w.mmul(x);
      for (let i = 0; i < m; i++) {
        const z = w.getRow(i).reduce((p, q) => p + q, 0);
        let dot = 0;
        for (let k = 0; k < n; k++) {
          a.set(i, k, a.get(i, k) / z);
          dot += a.get(i, k) * x.get(i, k);
        }
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
    const ref = bench(
      "attention + common noise, m = 16 on S²: the same Heun step with ml-matrix",
      "steps/s",
      steps,
      () => {
        const st = new Stream(14, 0);
        let x = new Matrix(
          Array.from({ length: m }, () => {
            const v = Array.from({ length: n }, () => st.normal());
            const r = Math.hypot(...v);
            return v.map((c) => c / r);
          }),
        );
        const dq = new Matrix(n, n);
        for (let k = 0; k < steps; k++) {
          for (let i = 0; i < n; i++)
            for (let j = i; j < n; j++) {
              const v = st.normal() * Math.sqrt(i === j ? dt : dt / 2);
              dq.set(i, j, v);
              dq.set(j, i, v);
            }
          const a0 = field(x),
            g0 = noise(x, dq);
          const xp = x.clone().add(a0.clone().mul(dt)).add(g0);
          const a1 = field(xp),
            g1 = noise(xp, dq);
          x = x
            .clone()
            .add(a0.add(a1).mul(0.5 * dt))
            .add(g0.add(g1).mul(0.5));
          for (let i = 0; i < m; i++) {
            const r = Math.hypot(...x.getRow(i));
            for (let c = 0; c < n; c++) x.set(i, c, x.get(i, c) / r);
          }
        }
      },
      5,
    );
    ctx.results.push(ours, ref);
    const layers = bench(
      "random layers, m = 8 on S², h = 0.05 (tanh): layerRun, per layer",
      "layers/s",
      2000,
      () => {
        layerRun({ n: 3, m: 8, dt: 0.05, T: 100, variant: "tanh", seed: 14, index: 1 });
      },
      5,
    );
    ctx.results.push(layers);
    console.log(`attention + noise (notebook 14): ${(ours.rate / ref.rate).toFixed(1)}× the ml-matrix step`);
  }
}
