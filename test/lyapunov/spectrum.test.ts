import { test } from "node:test";
import assert from "node:assert/strict";
import {
  lyapunovSpectrum,
  lyapunovHalfWidth,
  kaplanYorkeDimension,
  mapTangent,
  henonMap,
  matrixProduct,
  sdeTangent,
} from "../../lib/lyapunov";
import { isotropicLinearSde, isotropicLinearExponents, pitchfork } from "../../lib/models";
import { SdeIntegrator, type DifferentiableSde, type Scheme } from "../../lib/sde";
import { Stream } from "../../lib/random";
import { studentTQuantile } from "../../lib/stats";

const T999 = (dof: number) => studentTQuantile(0.9995, dof);

test("Kaplan–Yorke dimension: j + Σλ/|λ_{j+1}|, 0 for a stable point, Lorenz's 2.062", () => {
  assert.equal(kaplanYorkeDimension([0.5, -1]), 1.5);
  assert.equal(kaplanYorkeDimension([-0.1, -2]), 0);
  assert.ok(Math.abs(kaplanYorkeDimension([0.9056, 0, -14.5723]) - (2 + 0.9056 / 14.5723)) < 1e-15);
  assert.equal(kaplanYorkeDimension([0.3, 0.1]), 2, "all partial sums ≥ 0: the number given, a lower bound");
  assert.equal(kaplanYorkeDimension([-1, 0.5]), 1.5, "estimates out of order are sorted first");
  assert.throws(() => kaplanYorkeDimension([NaN]), /exponent 1/);
});

test("constant matrix product through the verb: exponents are log|eigenvalues|, KY dimension from them", () => {
  // M = P diag(2, 0.5, −3) P⁻¹: exponents log 3, log 2, log 0.5 (the sum log 3 is > 0: D_KY = 3).
  const p = [1, 0.4, -0.3, 0, 1, 0.7, 0, 0, 1],
    pinv = [1, -0.4, 0.58, 0, 1, -0.7, 0, 0, 1],
    dg = [2, 0.5, -3];
  const sys = matrixProduct(3, (_s, m) => {
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        let t = 0;
        for (let k = 0; k < 3; k++) t += p[i * 3 + k] * dg[k] * pinv[k * 3 + j];
        m[i * 3 + j] = t;
      }
  });
  const e = lyapunovSpectrum(sys, { steps: 5000, transient: 100, stream: new Stream(1) });
  [Math.log(3), Math.log(2), Math.log(0.5)].forEach((v, i) =>
    assert.ok(Math.abs(e.exponents[i] - v) < 1e-12, `${e.exponents[i]} vs ${v}`),
  );
  assert.equal(e.kaplanYorke, 3);
  // with the two leading exponents only, reorthonormalising every 5 steps changes nothing
  const sparse = lyapunovSpectrum(sys, {
    k: 2,
    steps: 5000,
    transient: 100,
    reorthonormalizeEvery: 5,
    stream: new Stream(1),
  });
  assert.ok(Math.abs(sparse.exponents[1] - Math.log(2)) < 1e-12);
});

test("Hénon map (a = 1.4, b = 0.3): the published spectrum 0.41922, −1.62319 and D_KY = 1.2583", () => {
  // Published values: Sprott, Chaos and Time-Series Analysis (2003), Appendix A (5 decimals).
  const e = lyapunovSpectrum(mapTangent(henonMap(), [0.1, 0.1]), {
    steps: 1_000_000,
    transient: 1000,
    stream: new Stream(1),
  });
  const hw = lyapunovHalfWidth(e, 0);
  assert.ok(Math.abs(e.exponents[0] - 0.41922) < hw + 5e-6, `λ₁ = ${e.exponents[0]} ± ${hw}`);
  assert.ok(Math.abs(e.exponents[0] + e.exponents[1] - Math.log(0.3)) < 1e-10, "λ₁ + λ₂ = log|det DF| = log b exactly");
  assert.ok(Math.abs(e.kaplanYorke - 1.25827) < (2 * hw) / 1.6 + 1e-4, `D_KY = ${e.kaplanYorke}`);
  assert.ok(e.exponents[0] > 100 * hw, "and chaos: λ₁ = 0 is rejected");
});

test("seeded: the same stream gives the same numbers bit for bit; run 0 of several is the single run", () => {
  const sys = sdeTangent(pitchfork(0.5, 0.7), { x0: [1], dt: 0.01, scheme: "heun" });
  const a = lyapunovSpectrum(sys, { T: 50, stream: new Stream(3, 1) });
  const b = lyapunovSpectrum(sys, { T: 50, stream: new Stream(3, 1) });
  assert.deepEqual(Array.from(a.exponents), Array.from(b.exponents));
  const many = lyapunovSpectrum(sys, { T: 50, runs: 4, stream: new Stream(3, 1) });
  assert.equal(many.perRun[0], a.exponents[0]);
  assert.notEqual(many.perRun[1], many.perRun[0]);
  assert.equal(many.dof, 3);
  let calls = 0,
    last = 0;
  lyapunovSpectrum(sys, {
    T: 5,
    runs: 2,
    checkpoints: 4,
    stream: new Stream(3),
    progress: (d, t) => {
      calls++;
      last = d / t;
    },
  });
  assert.ok(calls >= 50 && last === 1);
});

test("bad requests are refused with the option named", () => {
  const sys = mapTangent(henonMap(), [0, 0]);
  assert.throws(() => lyapunovSpectrum(sys, { stream: new Stream(1) }), /exactly one of steps and T/);
  assert.throws(() => lyapunovSpectrum(sys, { steps: 10, T: 10, stream: new Stream(1) }), /exactly one of steps and T/);
  assert.throws(() => lyapunovSpectrum(sys, { k: 3, steps: 10, stream: new Stream(1) }), /number of exponents/);
  assert.throws(() => lyapunovSpectrum(sys, { steps: 10, transient: -1, stream: new Stream(1) }), /transient/);
  assert.throws(
    () => sdeTangent({ dim: 1, noiseDim: 1, drift() {}, diffusion() {} }, { x0: [0], dt: 0.1, scheme: "heun" }),
    /Jacobian/,
  );
  assert.throws(() => sdeTangent(pitchfork(1, 1), { x0: [0], dt: 0.1, scheme: "milstein" as never }), /scheme/);
  assert.throws(
    () => lyapunovSpectrum(mapTangent(henonMap(3, 0.3), [2, 0]), { steps: 100, stream: new Stream(1) }),
    /finite range|non-finite|zero/,
  );
});

/** A two-dimensional SDE with nonlinear drift and state-dependent, non-commuting noise (for derivative checks). */
function nonlinear2d(): DifferentiableSde {
  return {
    dim: 2,
    noiseDim: 2,
    drift(x, o) {
      o[0] = x[1] - x[0] ** 3;
      o[1] = -x[0] - 0.5 * x[1];
    },
    diffusion(x, o) {
      o[0] = 0.3 * Math.sin(x[1]);
      o[1] = 0.1;
      o[2] = 0.2 * x[0];
      o[3] = 0.4 * Math.cos(x[0]);
    },
    driftJacobian(x, o) {
      o[0] = -3 * x[0] ** 2;
      o[1] = 1;
      o[2] = -1;
      o[3] = -0.5;
    },
    // noise 0: g₀ = (0.3 sin x₂, 0.2 x₁); noise 1: g₁ = (0.1, 0.4 cos x₁)
    diffusionJacobian(x, o) {
      o[0] = 0;
      o[1] = 0.3 * Math.cos(x[1]);
      o[2] = 0.2;
      o[3] = 0;
      o[4] = 0;
      o[5] = 0;
      o[6] = -0.4 * Math.sin(x[0]);
      o[7] = 0;
    },
  };
}

test("sdeTangent: the tangent vectors are the derivative of the numerical flow (central differences, both schemes)", () => {
  const sys = nonlinear2d(),
    dt = 0.01,
    steps = 200,
    x0 = [0.4, -0.3];
  for (const scheme of ["euler-maruyama", "heun"] as Scheme[]) {
    const tan = sdeTangent(sys, { x0, dt, scheme });
    const basis = Float64Array.of(1, 0, 0, 1);
    const s = new Stream(21, 0);
    tan.start(s, basis, 2);
    basis.set([1, 0, 0, 1]);
    for (let n = 0; n < steps; n++) tan.advance(basis, 2, s);
    // the same increments, replayed through the plain integrator from x0 ± ε e_c
    const dW = new Stream(21, 0).fillNormal(new Float64Array(2 * steps)).map((z) => z * Math.sqrt(dt));
    const integ = new SdeIntegrator(sys, scheme),
      eps = 1e-6;
    for (let c = 0; c < 2; c++) {
      const plus = Float64Array.from(x0),
        minus = Float64Array.from(x0);
      plus[c] += eps;
      minus[c] -= eps;
      integ.solve(plus, dt, dW);
      integ.solve(minus, dt, dW);
      for (let i = 0; i < 2; i++) {
        const fd = (plus[i] - minus[i]) / (2 * eps);
        assert.ok(
          Math.abs(basis[c * 2 + i] - fd) < 1e-6 * (1 + Math.abs(fd)),
          `${scheme}: ∂x${i}/∂x0_${c} = ${basis[c * 2 + i]} vs ${fd}`,
        );
      }
    }
  }
});

/** λ at dt and dt/2 over independent runs; the difference of the two bounds the O(dt) bias of the finer one. */
function twoSteps(run: (dt: number, stream: Stream) => ReturnType<typeof lyapunovSpectrum>, dt: number, seed: number) {
  const coarse = run(dt, new Stream(seed, 0)),
    fine = run(dt / 2, new Stream(seed, 1));
  return {
    fine,
    bias: (c: number) => Math.abs(coarse.exponents[c] - fine.exponents[c]),
    se: (c: number) => Math.hypot(coarse.standardErrors[c], fine.standardErrors[c]),
  };
}

test("linear SDE dX = aX dt + σ dB X, d = 3: the whole spectrum, Itô (Euler–Maruyama) and Stratonovich (Heun), each rejecting the other", () => {
  const d = 3,
    a = -0.25,
    sigma = 1;
  for (const [scheme, calculus, other] of [
    ["euler-maruyama", "ito", "stratonovich"],
    ["heun", "stratonovich", "ito"],
  ] as const) {
    const r = twoSteps(
      (dt, stream) =>
        lyapunovSpectrum(sdeTangent(isotropicLinearSde(d, a, sigma), { x0: [1, 0, 0], dt, scheme }), {
          T: 200,
          runs: 8,
          stream,
        }),
      0.01,
      30,
    );
    const exact = isotropicLinearExponents(d, a, sigma, calculus),
      wrong = isotropicLinearExponents(d, a, sigma, other);
    for (let c = 0; c < d; c++) {
      const tol = T999(7) * r.se(c) + r.bias(c);
      assert.ok(
        Math.abs(r.fine.exponents[c] - exact[c]) < tol,
        `${calculus} λ${c + 1} = ${r.fine.exponents[c]} vs ${exact[c]} ± ${tol}`,
      );
      assert.ok(
        Math.abs(r.fine.exponents[c] - wrong[c]) > tol,
        `${calculus} λ${c + 1}: the ${other} value is rejected`,
      );
    }
  }
});

test("nonlinear SDE (pitchfork, α = 0.5, σ = 0.7): λ = −2α (Stratonovich) and −2α + σ² (Itô), and an independent two-trajectory estimate agrees", () => {
  const alpha = 0.5,
    sigma = 0.7;
  const spectrum = (scheme: Scheme) =>
    twoSteps(
      (dt, stream) =>
        lyapunovSpectrum(sdeTangent(pitchfork(alpha, sigma), { x0: [1], dt, scheme }), {
          T: 300,
          transient: 10,
          runs: 10,
          stream,
        }),
      0.01,
      40,
    );
  const strat = spectrum("heun"),
    ito = spectrum("euler-maruyama");
  const tolS = T999(9) * strat.se(0) + strat.bias(0),
    tolI = T999(9) * ito.se(0) + ito.bias(0);
  assert.ok(
    Math.abs(strat.fine.exponents[0] + 2 * alpha) < tolS,
    `Stratonovich λ = ${strat.fine.exponents[0]} ± ${tolS}`,
  );
  assert.ok(
    Math.abs(ito.fine.exponents[0] - (-2 * alpha + sigma * sigma)) < tolI,
    `Itô λ = ${ito.fine.exponents[0]} ± ${tolI}`,
  );
  assert.ok(
    Math.abs(strat.fine.exponents[0] - (-2 * alpha + sigma * sigma)) > tolS,
    "the Stratonovich data reject the Itô value",
  );

  // Independent of any Jacobian: two solutions δ apart on the same noise, separation renormalised each step.
  const dt = 0.005,
    steps = 60_000,
    delta = 1e-7;
  const integ = new SdeIntegrator(pitchfork(alpha, sigma), "heun");
  const runs = Array.from({ length: 10 }, (_, r) => {
    const dW = new Stream(41, r).fillNormal(new Float64Array(steps)).map((z) => z * Math.sqrt(dt));
    const x = Float64Array.of(1),
      y = Float64Array.of(1 + delta);
    let sum = 0;
    for (let n = 0; n < steps; n++) {
      integ.step(x, dt, dW, n);
      integ.step(y, dt, dW, n);
      const sep = Math.abs(y[0] - x[0]);
      sum += Math.log(sep / delta);
      y[0] = x[0] + (delta * (y[0] - x[0])) / sep;
    }
    return sum / (steps * dt);
  });
  const mean = runs.reduce((s, v) => s + v, 0) / runs.length;
  const se = Math.sqrt(runs.reduce((s, v) => s + (v - mean) ** 2, 0) / (runs.length - 1) / runs.length);
  const tol = T999(9) * Math.hypot(se, strat.fine.standardErrors[0]) + strat.bias(0);
  assert.ok(
    Math.abs(mean - strat.fine.exponents[0]) < tol,
    `two-trajectory ${mean} vs variational ${strat.fine.exponents[0]} ± ${tol}`,
  );
});
