import { test } from "node:test";
import assert from "node:assert/strict";
import { QrLyapunov } from "../../lib/lyapunov";
import { Stream } from "../../lib/random";
import { replicateMean, studentTQuantile } from "../../lib/stats";

test("constant product: exponents are the logs of the eigenvalue moduli, sorted, whatever the basis", () => {
  // M = P diag(2, 0.5, -3) P⁻¹ with P upper triangular: exponents log 3, log 2, log 0.5.
  const p = [1, 0.4, -0.3, 0, 1, 0.7, 0, 0, 1];
  const pinv = [1, -0.4, 0.58, 0, 1, -0.7, 0, 0, 1];
  const dg = [2, 0.5, -3];
  const m = new Float64Array(9);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) {
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
    const s = new Stream(11, r),
      qr = new QrLyapunov(1),
      m = new Float64Array(1);
    for (let n = 0; n < 20000; n++) {
      m[0] = s.normal();
      qr.applyMatrix(m);
    }
    return [qr.exponents(20000)[0]];
  });
  const e = replicateMean(runs);
  const exact = -(0.5772156649015329 + Math.log(2)) / 2;
  assert.ok(Math.abs(e.value[0] - exact) < studentTQuantile(0.9995, 19) * e.se[0]);
  // and a wrong value (E log|Z| without the γ) is rejected by the same data
  assert.ok(Math.abs(e.value[0] + Math.log(2) / 2) > studentTQuantile(0.9995, 19) * e.se[0]);
});

test("bad requests are refused", () => {
  assert.throws(() => new QrLyapunov(3, 4), /number of exponents/);
  assert.throws(() => new QrLyapunov(2).applyMatrix(new Float64Array(3)), /d·d/);
});

test("re-orthonormalisation keeps QᵀQ = I and the span on nearly dependent vectors (the second pass is taken)", () => {
  // columns v_c = e + 1e-8·g_c: one Gram–Schmidt pass would leave them orthogonal only to ~1e-8
  const d = 30,
    k = 6,
    s = new Stream(12, 0),
    e = s.fillNormal(new Float64Array(d));
  const v = new Float64Array(d * k);
  for (let c = 0; c < k; c++) for (let i = 0; i < d; i++) v[c * d + i] = e[i] + 1e-8 * s.normal();
  const qr = new QrLyapunov(d, k, v);
  const q = qr.basis;
  let worst = 0;
  for (let a = 0; a < k; a++)
    for (let b = 0; b < k; b++) {
      let dot = 0;
      for (let i = 0; i < d; i++) dot += q[a * d + i] * q[b * d + i];
      worst = Math.max(worst, Math.abs(dot - (a === b ? 1 : 0)));
    }
  assert.ok(worst < 1e-14, `‖QᵀQ − I‖_max = ${worst}`);
  // and the basis spans the same space: the last input column is reproduced from Q to 1e-15 relative
  const last = v.subarray((k - 1) * d),
    rebuilt = new Float64Array(d);
  for (let c = 0; c < k; c++) {
    let r = 0;
    for (let i = 0; i < d; i++) r += q[c * d + i] * last[i];
    for (let i = 0; i < d; i++) rebuilt[i] += r * q[c * d + i];
  }
  const err = Math.hypot(...rebuilt.map((x, i) => x - last[i])) / Math.hypot(...last);
  assert.ok(err < 1e-14, `reconstruction ${err}`);
});
