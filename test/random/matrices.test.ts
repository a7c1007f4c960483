import { test } from "node:test";
import assert from "node:assert/strict";
import { Stream, goe, wishart, brownianPath } from "../../lib/random";

test("GOE: symmetric, off-diagonal variance σ², diagonal 2σ²", () => {
  const n = 200,
    sigma = 1.5;
  const h = goe(new Stream(1), n, sigma);
  let off = 0,
    diag = 0;
  for (let i = 0; i < n; i++) {
    diag += h[i * n + i] ** 2;
    for (let j = 0; j < n; j++) {
      assert.equal(h[i * n + j], h[j * n + i]);
      if (j > i) off += h[i * n + j] ** 2;
    }
  }
  const nOff = (n * (n - 1)) / 2;
  assert.ok(Math.abs(off / nOff - sigma ** 2) < 5 * sigma ** 2 * Math.sqrt(2 / nOff));
  assert.ok(Math.abs(diag / n - 2 * sigma ** 2) < 5 * 2 * sigma ** 2 * Math.sqrt(2 / n));
});

test("Wishart: symmetric, positive semidefinite (xᵀWx ≥ 0), E tr W = p σ²", () => {
  const p = 30,
    n = 90,
    sigma = 0.7;
  const reps = 200;
  let tr = 0;
  for (let r = 0; r < reps; r++) {
    const w = wishart(new Stream(2, r), p, n, sigma);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) assert.equal(w[i * p + j], w[j * p + i]);
    const x = new Stream(3, r).fillNormal(new Float64Array(p));
    let q = 0;
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) q += x[i] * w[i * p + j] * x[j];
    assert.ok(q >= 0);
    for (let i = 0; i < p; i++) tr += w[i * p + i] / reps;
  }
  // tr W = (1/n) Σ X_ki², variance p·2σ⁴/n per replicate.
  assert.ok(Math.abs(tr - p * sigma ** 2) < 5 * Math.sqrt((2 * p * sigma ** 4) / n / reps));
});

test("Brownian path: W(0) = 0 and Var W(T) = T", () => {
  const reps = 4000,
    T = 2;
  let s2 = 0;
  for (let r = 0; r < reps; r++) {
    const w = brownianPath(new Stream(4, r), T / 50, 50).values;
    assert.equal(w[0], 0);
    s2 += w[50] ** 2 / reps;
  }
  assert.ok(Math.abs(s2 - T) < 5 * T * Math.sqrt(2 / reps));
  assert.throws(() => brownianPath(new Stream(1), 0, 10), /dt/);
});
