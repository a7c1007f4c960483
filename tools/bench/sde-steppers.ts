// Why each specialised SDE stepper is kept: its rate against SdeIntegrator (or sdeTangent) on the same problem,
// same step, noise drawn inside both loops; CPU-time rates (the machine may be shared), ratio printed and in
// bench.json as "sdeSteppers". The RQF one-point flow's comparison is in tools/bench/rqf.ts. The tests that the
// pairs agree are in test/rqf (attention-sde, z-sde, rqf), test/rmt (dyson, dyson-sde) and test/sde.
import { Stream } from "../../lib/random";
import { SdeIntegrator, reflectedEnsemble, reflectedEnsembleSde } from "../../lib/sde";
import { rbmModePotential } from "../../lib/diffusion";
import {
  attentionSde,
  tokenStepper,
  simulateZ,
  simulateCubicZ,
  zSde,
  cubicZSde,
  rqfSde,
  rqfTangent,
  uniformOnSphere,
} from "../../lib/rqf";
import {
  DysonMatrixOu,
  DysonEigenvalueSde,
  dysonMatrixSde,
  dysonEigenvalueSde,
  quadraticPotential,
} from "../../lib/rmt";
import { lyapunovSpectrum, sdeTangent } from "../../lib/lyapunov";
import { bench } from "./harness";
import type { BenchContext } from "./harness";

const CPU = { clock: "cpu" } as const;

/** Runs this file's benchmarks into ctx (see the comment at the top). */
export function run(ctx: BenchContext): void {
  const ratios: Record<string, number> = {};
  const pair = (label: string, unit: string, items: number, special: () => void, generic: () => void): void => {
    const a = bench(`${label}: specialised`, unit, items, special, 7, CPU);
    const b = bench(`${label}: generic`, unit, items, generic, 7, CPU);
    ctx.results.push(a, b);
    ratios[label] = a.rate / b.rate;
    console.log(`${label}: specialised / generic = ${(a.rate / b.rate).toFixed(2)}×`);
  };

  // notebook 14: 16 tokens on S², attention β = 4, common quadratic noise σ = 1, Heun + renormalisation
  {
    const n = 3,
      m = 16,
      dt = 0.02,
      steps = 500,
      o = { n, m, dt, beta: 4, sigma: 1 };
    const sys = attentionSde(o),
      integ = new SdeIntegrator(sys, "heun"),
      nq = (n * (n + 1)) / 2,
      dW = new Float64Array(sys.noiseDim),
      st = new Stream(14, 1);
    pair(
      "attention + common noise, m = 16 on S² (tokenStepper vs Heun on attentionSde)",
      "steps/s",
      steps,
      () => {
        const { step } = tokenStepper({ ...o, T: steps * dt, seed: 14, index: 0 });
        for (let k = 0; k < steps; k++) step();
      },
      () => {
        const y = uniformOnSphere(st, n, m);
        for (let k = 0; k < steps; k++) {
          st.drawNormals(dW, 0, nq);
          for (let j = 0; j < nq; j++) dW[j] *= Math.sqrt(dt);
          integ.step(y, dt, dW, 0);
          for (let p = 0; p < m; p++) {
            let r = 0;
            for (let i = 0; i < n; i++) r += y[p * n + i] ** 2;
            r = Math.sqrt(r);
            for (let i = 0; i < n; i++) y[p * n + i] /= r;
          }
        }
      },
    );
  }

  // notebook 15: the RBM mode between reflecting walls, 1000 paths
  {
    const { drift } = rbmModePotential(1, 2, 1);
    const paths = 1000,
      steps = 200,
      dt = 1e-3,
      o = { drift, g2: 0.05, lower: 0, upper: 2 * (1 - 1e-12), x0: 0.5, paths, dt };
    const integ = new SdeIntegrator(reflectedEnsembleSde(o), "euler-maruyama"),
      z = new Float64Array(paths),
      x = new Float64Array(paths),
      y = new Float64Array(1),
      dW = new Float64Array(1),
      st = new Stream(15, 1);
    pair(
      "RBM mode, reflected ensemble of 1000 paths (reflectedEnsemble vs Euler–Maruyama on reflectedEnsembleSde)",
      "path-steps/s",
      paths * steps,
      () => void reflectedEnsemble({ ...o, times: [steps * dt], stream: new Stream(15, 0) }),
      () => {
        x.fill(o.x0);
        for (let k = 0; k < steps; k++) {
          st.fillNormal(z);
          for (let p = 0; p < paths; p++) {
            y[0] = x[p];
            dW[0] = Math.sqrt(dt) * z[p];
            integ.step(y, dt, dW, 0);
            let v = y[0];
            if (v < o.lower) v = 2 * o.lower - v;
            if (v > o.upper) v = 2 * o.upper - v;
            x[p] = v;
          }
        }
      },
    );
  }

  // notebook 03: Z by Euler–Maruyama in a changed variable, against Euler–Maruyama on Z itself
  {
    const steps = 1 << 15,
      dt = 1e-4,
      dW = new Float64Array(steps);
    const em = (sys: ReturnType<typeof zSde>) => {
      const integ = new SdeIntegrator(sys, "euler-maruyama"),
        st = new Stream(3, 1);
      return () => {
        st.fillNormal(dW);
        for (let k = 0; k < steps; k++) dW[k] *= Math.sqrt(dt);
        integ.solve(Float64Array.of(0.3), dt, dW);
      };
    };
    for (const variable of ["arcsin", "artanh"] as const)
      pair(
        `Z of the RQF, ${variable} variable (simulateZ vs Euler–Maruyama on zSde)`,
        "steps/s",
        steps,
        () => void simulateZ({ z0: 0.3, times: [steps * dt], dt, stream: new Stream(3, 0), variable }),
        em(zSde()),
      );
    pair(
      "Z, cubic family c = 2 (simulateCubicZ vs Euler–Maruyama on cubicZSde)",
      "steps/s",
      steps,
      () => void simulateCubicZ({ z0: 0.3, times: [steps * dt], dt, stream: new Stream(3, 0), driftFactor: 2 }),
      em(cubicZSde(2)),
    );
  }

  // notebook 08: the matrix Ornstein–Uhlenbeck process, n = 4 (10 entries), and Dyson's eigenvalue SDE
  {
    const n = 4,
      omega = 1,
      g2 = 0.1,
      dt = 0.01,
      steps = 1 << 12,
      q = (n * (n + 1)) / 2;
    const c = Float64Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 1 + k / (n + 1) : 0));
    const integ = new SdeIntegrator(dysonMatrixSde(c, n, omega, g2), "euler-maruyama"),
      dW = new Float64Array(steps * q),
      st = new Stream(8, 1);
    const generic = () => {
      const y = new Float64Array(q);
      st.fillNormal(dW);
      for (let k = 0; k < dW.length; k++) dW[k] *= Math.sqrt(dt);
      integ.solve(y, dt, dW);
    };
    for (const scheme of ["euler-maruyama", "exact"] as const) {
      const ou = new DysonMatrixOu(c, n, omega, g2, scheme),
        s = new Stream(8, 0);
      pair(
        `matrix OU, n = 4 (DysonMatrixOu ${scheme} vs Euler–Maruyama on dysonMatrixSde)`,
        "steps/s",
        steps,
        () => void ou.run(s, dt, steps),
        generic,
      );
    }
    // at repulsion 8 explicit steps do not cross (test/rmt/dyson-sde), so both schemes run the same problem
    const V = quadraticPotential(2, 1),
      x0 = [0.55, 0.85, 1.15, 1.45],
      e = new DysonEigenvalueSde(n, V, 0.02, 8),
      ie = new SdeIntegrator(dysonEigenvalueSde(n, V, 0.02, 8), "euler-maruyama"),
      de = new Float64Array(steps * n),
      se = new Stream(8, 2);
    pair(
      "Dyson eigenvalues, n = 4, repulsion 8 (DysonEigenvalueSde drift-implicit vs explicit Euler–Maruyama on dysonEigenvalueSde)",
      "steps/s",
      steps,
      () => void e.run(Float64Array.from(x0), new Stream(8, 3), dt, steps),
      () => {
        se.fillNormal(de);
        for (let k = 0; k < de.length; k++) de[k] *= Math.sqrt(dt);
        ie.solve(Float64Array.from(x0), dt, de);
      },
    );
  }

  // notebook 04: the RQF's tangent flow (n − 1 exponents), against sdeTangent on rqfSde (no renormalisation)
  for (const n of [3, 8]) {
    const dt = 0.005,
      steps = n === 3 ? 4000 : 1000,
      x0 = uniformOnSphere(new Stream(4, 9), n, 1);
    pair(
      `RQF tangent flow + QR, S^${n - 1}, ${n - 1} exponents (rqfTangent vs sdeTangent on rqfSde)`,
      "steps/s",
      steps,
      () => void lyapunovSpectrum(rqfTangent({ n, dt, x0 }), { k: n - 1, steps, stream: new Stream(4, 10) }),
      () =>
        void lyapunovSpectrum(sdeTangent(rqfSde(n), { x0, dt, scheme: "heun" }), {
          k: n - 1,
          steps,
          stream: new Stream(4, 10),
        }),
    );
  }
  ctx.extra.sdeSteppers = ratios;
}
