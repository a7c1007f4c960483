import { test } from "node:test";
import assert from "node:assert/strict";
import { QrLyapunov, runIsotropicLinear, isotropicLinearExponents, scalarHeunLyapunov } from "../../lib/lyapunov";
import { pitchforkScalar } from "../../lib/models";
import { Stream } from "../../lib/random";
import { replicateMean, studentTQuantile } from "../../lib/stats";

test("constant product: exponents are the logs of the eigenvalue moduli, sorted, whatever the basis", () => {
  // M = P diag(2, 0.5, -3) P⁻¹ with P upper triangular: exponents log 3, log 2, log 0.5.
  const p = [1, 0.4, -0.3, 0, 1, 0.7, 0, 0, 1];
  const pinv = [1, -0.4, 0.58, 0, 1, -0.7, 0, 0, 1];
  const dg = [2, 0.5, -3];
  const m = new Float64Array(9);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
    let s = 0;
    for (let k = 0; k < 3; k++) s += p[i * 3 + k] * dg[k] * pinv[k * 3 + j];
    m[i * 3 + j] = s;
  }
  const qr = new QrLyapunov(3);
  for (let n = 0; n < 2000; n++) qr.applyMatrix(m);
  const e = qr.exponents(2000);
  [Math.log(3), Math.log(2), Math.log(0.5)].forEach((v, i) => assert.ok(Math.abs(e[i] - v) < 2e-3, `${e[i]} vs ${v}`));
});

test("one-dimensional random product: λ = E log|Z| = −(γ + log 2)/2 for Z ~ N(0,1)", () => {
  const runs = Array.from({ length: 20 }, (_, r) => {
    const s = new Stream(11, r), qr = new QrLyapunov(1), m = new Float64Array(1);
    for (let n = 0; n < 20000; n++) { m[0] = s.normal(); qr.applyMatrix(m); }
    return [qr.exponents(20000)[0]];
  });
  const e = replicateMean(runs);
  const exact = -(0.5772156649015329 + Math.log(2)) / 2;
  assert.ok(Math.abs(e.mean[0] - exact) < studentTQuantile(0.9995, 19) * e.standardError[0]);
  // and a wrong value (E log|Z| without the γ) is rejected by the same data
  assert.ok(Math.abs(e.mean[0] + Math.log(2) / 2) > studentTQuantile(0.9995, 19) * e.standardError[0]);
});

test("isotropic linear SDE: λ₁ matches a + σ²(d−2)/2 (Itô) and a + σ²(d−1)/2 (Stratonovich)", () => {
  for (const reading of ["ito", "stratonovich"] as const) {
    const runs = Array.from({ length: 12 }, (_, r) =>
      runIsotropicLinear({ d: 2, a: 0.1, sigma: 0.8, dt: 0.005, time: 100, reading, stream: new Stream(12, r) }).exponents);
    const e = replicateMean(runs);
    const exact = isotropicLinearExponents(2, 0.1, 0.8, reading);
    const tol = studentTQuantile(0.9995, 11) * Math.hypot(e.standardError[0], 0.01); // 0.01: O(dt) bias at dt = 0.005
    assert.ok(Math.abs(e.mean[0] - exact[0]) < tol, `${reading}: ${e.mean[0]} vs ${exact[0]} ± ${tol}`);
  }
});

test("pitchfork: λ = −2α", () => {
  const e = replicateMean(Array.from({ length: 10 }, (_, r) =>
    [scalarHeunLyapunov(pitchforkScalar(0.5, 0.7), { x0: 0.5, dt: 0.005, time: 300, transient: 20, stream: new Stream(13, r) })]));
  assert.ok(Math.abs(e.mean[0] + 1) < studentTQuantile(0.9995, 9) * Math.hypot(e.standardError[0], 0.01));
});

test("bad requests are refused", () => {
  assert.throws(() => new QrLyapunov(3, 4), /number of exponents/);
  assert.throws(() => new QrLyapunov(2).applyMatrix(new Float64Array(3)), /d·d/);
  assert.throws(() => runIsotropicLinear({ d: 2, a: 0, sigma: 1, dt: 0, time: 1, reading: "ito", stream: new Stream(1) }), /dt/);
});
