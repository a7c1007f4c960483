import { test } from "node:test";
import assert from "node:assert/strict";
import { reflectedEnsemble, reflectedEnsembleSde, rbmModeEnsemble } from "../../lib/sde/reflected-ensemble";
import { SdeIntegrator } from "../../lib/sde";
import { rbmModeMoments } from "../../lib/sde/mode-moments";
import { richardson } from "../../lib/stats/richardson";
import { Stream } from "../../lib/random";

test("Ornstein–Uhlenbeck far from the walls: E x_τ = x0 e^{−aτ} and Var x_τ → g²/a, within 4 standard errors plus the O(dt) bias", () => {
  const a = 2,
    g2 = 0.05,
    dt = 1e-3,
    x0 = 1;
  const r = reflectedEnsemble({
    drift: (x) => -a * x,
    g2,
    lower: -50,
    upper: 50,
    x0,
    paths: 20000,
    dt,
    times: [0.25, 0.5, 3],
    stream: new Stream(31, 0),
  });
  [0.25, 0.5].forEach((t, k) => {
    const exact = x0 * Math.exp(-a * t),
      bias = a * a * t * dt * exact; // Euler's (1 − a dt)^n against e^{−at}
    assert.ok(Math.abs(r.mean[k] - exact) < 4 * r.standardError[k] + bias, `t = ${t}: ${r.mean[k]} vs ${exact}`);
  });
  // at τ = 3 the mean is ~0 and the standard error is √(g²/a / paths)
  assert.ok(Math.abs(r.standardError[2] - Math.sqrt(g2 / a / 20000)) < 0.05 * Math.sqrt(g2 / a / 20000));
});

test("a reflecting wall at 0 with no drift: E x_τ = √(4g²τ/π) (the reflected Brownian motion), seeded reproducibility", () => {
  const g2 = 0.5,
    t = 1;
  const o = { drift: () => 0, g2, lower: 0, upper: 100, x0: 0, paths: 20000, dt: 1e-3, times: [t] };
  const r = reflectedEnsemble({ ...o, stream: new Stream(32, 0) });
  const exact = Math.sqrt((4 * g2 * t) / Math.PI);
  assert.ok(Math.abs(r.mean[0] - exact) < 4 * r.standardError[0] + 0.01 * exact, `${r.mean[0]} vs ${exact}`);
  assert.deepEqual(reflectedEnsemble({ ...o, stream: new Stream(32, 0) }).mean, r.mean);
});

test("centres: the spread E(x − c)² of a stationary Ornstein–Uhlenbeck ensemble is g²/a + (m − c)², and the means are those of the run without centres", () => {
  const a = 2,
    g2 = 0.05,
    dt = 1e-3,
    var0 = g2 / a;
  const o = { drift: (x: number) => -a * x, g2, lower: -50, upper: 50, x0: 0, paths: 20000, dt, times: [0.5, 3] };
  const plain = reflectedEnsemble({ ...o, stream: new Stream(33, 0) });
  const r = reflectedEnsemble({ ...o, centres: [0, 0.1], stream: new Stream(33, 0) });
  assert.deepEqual(r.mean, plain.mean);
  assert.deepEqual(r.standardError, plain.standardError);
  assert.equal(plain.spread, undefined);
  // E x² at τ from x0 = 0: (g²/a)(1 − e^{−2aτ}); Euler's stationary variance carries 1/(1 − a dt/2)
  [
    [0.5, 0],
    [3, 0.1],
  ].forEach(([t, c], k) => {
    const exact = (var0 * (1 - Math.exp(-2 * a * t))) / (1 - (a * dt) / 2) + c * c;
    assert.ok(
      Math.abs(r.spread![k] - exact) < 4 * r.spreadError![k],
      `τ = ${t}, c = ${c}: ${r.spread![k]} vs ${exact} (se ${r.spreadError![k]})`,
    );
  });
  // the spread's standard error of a Gaussian: √(2 var² + 4 var c²)/√n
  const se = Math.sqrt(2 * var0 * var0 + 4 * var0 * 0.01) / Math.sqrt(20000);
  assert.ok(Math.abs(r.spreadError![1] - se) < 0.05 * se, `se ${r.spreadError![1]} vs ${se}`);
  assert.throws(() => reflectedEnsemble({ ...o, centres: [0], stream: new Stream(1) }), /centres.*length 2/);
  assert.throws(() => reflectedEnsemble({ ...o, centres: [0, NaN], stream: new Stream(1) }), /centres\[1\]/);
});

test("rbmModeMoments: each (time, step) its own named ensemble, batches pooled, Richardson in dτ; the same numbers for any number of workers", async () => {
  const mode = { kappa: 0.5, mu2: 1, g2: 0.01, x0: 0.5 };
  const o = {
    ...mode,
    times: [0.4, 1],
    dts: [0.02, 0.01] as [number, number],
    paths: 600,
    batches: 3,
    centres: [0.45, 0.5],
    seed: "test/moments",
  };
  const one = await rbmModeMoments(o, { workers: 1 });
  const two = await rbmModeMoments(o, { workers: 2 });
  assert.deepEqual(two, one);
  // by hand: time 1 at the coarse step is the three batches of the stream "test/moments/1/0"
  const batches = [0, 1, 2].map((k) =>
    rbmModeEnsemble({
      ...mode,
      factor: 1,
      paths: 200,
      dt: 0.02,
      times: [1],
      centres: [0.5],
      seed: "test/moments/1/0",
      index: k,
    }),
  );
  const mean = batches.reduce((s, b) => s + b.mean[0], 0) / 3,
    se = Math.sqrt(batches.reduce((s, b) => s + b.standardError[0] ** 2, 0)) / 3;
  assert.deepEqual(one.mean[1].coarse, { value: mean, se });
  assert.equal(one.spread![1].coarse.value, batches.reduce((s, b) => s + b.spread![0], 0) / 3);
  assert.deepEqual(one.mean[1].extrapolated, richardson(one.mean[1].coarse, one.mean[1].fine));
  // the ensembles of different times are independent streams: not the same numbers
  assert.notEqual(one.mean[0].fine.value, one.mean[1].fine.value);
  await assert.rejects(() => rbmModeMoments({ ...o, paths: 601 }), /multiple of batches/);
  await assert.rejects(() => rbmModeMoments({ ...o, dts: [0.01, 0.02] }), /coarse > fine/);
});

test("rbmModeMoments: the extrapolated mean removes Euler's O(dτ) bias (an Ornstein–Uhlenbeck-like mode far from the walls: E x_τ from H_FP's spectrum)", async () => {
  // the learned well of notebook 15's mode at g² = 0.001, started off-centre: a steep relaxation where Euler's bias is visible
  const o = {
    kappa: 0.5,
    mu2: 1,
    g2: 0.001,
    x0: 0.4,
    times: [0.5],
    dts: [0.1, 0.05] as [number, number],
    paths: 40000,
    batches: 2,
    seed: "test/moments-bias",
  };
  const r = await rbmModeMoments(o, { workers: 1 });
  const { FokkerPlanckHamiltonian, rbmModePotential } = await import("../../lib/diffusion/fokker-planck-hamiltonian");
  const H = new FokkerPlanckHamiltonian({
    potential: rbmModePotential(0.5, 1).potential,
    g2: 0.001,
    lower: 0,
    upper: 1 - 1e-9,
    points: 8000,
  });
  const exact = H.relaxation((x) => x, 0.4, [0.5])[0];
  const e = r.mean[0];
  // the coarse estimate is biased by many standard errors; the extrapolation is not (its O(dτ²) remainder is below 4 se here)
  assert.ok(Math.abs(e.coarse.value - exact) > 8 * e.coarse.se, `coarse ${e.coarse.value} vs ${exact}`);
  assert.ok(
    Math.abs(e.extrapolated.value - exact) < 4 * e.extrapolated.se,
    `extrapolated ${e.extrapolated.value} ± ${e.extrapolated.se} vs ${exact}`,
  );
});

test("bad input: dt ≤ 0, x0 outside the walls, record times that are not multiples of dt", () => {
  const base = {
    drift: () => 0,
    g2: 1,
    lower: 0,
    upper: 1,
    x0: 0.5,
    paths: 10,
    dt: 0.1,
    times: [1],
    stream: new Stream(1),
  };
  assert.throws(() => reflectedEnsemble({ ...base, dt: 0 }), /dt/);
  assert.throws(() => reflectedEnsemble({ ...base, x0: 2 }), /outside/);
  assert.throws(() => reflectedEnsemble({ ...base, times: [0.55] }), /multiple of dt/);
  assert.throws(
    () => rbmModeEnsemble({ kappa: -1, mu2: 1, g2: 0.01, x0: 0, paths: 10, dt: 0.01, times: [1], seed: "s", index: 0 }),
    /kappa/,
  );
});

test("reflectedEnsemble is SdeIntegrator's Euler–Maruyama on reflectedEnsembleSde with each landing point mirrored at the walls, same normals, to rounding", () => {
  // both walls busy: the drift pushes towards 0.8, near the upper wall, and g² is large
  const o = {
    drift: (x: number) => -2 * (x - 0.8),
    g2: 0.2,
    lower: 0,
    upper: 1,
    x0: 0.5,
    paths: 500,
    dt: 0.01,
    times: [0.1, 0.5, 2],
  };
  const r = reflectedEnsemble({ ...o, stream: new Stream(34, 0) });
  const integ = new SdeIntegrator(reflectedEnsembleSde(o), "euler-maruyama"),
    s = new Stream(34, 0),
    z = new Float64Array(o.paths),
    x = new Float64Array(o.paths).fill(o.x0),
    y = new Float64Array(1),
    dW = new Float64Array(1);
  let step = 0,
    reflections = 0;
  o.times.forEach((t, k) => {
    for (; step < Math.round(t / o.dt); step++) {
      s.fillNormal(z);
      for (let p = 0; p < o.paths; p++) {
        y[0] = x[p];
        dW[0] = Math.sqrt(o.dt) * z[p];
        integ.step(y, o.dt, dW, 0);
        let v = y[0];
        if (v < o.lower || v > o.upper) reflections++;
        if (v < o.lower) v = 2 * o.lower - v;
        if (v > o.upper) v = 2 * o.upper - v;
        x[p] = v;
      }
    }
    const mean = x.reduce((a, b) => a + b, 0) / o.paths;
    assert.ok(Math.abs(r.mean[k] - mean) < 1e-13, `t = ${t}: ${r.mean[k]} vs generic ${mean}`);
  });
  assert.ok(reflections > 1000, `the walls must be exercised: ${reflections} reflections`);
  assert.throws(() => reflectedEnsembleSde({ drift: () => 0, g2: 0 }), /g2/);
});
