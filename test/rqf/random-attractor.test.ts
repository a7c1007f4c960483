import { test } from "node:test";
import assert from "node:assert/strict";
import { Stream } from "../../lib/random";
import { goe } from "../../lib/random/matrices";
import {
  quadraticFlow,
  quadraticFlowExact,
  symmetricEigenpairs,
  measureQuadraticFlow,
  antipodalClusters,
  uniformOnSphere,
} from "../../lib/rqf";
import { binghamTest, binghamResiduals, ksOneSample, binomialPmf } from "../../lib/stats";

test("quadraticFlow: RK4 converges to the closed form e^{At}x₀/|e^{At}x₀| at fourth order", () => {
  const n = 5;
  const a = goe(new Stream("test/dqf", 0), n);
  const x0 = uniformOnSphere(new Stream("test/dqf", 1), n, 1);
  const eig = symmetricEigenpairs(a, n);
  const exact = quadraticFlowExact(eig, x0, [3]).points[0];
  const err = (dt: number) => {
    const x = quadraticFlow(a, n, x0, { T: 3, dt }).x;
    return Math.hypot(...x.map((v, i) => v - exact[i]));
  };
  const e1 = err(0.02),
    e2 = err(0.01);
  assert.ok(e2 < 1e-7, `error ${e2}`);
  assert.ok(e1 / e2 > 13 && e1 / e2 < 19, `order 4: ratio ${e1 / e2}`);
  // eigenpairs: A v = λ v, descending
  for (let k = 0; k < n; k++)
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j] * eig.vectors[j * n + k];
      assert.ok(Math.abs(s - eig.values[k] * eig.vectors[i * n + k]) < 1e-12);
    }
  assert.ok(eig.values.every((v, k) => k === 0 || v <= eig.values[k - 1]));
});

test("quadraticFlowExact: the gap to the top closes at twice the spectral gap", () => {
  const n = 4;
  const a = goe(new Stream("test/dqf", 2), n);
  const eig = symmetricEigenpairs(a, n);
  const x0 = uniformOnSphere(new Stream("test/dqf", 3), n, 1);
  const g = quadraticFlowExact(eig, x0, [40, 41]).gap;
  const rate = Math.log(g[0] / g[1]);
  assert.ok(
    Math.abs(rate / (2 * (eig.values[0] - eig.values[1])) - 1) < 1e-6,
    `rate ${rate}, 2Δ = ${2 * (eig.values[0] - eig.values[1])}`,
  );
  assert.throws(() => quadraticFlow([1, 2, 0, 1], 2, [1, 0], { T: 1, dt: 0.1 }), /symmetric/);
  assert.throws(() => quadraticFlow([1, 0, 0, 1], 2, [1, 1], { T: 1, dt: 0.1 }), /unit sphere/);
  assert.throws(() => quadraticFlow([1, 0, 0, 1], 2, [1, 0], { T: 1, dt: 0 }), /dt/);
});

test("antipodalClusters: counts relative to token 0 and the spread modulo the antipode", () => {
  const pts = Float64Array.from([1, 0, 0, -1, 0, 0, 0.999, 0.0447, 0, 0, 1, 0]);
  const c = antipodalClusters(pts, 3, 4);
  assert.equal(c.withFirst, 2);
  assert.ok(Math.abs(c.spread - 1) < 1e-12);
});

test("binghamTest: uniform axes give χ²₅-distributed statistics (n = 3); a bipolar sample is rejected; signs do not matter", () => {
  const s = new Stream("test/bingham", 0);
  const pvals: number[] = [];
  let mean = 0;
  for (let r = 0; r < 300; r++) {
    const pts = uniformOnSphere(s, 3, 200);
    const axes = Array.from({ length: 200 }, (_, i) => pts.subarray(3 * i, 3 * i + 3));
    const b = binghamTest(axes, 3);
    pvals.push(b.pValue);
    mean += b.statistic / 300;
  }
  assert.equal(
    binghamTest(
      [
        [1, 0, 0],
        [0, 1, 0],
      ],
      3,
    ).dof,
    5,
  );
  assert.ok(
    Math.abs(mean - 5) < 4 * Math.sqrt(10 / 300),
    `mean statistic ${mean}, χ²₅ mean 5 ± ${Math.sqrt(10 / 300)}`,
  );
  assert.ok(ksOneSample(pvals, (p) => Math.min(1, Math.max(0, p))).pValue > 1e-3);
  const near = uniformOnSphere(new Stream("test/bingham", 1), 3, 100);
  const bip = Array.from({ length: 100 }, (_, i) => {
    const v = [5 * (i % 2 ? 1 : -1) + near[3 * i], near[3 * i + 1], near[3 * i + 2]];
    const h = Math.hypot(...v);
    return v.map((x) => x / h);
  });
  assert.ok(binghamTest(bip, 3).pValue < 1e-10);
  const flipped = bip.map((v, i) => (i % 3 ? v : v.map((x) => -x)));
  assert.ok(Math.abs(binghamTest(flipped, 3).statistic - binghamTest(bip, 3).statistic) < 1e-9);
  assert.throws(
    () =>
      binghamTest(
        [
          [1, 0, 0],
          [0, 2, 0],
        ],
        3,
      ),
    /unit vector/,
  );
});

test("binghamResiduals: their squares sum to Bingham's statistic, with the trace direction excluded", () => {
  const pts = uniformOnSphere(new Stream("test/bingham", 2), 4, 50);
  const axes = Array.from({ length: 50 }, (_, i) => pts.subarray(4 * i, 4 * i + 4));
  const r = binghamResiduals(axes, 4);
  assert.equal(r.residuals.length, 9);
  const b = binghamTest(axes, 4);
  let dev = 0;
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) dev += (b.scatter[i * 4 + j] - (i === j ? 0.25 : 0)) ** 2;
  assert.ok(Math.abs(r.residuals.reduce((a, x) => a + x * x, 0) - 12 * 50 * dev) < 1e-9);
  // distance from another centre: all axes at e₁ against the centre e₁e₁ᵀ is zero
  const e1 = Array.from({ length: 5 }, () => [1, 0, 0, 0]);
  const c = new Float64Array(16);
  c[0] = 1;
  assert.ok(binghamResiduals(e1, 4, c).residuals.every((x) => Math.abs(x) < 1e-12));
});

test("binomialPmf: sums to one, matches C(n, k)pᵏ(1−p)ⁿ⁻ᵏ, edge cases", () => {
  assert.ok(
    Math.abs(Array.from({ length: 8 }, (_, k) => binomialPmf(k, 7, 0.5)).reduce((a, b) => a + b, 0) - 1) < 1e-14,
  );
  assert.ok(Math.abs(binomialPmf(3, 7, 0.5) - 35 / 128) < 1e-15);
  assert.ok(Math.abs(binomialPmf(2, 5, 0.3) - 10 * 0.09 * 0.343) < 1e-15);
  assert.equal(binomialPmf(8, 7, 0.5), 0);
  assert.equal(binomialPmf(0, 4, 0), 1);
  assert.throws(() => binomialPmf(1, 4, 1.5), /p must lie/);
});

test("measureQuadraticFlow: the rate is 2Δ within its allowance, RK4 ends within its bound, descent is far; a slow transient has no window", () => {
  const n = 5;
  const a = goe(new Stream("test/dqf", 4), n);
  const m = measureQuadraticFlow(a, n, uniformOnSphere(new Stream("test/dqf", 5), n, 1), { dt: 0.005 });
  assert.ok(m.window !== null);
  assert.ok(
    Math.abs(m.rate / (2 * m.delta) - 1) <= 2 * m.transient + 2 * m.halvingChange + m.roundoff + 1e-9,
    `rate/2Δ − 1 = ${m.rate / (2 * m.delta) - 1}`,
  );
  assert.ok(m.endError <= m.endBound);
  assert.ok(m.descentDistance > 0.1);
  // a large gap Δ = 5 (the gap reaches 1e-10 by t ≈ 2.5) and λ₂ − λ₃ = 0.5 with most weight on the
  // third mode: its transient is still 5 % on the window, which is then not used
  const slow = measureQuadraticFlow([6, 0, 0, 0, 1, 0, 0, 0, 0.5], 3, [0.3, 0.3, Math.sqrt(0.82)], { dt: 0.005 });
  assert.ok(slow.transient > 0.01);
  assert.equal(slow.window, null);
  assert.ok(Number.isNaN(slow.rate));
});
