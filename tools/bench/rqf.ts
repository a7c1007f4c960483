// The RQF: two points on S² (target 4 M pair-steps/s), why RqfFlow is specialised (against the generic integrator),
// the pitchfork λ by the generic variational solver, and the RQF tangent flow on S^7.
import { Stream } from "../../lib/random";
import { SdeIntegrator } from "../../lib/sde";
import { pitchfork } from "../../lib/models";
import { RqfFlow, pairWithInnerProduct, rqfTangent, rqfSde, uniformOnSphere } from "../../lib/rqf";
import { lyapunovSpectrum, sdeTangent } from "../../lib/lyapunov";
import { bench } from "./harness";
import type { BenchContext } from "./harness";

/** Runs this file's benchmarks into ctx (see the comment at the top). */
export function run(ctx: BenchContext): void {
  {
    const flow = new RqfFlow(3, 2, 0.005);
    const st = new Stream(4, 0);
    const x = pairWithInnerProduct(3, 0.2);
    const steps = 1 << 20;
    ctx.results.push({
      ...bench("RQF two-point on S², Heun, dt = 0.005 (incl. noise)", "pair-steps/s", steps, () => {
        for (let i = 0; i < steps; i++) flow.step(st, x);
      }),
      target: 4e6,
    });
  }

  // 4b. Why RqfFlow and rqfTangent are specialised: the same one-point step through the generic
  // integrator (rqfSde: n(n+1)/2 noise columns, each a full vector) and the generic variational
  // solver, against the kernels, same n and dt. The test suite checks that they agree.
  for (const n of [3, 8]) {
    const dt = 0.005,
      steps = n === 3 ? 1 << 17 : 1 << 14,
      m = (n * (n + 1)) / 2;
    const flow = new RqfFlow(n, 1, dt),
      st = new Stream(4, n),
      x = uniformOnSphere(st, n, 1);
    const special = bench(`RQF one point on S^${n - 1}: RqfFlow.step (specialised)`, "steps/s", steps, () => {
      for (let i = 0; i < steps; i++) flow.step(st, x);
    });
    const integ = new SdeIntegrator(rqfSde(n), "heun"),
      y = Float64Array.from(x),
      dW = new Float64Array(m);
    const generic = bench(
      `RQF one point on S^${n - 1}: SdeIntegrator heun on rqfSde + renormalise (generic)`,
      "steps/s",
      steps,
      () => {
        for (let i = 0; i < steps; i++) {
          st.drawNormals(dW, 0, m);
          for (let j = 0; j < m; j++) dW[j] *= Math.sqrt(dt);
          integ.step(y, dt, dW, 0);
          let len = 0;
          for (let j = 0; j < n; j++) len += y[j] * y[j];
          len = Math.sqrt(len);
          for (let j = 0; j < n; j++) y[j] /= len;
        }
      },
    );
    ctx.results.push(special, generic);
    console.log(`RQF step on S^${n - 1}: specialised / generic = ${(special.rate / generic.rate).toFixed(1)}x`);
  }
  {
    const steps = 1 << 16;
    const a = bench(
      "pitchfork λ: lyapunovSpectrum(sdeTangent(...)), Heun (generic variational)",
      "steps/s",
      steps,
      () => {
        lyapunovSpectrum(sdeTangent(pitchfork(0.5, 0.7), { x0: [1], dt: 0.005, scheme: "heun" }), {
          steps: steps,
          stream: new Stream(6, 0),
        });
      },
    );
    ctx.results.push(a);
  }
  {
    const steps = 20000;
    ctx.results.push(
      bench(
        "RQF tangent flow + QR, n = 8, 7 exponents",
        "steps/s",
        steps,
        () => {
          lyapunovSpectrum(rqfTangent({ n: 8, dt: 0.005 }), { steps: steps, stream: new Stream(5, 0) });
        },
        5,
      ),
    );
  }
}
