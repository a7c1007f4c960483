import { test } from "node:test";
import assert from "node:assert/strict";
import { Stream } from "../../lib/random";
import {
  rqfStepConstants,
  layerStepExponent,
  layerDecayRun,
  onePointRun,
  zExpectation,
  logPoleDistance,
  lampertiU,
  onePointCorrelationDensity,
  splittingProbability,
  simulateZ,
  rqfTangent,
  pullbackSlopePrediction,
  pullbackMeasures,
} from "../../lib/rqf";
import { lyapunovSpectrum } from "../../lib/lyapunov";
import { meanWithError } from "../../lib/stats";

test("rqfStepConstants: the continuum limits λ → −1, μ₁^{1/dt} → e^{−(n−1)/4}, μ₂^{1/dt} → e^{−n/2}; first order in dt; converged in the nodes", () => {
  for (const n of [2, 3]) {
    const c = rqfStepConstants(n, 1e-4);
    assert.ok(Math.abs(c.lyapunov + 1) < 1e-3, `n = ${n}: λ(1e-4) = ${c.lyapunov}`);
    assert.ok(Math.abs(c.harmonic1 ** 1e4 - Math.exp(-(n - 1) / 4)) < 1e-4);
    assert.ok(Math.abs(c.harmonic2 ** 1e4 - Math.exp(-n / 2)) < 1e-4);
    // first order: halving dt halves the bias (to within its second-order part)
    const b1 = rqfStepConstants(n, 0.02).lyapunov + 1,
      b2 = rqfStepConstants(n, 0.01).lyapunov + 1;
    assert.ok(b1 / b2 > 1.8 && b1 / b2 < 2.2, `n = ${n}: bias ratio ${b1 / b2}`);
    assert.ok(Math.abs(rqfStepConstants(n, 0.02, 8).lyapunov - rqfStepConstants(n, 0.02, 11).lyapunov) < 1e-7);
  }
  assert.throws(() => rqfStepConstants(5, 0.01), /n/);
  assert.throws(() => rqfStepConstants(3, 0), /dt/);
});

test("rqfStepConstants against Monte Carlo: the QR exponent of the same scheme (rqfTangent) and the one-point correlation", () => {
  const dt = 0.05;
  const c = rqfStepConstants(3, dt);
  const runs = Array.from(
    { length: 12 },
    (_, r) =>
      lyapunovSpectrum(rqfTangent({ n: 3, dt }), { T: 400, transient: 2, stream: new Stream("test/onestep/qr", r) })
        .exponents[0],
  );
  const e = meanWithError(runs);
  assert.ok(Math.abs(e.value - c.lyapunov) < 5 * e.se + 1e-3, `QR ${e.value} ± ${e.se}, quadrature ${c.lyapunov}`);
  const s: number[] = [];
  for (let i = 0; i < 20000; i++)
    s.push(onePointRun({ n: 3, dt, times: [1], seed: "test/onestep/one-point", index: i })[0]);
  const m = meanWithError(s);
  // E⟨X_k, e₁⟩ = μ₁^k exactly for the chain (equivariance)
  assert.ok(
    Math.abs(m.value - c.harmonic1 ** (1 / dt)) < 4 * m.se,
    `${m.value} ± ${m.se} vs ${c.harmonic1 ** (1 / dt)}`,
  );
});

test("layerStepExponent: continuum limits −1 (symmetric, non-symmetric) and −2 (GOE); the stopping-time estimator's mean at h = 0.1", () => {
  for (const [v, lim] of [
    ["symmetric", -1],
    ["nonsymmetric", -1],
    ["goe", -2],
  ] as const) {
    assert.ok(Math.abs(layerStepExponent(3, 1e-4, v) - lim) < 2e-3, v);
  }
  // the GOE layers at h are the symmetric layers at 2h, run for twice the time per layer
  assert.ok(Math.abs(layerStepExponent(3, 0.025, "goe") - 2 * layerStepExponent(3, 0.05, "symmetric")) < 1e-12);
  const lambda = layerStepExponent(3, 0.1, "nonsymmetric");
  const rates: number[] = [];
  for (let i = 0; i < 600; i++)
    rates.push(
      layerDecayRun({
        n: 3,
        dt: 0.1,
        variant: "nonsymmetric",
        z0: 0,
        maxTime: 60,
        window: 6,
        seed: "test/onestep/layers",
        index: i,
      }).rate,
    );
  const e = meanWithError(rates);
  assert.ok(Math.abs(e.value - lambda) < 4 * e.se, `${e.value} ± ${e.se} vs ${lambda}`);
  assert.throws(() => layerStepExponent(3, 0.1, "tanh"), /tanh/);
  assert.throws(() => layerStepExponent(4, 0.1, "symmetric"), /n/);
});

test("zExpectation: the splitting probability at long times, κ scales time, and Monte Carlo of P(|Z₁| > 0.95)", () => {
  // E sign(Z_t) → P(+1) − P(−1) = 2p(z₀) − 1
  const sgn = zExpectation((u) => Math.sign(u), [30], { z0: 0.5 }, { du: 0.02, dt: 0.01 })[0];
  assert.ok(Math.abs(sgn - (2 * splittingProbability(0.5) - 1)) < 2e-4, `${sgn}`);
  const a = lampertiU(0.95);
  const ind = (u: number) => (Math.abs(u) > a ? 1 : 0);
  const [p1, p2] = zExpectation(ind, [1, 2], { z0: 0 });
  assert.ok(Math.abs(zExpectation(ind, [1], { z0: 0 }, { kappa: 2 })[0] - p2) < 1e-5);
  const s = new Stream("test/zlaw/mc", 0);
  let hits = 0;
  const N = 40000;
  for (let i = 0; i < N; i++)
    if (Math.abs(simulateZ({ z0: 0, times: [1], dt: 0.002, stream: s, variable: "artanh" })[0]) > 0.95) hits++;
  const se = Math.sqrt((p1 * (1 - p1)) / N);
  assert.ok(Math.abs(hits / N - p1) < 4 * se + 2e-3, `MC ${hits / N} vs ${p1}`);
  assert.ok(p1 > 0.3 && p1 < p2 && p2 < 1);
});

test("zExpectation: converges in the grid (a step statistic and a smooth one); second order in dt; errors", () => {
  const a = lampertiU(0.95);
  const ind = (u: number) => (Math.abs(u) > a ? 1 : 0);
  const f = (du: number, dt = du / 2) => zExpectation(ind, [1], { z0: 0 }, { du, dt })[0];
  const [p4, p2, p1] = [f(0.04), f(0.02), f(0.01)];
  assert.ok(Math.abs(p2 - p1) < 1e-4 && Math.abs(p4 - p1) > Math.abs(p2 - p1), `${p4}, ${p2}, ${p1}`);
  const t1 = Math.abs(f(0.02, 0.01) - f(0.02, 0.00125)),
    t2 = Math.abs(f(0.02, 0.005) - f(0.02, 0.00125));
  assert.ok(t1 / t2 > 3 && t1 / t2 < 5.5, `time-step error ratio ${t1 / t2}`);
  const g = (du: number) =>
    zExpectation(logPoleDistance, [3], { density: onePointCorrelationDensity(1) }, { du, dt: du / 2 })[0];
  assert.ok(Math.abs(g(0.02) - g(0.01)) < 1e-4);
  assert.throws(() => zExpectation(ind, [], { z0: 0 }), /times/);
  assert.throws(() => zExpectation(ind, [2, 1], { z0: 0 }), /increasing/);
  assert.throws(() => zExpectation(ind, [1], { z0: 1 }), /boundary/);
  assert.throws(() => zExpectation(() => NaN, [1], { z0: 0 }), /finite/);
});

test("logPoleDistance and onePointCorrelationDensity: closed forms", () => {
  for (const z of [-0.9, -0.3, 0, 0.5, 0.99]) {
    const direct = Math.log(Math.min(Math.hypot(1 - z, Math.sqrt(1 - z * z)), Math.hypot(1 + z, Math.sqrt(1 - z * z))));
    assert.ok(Math.abs(logPoleDistance(lampertiU(z)) - direct) < 1e-12, `z = ${z}`);
  }
  assert.ok(
    Number.isFinite(logPoleDistance(400)) && Math.abs(logPoleDistance(400) - (Math.LN2 - 400 * Math.SQRT2)) < 1e-9,
  );
  const p = onePointCorrelationDensity(0.5);
  let mass = 0,
    mean = 0;
  const K = 20000;
  for (let i = 0; i < K; i++) {
    const c = -1 + ((i + 0.5) * 2) / K;
    mass += (p(c) * 2) / K;
    mean += (c * p(c) * 2) / K;
  }
  assert.ok(Math.abs(mass - 1) < 1e-6 && Math.abs(mean - Math.exp(-0.25)) < 1e-6, `${mass}, ${mean}`);
});

test("pullbackSlopePrediction: the slope on t = 8…14 is λ₁ = −1 up to a transient below 1e-3; pullbackMeasures reads a run", () => {
  const pred = pullbackSlopePrediction(15, 8, { du: 0.04, dt: 0.02 });
  assert.equal(pred.logDistance.length, 14);
  assert.ok(Math.abs(pred.slope + 1) < 1e-3, `slope ${pred.slope}`);
  // E log d(t) + t increases towards its limit: the pairs that commit late
  for (let t = 1; t < 14; t++) assert.ok(pred.logDistance[t] + t + 1 < pred.logDistance[t - 1] + t);
  const run = {
    pullback: [
      [1, 0, 0],
      [0.6, 0.8, 0],
      [0.6, 0.8, 0],
      [-0.6, -0.8, 0],
    ],
    forward: [
      [1, 0, 0],
      [0, 1, 0],
      [0, 1, 0],
      [0, -1, 0],
    ],
  };
  const m = pullbackMeasures(run, 3, 1, 1);
  assert.ok(Math.abs(m.logDistance[0] - Math.log(Math.hypot(0.4, 0.8))) < 1e-15);
  assert.equal(m.logDistance[1], Math.log(1e-15));
  assert.equal(m.floored, 2);
  assert.ok(Math.abs(m.forwardInner - (0 + 1 - 1) / 3) < 1e-15);
  assert.throws(() => pullbackMeasures(run, 3, 1, 3), /windowStart/);
});
