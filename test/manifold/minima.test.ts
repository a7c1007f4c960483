import { test } from "node:test";
import assert from "node:assert/strict";
import { Factorization, residualJacobian } from "../../lib/models";
import { projectOntoMinima, minimumFrame, requireMinimum } from "../../lib/manifold";
import { pivotedQr } from "../../lib/linalg";
import { Stream } from "../../lib/random";
import { mlpMinimum } from "./fixtures";

test("pivoted QR: Q orthogonal, A P = Q R, rank of a rank-deficient matrix", () => {
  const D = 6,
    m = 4;
  const s = new Stream(7, 0);
  const a = s.fillNormal(new Float64Array(D * m));
  for (let i = 0; i < D; i++) a[3 * D + i] = 2 * a[0 * D + i] - a[1 * D + i]; // column 3 dependent
  const qr = pivotedQr(a, D, m);
  assert.equal(qr.rank, 3);
  for (let p = 0; p < D; p++)
    for (let q = 0; q < D; q++) {
      let dot = 0;
      for (let i = 0; i < D; i++) dot += qr.q[p * D + i] * qr.q[q * D + i];
      assert.ok(Math.abs(dot - (p === q ? 1 : 0)) < 1e-13);
    }
  // each pivoted column k < rank equals Σ_{i≤k} R_ik q_i
  for (let k = 0; k < qr.rank; k++)
    for (let row = 0; row < D; row++) {
      let s2 = 0;
      for (let i = 0; i <= k; i++) s2 += qr.r[i + k * qr.rank] * qr.q[i * D + row];
      assert.ok(Math.abs(s2 - a[qr.perm[k] * D + row]) < 1e-12);
    }
  // the dependent column lies in the span of the first rank columns of Q
  const c = qr.perm[3];
  for (let k = qr.rank; k < D; k++) {
    let dot = 0;
    for (let i = 0; i < D; i++) dot += qr.q[k * D + i] * a[c * D + i];
    assert.ok(Math.abs(dot) < 1e-12);
  }
});

test("projection onto the hyperbola is orthogonal and nearest", () => {
  const m = new Factorization([0.5, 1.5], 1);
  for (const x0 of [Float64Array.of(2, 1), Float64Array.of(0.3, 0.9), Float64Array.of(-1.7, -0.2)]) {
    const p = projectOntoMinima(m, x0);
    assert.ok(p.residual <= 1e-12);
    // x − x₀ is parallel to the normal g = (x₂, x₁)
    const [x1, x2] = p.x,
      d1 = x0[0] - x1,
      d2 = x0[1] - x2;
    assert.ok(Math.abs(d1 * x1 - d2 * x2) < 1e-10, "x − x₀ ∥ (x₂, x₁)");
    // and no point of the branch is nearer
    const branch = x1 > 0 ? 1 : -1;
    for (let tau = -3; tau <= 3; tau += 0.01) {
      const q = m.pointAt(tau, branch);
      assert.ok(Math.hypot(q[0] - x0[0], q[1] - x0[1]) >= p.distance - 1e-12);
    }
  }
});

test("MLP: normal and tangent spaces at a minimum are orthonormal, complementary, J·tangent = 0", () => {
  const { m, x } = mlpMinimum();
  const f = minimumFrame(m, x);
  const D = m.dim,
    r = f.rank;
  assert.equal(r, m.n, "generic data: the normal space has dimension N");
  const cols = (k: number) =>
    k < r ? f.normal.subarray(k * D, (k + 1) * D) : f.tangent.subarray((k - r) * D, (k - r + 1) * D);
  for (let p = 0; p < D; p++)
    for (let q = p; q < D; q++) {
      let dot = 0;
      const a = cols(p),
        b = cols(q);
      for (let i = 0; i < D; i++) dot += a[i] * b[i];
      assert.ok(Math.abs(dot - (p === q ? 1 : 0)) < 1e-12);
    }
  const J = residualJacobian(m, x);
  for (let k = 0; k < D - r; k++)
    for (let i = 0; i < m.n; i++) {
      let s = 0;
      for (let j = 0; j < D; j++) s += J[i * D + j] * f.tangent[k * D + j];
      assert.ok(Math.abs(s) < 1e-12, "tangent vectors lie in ker J");
    }
  // projecting a nearby point: the displacement is normal to M
  const x0 = Float64Array.from(x);
  const s = new Stream(8, 0);
  for (let j = 0; j < D; j++) x0[j] += 1e-3 * s.normal();
  const p = projectOntoMinima(m, x0);
  const g = minimumFrame(m, p.x);
  for (let k = 0; k < D - r; k++) {
    let dot = 0;
    for (let j = 0; j < D; j++) dot += (x0[j] - p.x[j]) * g.tangent[k * D + j];
    assert.ok(Math.abs(dot) < 1e-10 * p.distance + 1e-14);
  }
});

test("bad input: a point that is not a minimum is reported with its residual", () => {
  const m = new Factorization([1], 1);
  assert.throws(
    () => requireMinimum(m, Float64Array.of(1, 1.1)),
    /not a global minimum: max_i \|r_i\(x\)\| = 1\.000e-1/,
  );
  assert.throws(() => minimumFrame(m, Float64Array.of(2, 2)), /not a global minimum/);
  assert.throws(() => minimumFrame(m, Float64Array.of(1, 1, 1)), /must have length 2/);
  assert.throws(() => projectOntoMinima(m, Float64Array.of(0, 0)), /all residual gradients vanish/);
});
