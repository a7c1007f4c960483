import { test } from "node:test";
import assert from "node:assert/strict";
import { OneDimensionalDiffusion, type Diffusion } from "../../lib/diffusion";

const types = (d: Diffusion) => {
  const x = new OneDimensionalDiffusion(d);
  return [x.classify("left"), x.classify("right")];
};
const bessel = (delta: number): Diffusion => ({ l: 0, r: Infinity, b: (x) => (delta - 1) / (2 * x), sigma: () => 1 });

test("Bessel processes: 0 is exit (δ ≤ 0), regular (0 < δ < 2), entrance (δ ≥ 2); ∞ natural, attracting for δ > 2", () => {
  const expect: [number, string][] = [
    [-1, "exit"],
    [0.5, "regular"],
    [1, "regular"],
    [1.5, "regular"],
    [2, "entrance"],
    [3, "entrance"],
  ];
  for (const [delta, type] of expect) {
    const [zero, inf] = types(bessel(delta));
    assert.equal(zero.type, type, `δ = ${delta}`);
    assert.equal(zero.reachedInFiniteTime, delta < 2, `δ = ${delta}`);
    assert.equal(inf.type, "natural");
    assert.equal(inf.attracting, delta > 2, `δ = ${delta}: ∞ attracting`);
  }
});

test("Brownian motion with drift, geometric Brownian motion, Ornstein–Uhlenbeck: natural ends, attraction by the drift", () => {
  const [l, r] = types({ l: -Infinity, r: Infinity, b: () => 0.5, sigma: () => 1 });
  assert.deepEqual([l.type, l.attracting, r.type, r.attracting], ["natural", false, "natural", true]);
  // GBM: X → ∞ iff μ > σ²/2
  for (const [mu, toInfinity] of [
    [0.1, true],
    [0.05, false],
  ] as const) {
    const [zero, inf] = types({ l: 0, r: Infinity, b: (x) => mu * x, sigma: (x) => 0.4 * x });
    assert.deepEqual(
      [zero.type, inf.type, inf.attracting, zero.attracting],
      ["natural", "natural", toInfinity, !toInfinity],
      `μ = ${mu}`,
    );
  }
  const [ol, or] = types({ l: -Infinity, r: Infinity, b: (x) => -x, sigma: () => 1 });
  assert.deepEqual([ol.type, ol.attracting, or.type, or.attracting], ["natural", false, "natural", false]);
});

test("Wright–Fisher: both ends exit; mean exit time −2[x ln x + (1−x) ln(1−x)]", () => {
  const d = new OneDimensionalDiffusion({ l: 0, r: 1, b: () => 0, sigma: (x) => Math.sqrt(x * (1 - x)) });
  assert.equal(d.classify("left").type, "exit");
  assert.equal(d.classify("right").type, "exit");
  for (const x of [0.1, 0.5, 0.8]) {
    const exact = -2 * (x * Math.log(x) + (1 - x) * Math.log(1 - x));
    assert.ok(Math.abs(d.meanExitTime(x) - exact) < 2e-6 * exact, `${d.meanExitTime(x)} vs ${exact}`);
  }
});

test("Brownian motion with drift on (0, 1): splitting probability and mean exit time in closed form", () => {
  const mu = 0.7;
  const d = new OneDimensionalDiffusion({ l: 0, r: 1, b: () => mu, sigma: () => 1 });
  for (const x of [0.2, 0.5, 0.9]) {
    const p = (1 - Math.exp(-2 * mu * x)) / (1 - Math.exp(-2 * mu));
    assert.ok(Math.abs(d.splittingProbability(x) - p) < 1e-6);
    const t = (p - x) / mu; // E τ = (P(hit 1) − x)/μ
    assert.ok(Math.abs(d.meanExitTime(x) - t) < 1e-6 * Math.abs(t) + 1e-9, `${d.meanExitTime(x)} vs ${t}`);
  }
});

test("the RQF's Z-process: attracting natural ends, P(Z → 1) = 1/2 + arcsin(z)/π, no finite exit time", () => {
  const d = new OneDimensionalDiffusion({
    l: -1,
    r: 1,
    b: (z) => -z * (1 - z * z),
    sigma: (z) => Math.SQRT2 * (1 - z * z),
  });
  for (const side of ["left", "right"] as const) {
    const r = d.classify(side);
    assert.deepEqual([r.type, r.attracting, r.reachedInFiniteTime], ["natural", true, false]);
  }
  for (const z of [-0.9, -0.3, 0, 0.6])
    assert.ok(Math.abs(d.splittingProbability(z) - (0.5 + Math.asin(z) / Math.PI)) < 1e-6);
  assert.equal(d.meanExitTime(0.1), Infinity);
});

test("bad input names the problem", () => {
  assert.throws(() => new OneDimensionalDiffusion({ l: 1, r: 1, b: () => 0, sigma: () => 1 }), /l < r/);
  assert.throws(
    () => new OneDimensionalDiffusion({ l: -1, r: 1, b: () => 0, sigma: (x) => x }),
    /diffusion coefficient/,
  );
  assert.throws(
    () => new OneDimensionalDiffusion({ l: 0, r: 1, b: () => 0, sigma: () => 1 }, { c: 2 }),
    /c must lie inside/,
  );
  const d = new OneDimensionalDiffusion({ l: -Infinity, r: Infinity, b: () => 0, sigma: () => 1 });
  assert.throws(() => d.splittingProbability(0), /both ends attracting/);
});
