import { test } from "node:test";
import assert from "node:assert/strict";
import { reflectedEnsemble, rbmModeEnsemble } from "../../lib/sde/reflected-ensemble";
import { Stream } from "../../lib/random";

test("Ornstein–Uhlenbeck far from the walls: E x_τ = x0 e^{−aτ} and Var x_τ → g²/a, within 4 standard errors plus the O(dt) bias", () => {
  const a = 2, g2 = 0.05, dt = 1e-3, x0 = 1;
  const r = reflectedEnsemble({ drift: (x) => -a * x, g2, lower: -50, upper: 50, x0, paths: 20000, dt, times: [0.25, 0.5, 3], stream: new Stream(31, 0) });
  [0.25, 0.5].forEach((t, k) => {
    const exact = x0 * Math.exp(-a * t), bias = a * a * t * dt * exact; // Euler's (1 − a dt)^n against e^{−at}
    assert.ok(Math.abs(r.mean[k] - exact) < 4 * r.standardError[k] + bias, `t = ${t}: ${r.mean[k]} vs ${exact}`);
  });
  // at τ = 3 the mean is ~0 and the standard error is √(g²/a / paths)
  assert.ok(Math.abs(r.standardError[2] - Math.sqrt(g2 / a / 20000)) < 0.05 * Math.sqrt(g2 / a / 20000));
});

test("a reflecting wall at 0 with no drift: E x_τ = √(4g²τ/π) (the reflected Brownian motion), seeded reproducibility", () => {
  const g2 = 0.5, t = 1;
  const o = { drift: () => 0, g2, lower: 0, upper: 100, x0: 0, paths: 20000, dt: 1e-3, times: [t] };
  const r = reflectedEnsemble({ ...o, stream: new Stream(32, 0) });
  const exact = Math.sqrt((4 * g2 * t) / Math.PI);
  assert.ok(Math.abs(r.mean[0] - exact) < 4 * r.standardError[0] + 0.01 * exact, `${r.mean[0]} vs ${exact}`);
  assert.deepEqual(reflectedEnsemble({ ...o, stream: new Stream(32, 0) }).mean, r.mean);
});

test("bad input: dt ≤ 0, x0 outside the walls, record times that are not multiples of dt", () => {
  const base = { drift: () => 0, g2: 1, lower: 0, upper: 1, x0: 0.5, paths: 10, dt: 0.1, times: [1], stream: new Stream(1) };
  assert.throws(() => reflectedEnsemble({ ...base, dt: 0 }), /dt/);
  assert.throws(() => reflectedEnsemble({ ...base, x0: 2 }), /outside/);
  assert.throws(() => reflectedEnsemble({ ...base, times: [0.55] }), /multiple of dt/);
  assert.throws(() => rbmModeEnsemble({ kappa: -1, mu2: 1, g2: 0.01, x0: 0, paths: 10, dt: 0.01, times: [1], seed: "s", index: 0 }), /kappa/);
});
