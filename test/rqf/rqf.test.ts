import { test } from "node:test";
import assert from "node:assert/strict";
import { RqfFlow, rqfSde, rqfTangent, uniformOnSphere, pairWithInnerProduct, requireOnSphere } from "../../lib/rqf";
import { lyapunovSpectrum } from "../../lib/lyapunov";
import { SdeIntegrator } from "../../lib/sde";
import { Stream } from "../../lib/random";
import { replicateMean, studentTQuantile } from "../../lib/stats";

test("points stay on the sphere and inner products stay in [−1, 1]", () => {
  const n = 4,
    m = 16;
  const f = new RqfFlow(n, m, 0.01);
  const s = new Stream(1);
  const x = uniformOnSphere(s, n, m);
  for (let k = 0; k < 5000; k++) f.step(s, x);
  for (let p = 0; p < m; p++) {
    let r = 0;
    for (let i = 0; i < n; i++) r += x[p * n + i] ** 2;
    assert.ok(Math.abs(Math.sqrt(r) - 1) < 1e-14);
  }
});

test("equivariance: rotating the initial points and conjugating the noise rotates the solution", () => {
  // The RQF field commutes with orthogonal maps R: R·G_{dQ}(x) = G_{R dQ Rᵀ}(R x). Check on one step.
  const n = 3;
  const f = new RqfFlow(n, 1, 0.05),
    g = new RqfFlow(n, 1, 0.05);
  const c = Math.cos(0.7),
    sn = Math.sin(0.7);
  const R = [c, -sn, 0, sn, c, 0, 0, 0, 1];
  const x = pairWithInnerProduct(n, 0.3).subarray(n);
  f.drawIncrement(new Stream(2));
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let v = 0;
      for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) v += R[i * n + a] * f.dq[a * n + b] * R[j * n + b];
      g.dq[i * n + j] = v;
    }
  const rx = Float64Array.from({ length: n }, (_, i) => R[i * n] * x[0] + R[i * n + 1] * x[1] + R[i * n + 2] * x[2]);
  const x1 = Float64Array.from(x);
  f.stepPoints(x1);
  g.stepPoints(rx);
  for (let i = 0; i < n; i++) {
    const rx1 = R[i * n] * x1[0] + R[i * n + 1] * x1[1] + R[i * n + 2] * x1[2];
    assert.ok(Math.abs(rx1 - rx[i]) < 1e-14);
  }
});

test("one-point motion is Brownian with generator κΔ/4: E⟨X_t, x₀⟩ = exp(−κ(n−1)t/4)", () => {
  for (const norm of ["half", "sqrt2"] as const) {
    const n = 3,
      t = 1,
      dt = 0.01,
      reps = 4000,
      kappa = norm === "half" ? 1 : 2;
    const f = new RqfFlow(n, 1, dt, norm);
    const vals = new Float64Array(reps);
    for (let r = 0; r < reps; r++) {
      const s = new Stream(3, r);
      const x = Float64Array.of(1, 0, 0);
      for (let k = 0; k < t / dt; k++) f.step(s, x);
      vals[r] = x[0];
    }
    const e = replicateMean(Array.from(vals, (v) => [v]));
    const exact = Math.exp((-kappa * (n - 1) * t) / 4);
    assert.ok(Math.abs(e.value[0] - exact) < 4 * e.se[0] + 0.01, `${norm}: ${e.value[0]} vs ${exact}`);
  }
});

test("Lyapunov spectrum on S²: λ = (−1, −2), and doubled under Q = (B + Bᵀ)/√2", () => {
  for (const [norm, k] of [
    ["half", 1],
    ["sqrt2", 2],
  ] as const) {
    const runs = Array.from(
      { length: 8 },
      (_, r) =>
        lyapunovSpectrum(rqfTangent({ n: 3, dt: 0.005, normalisation: norm }), {
          T: 100,
          transient: 2,
          stream: new Stream(4, r),
        }).exponents,
    );
    const e = replicateMean(runs);
    const t = studentTQuantile(0.9995, 7);
    [-1, -2].forEach((v, i) =>
      assert.ok(Math.abs(e.value[i] - k * v) < t * Math.hypot(e.se[i], 0.03 * k), `${norm} λ${i + 1} = ${e.value[i]}`),
    );
  }
});

test("bad input: n < 2, dt ≤ 0, a point off the sphere, too many exponents", () => {
  assert.throws(() => new RqfFlow(1, 2, 0.1), /n \(dimension/);
  assert.throws(() => new RqfFlow(3, 2, 0), /dt/);
  assert.throws(() => new RqfFlow(3, 2, NaN), /dt/);
  assert.throws(() => new RqfFlow(3, 2, 0.1, "third" as never), /normalisation/);
  assert.throws(() => requireOnSphere(Float64Array.of(1, 1, 0), 3, 1), /not on the unit sphere/);
  assert.throws(
    () => lyapunovSpectrum(rqfTangent({ n: 3, dt: 0.01 }), { k: 3, T: 1, stream: new Stream(1) }),
    /number of exponents/,
  );
  assert.throws(() => rqfTangent({ n: 3, dt: 0.01, x0: Float64Array.of(0.5, 0, 0) }), /not on the unit sphere/);
});

test("the unrolled S² step equals a plain reference Heun step + renormalisation (and n = 4 uses the generic path)", () => {
  for (const n of [3, 4]) {
    const f = new RqfFlow(n, 5, 0.02);
    const s = new Stream(6);
    const x = uniformOnSphere(s, n, 5);
    f.drawIncrement(s);
    const q = Array.from(f.dq);
    const ref = Array.from({ length: 5 }, (_, p) => {
      const G = (y: number[]) => {
        const r = y.map((_, i) => y.reduce((acc, yj, j) => acc + q[i * n + j] * yj, 0));
        const sy = y.reduce((acc, yi, i) => acc + yi * r[i], 0);
        return r.map((ri, i) => ri - y[i] * sy);
      };
      const x0 = Array.from(x.subarray(p * n, p * n + n));
      const g0 = G(x0);
      const g1 = G(x0.map((v, i) => v + g0[i]));
      const z = x0.map((v, i) => v + 0.5 * (g0[i] + g1[i]));
      const len = Math.hypot(...z);
      return z.map((v) => v / len);
    }).flat();
    f.stepPoints(x);
    ref.forEach((v, i) => assert.ok(Math.abs(x[i] - v) < 1e-15, `n = ${n}, entry ${i}`));
  }
});

test("drawNormals serves the same sequence as normal()", () => {
  const a = new Stream(8),
    b = new Stream(8);
  const buf = new Float64Array(700);
  a.drawNormals(buf, 0, 300);
  a.drawNormals(buf, 300, 400);
  for (let i = 0; i < 700; i++) assert.equal(buf[i], b.normal());
});

test("RqfFlow (the specialised kernel) follows the generic Heun integrator on rqfSde + renormalisation, same increments, n = 3 and 5", () => {
  for (const n of [3, 5])
    for (const norm of ["half", "sqrt2"] as const) {
      const dt = 0.01,
        steps = 2000,
        m = (n * (n + 1)) / 2;
      const flow = new RqfFlow(n, 1, dt, norm);
      const x = uniformOnSphere(new Stream(8, n), n, 1),
        y = Float64Array.from(x);
      // two copies of one stream: RqfFlow scales its normals into dQ, the integrator into dW = √dt·ξ
      const s = new Stream(9, n),
        copy = new Stream(9, n),
        normals = new Float64Array(m),
        dW = new Float64Array(m);
      const integ = new SdeIntegrator(rqfSde(n, norm), "heun");
      let worst = 0;
      for (let k = 0; k < steps; k++) {
        flow.step(s, x);
        copy.drawNormals(normals, 0, m);
        for (let j = 0; j < m; j++) dW[j] = Math.sqrt(dt) * normals[j];
        integ.step(y, dt, dW, 0);
        const len = Math.hypot(...y);
        for (let i = 0; i < n; i++) y[i] /= len;
        for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
      }
      assert.ok(worst < 1e-12, `n = ${n}, ${norm}: max |x − y| = ${worst}`);
    }
});

test("pairGaps: 0 for equal or antipodal points, 1 for orthogonal ones, sorted; tokenClustering records what it says", async () => {
  const { pairGaps, tokenClustering } = await import("../../lib/rqf");
  assert.deepEqual(Array.from(pairGaps(Float64Array.of(1, 0, 0, -1, 0, 0, 0, 1, 0), 3, 3)), [0, 1, 1]);
  assert.throws(() => pairGaps(new Float64Array(5), 3, 2), /m·n = 6/);
  const m = 12,
    flow = new RqfFlow(3, m, 0.01),
    x = uniformOnSphere(new Stream(3, 1), 3, m);
  const rec = tokenClustering(flow, x, new Stream(3, 2), { T: 2, every: 10, snapshotTimes: [0, 1] });
  assert.equal(rec.times.length, 21);
  assert.equal(rec.snapshots.length, 2);
  assert.deepEqual(Array.from(rec.finalGaps), Array.from(pairGaps(x, 3, m)));
  requireOnSphere(x, 3, m);
  assert.ok(rec.clusteredFraction.every((f) => f >= 0 && f <= 1));
});

test("onePointMoments: E⟨X_t, e₁⟩ = e^{−(n−1)t/4} within its error; the same seed gives the same numbers", async () => {
  const { onePointMoments } = await import("../../lib/rqf");
  const o = { n: 3, dt: 0.005, t: 1, runs: 400, seed: Stream.path(5, "test/one-point") };
  const a = onePointMoments(o),
    b = onePointMoments(o);
  assert.deepEqual(a, b);
  const exact = Math.exp(-0.5);
  assert.ok(
    Math.abs(a.m1.value - exact) < studentTQuantile(0.9995, 399) * a.m1.se + 0.01,
    `${a.m1.value} vs ${exact} ± ${a.m1.se}`,
  );
});

test("rqfTangent's tangent vectors are the derivative of the generic Heun step (SdeIntegrator on rqfSde + renormalisation) along the same increments, by central differences", () => {
  const n = 4,
    k = 3,
    dt = 0.01,
    steps = 200,
    eps = 1e-5,
    m = (n * (n + 1)) / 2;
  const x0 = uniformOnSphere(new Stream("test/rqf-tangent-fd", 0), n, 1);
  const sys = rqfTangent({ n, dt, x0 });
  const v = new Float64Array(n * k);
  sys.start(new Stream("unused"), v, k);
  const v0 = Float64Array.from(v);
  const s = new Stream("test/rqf-tangent-fd", 1),
    copy = new Stream("test/rqf-tangent-fd", 1);
  for (let t = 0; t < steps; t++) sys.advance(v, k, s);
  // the generic integrator from x0 ± ε·v0_c on the same increments
  const integ = new SdeIntegrator(rqfSde(n), "heun"),
    dW = new Float64Array(m);
  const ys = Array.from({ length: 2 * k }, (_, i) => {
    const c = i >> 1,
      sign = i % 2 === 0 ? 1 : -1;
    return Float64Array.from({ length: n }, (_, j) => x0[j] + sign * eps * v0[c * n + j]);
  });
  for (let t = 0; t < steps; t++) {
    copy.drawNormals(dW, 0, m);
    for (let j = 0; j < m; j++) dW[j] *= Math.sqrt(dt);
    for (const y of ys) {
      integ.step(y, dt, dW, 0);
      const len = Math.hypot(...y);
      for (let j = 0; j < n; j++) y[j] /= len;
    }
  }
  for (let c = 0; c < k; c++) {
    let err = 0,
      size = 0;
    for (let j = 0; j < n; j++) {
      const fd = (ys[2 * c][j] - ys[2 * c + 1][j]) / (2 * eps);
      err = Math.max(err, Math.abs(fd - v[c * n + j]));
      size = Math.max(size, Math.abs(v[c * n + j]));
    }
    // central differences: O(ε²) truncation and O(1e-16/ε) rounding, both far below 1e-7 of |v|
    assert.ok(err < 1e-7 * size, `column ${c}: max |FD − v| = ${err}, |v| = ${size}`);
  }
});

test("rqfSde's Jacobians: the drift's is 0, the diffusion's agrees with central differences of its columns", () => {
  const n = 4,
    sys = rqfSde(n, "sqrt2"),
    m = sys.noiseDim,
    h = 1e-6;
  const x = uniformOnSphere(new Stream("test/rqf-sde-jac", 0), n, 1);
  const jac = new Float64Array(m * n * n),
    jf = new Float64Array(n * n).fill(1),
    gp = new Float64Array(n * m),
    gm = new Float64Array(n * m);
  sys.diffusionJacobian(x, jac);
  sys.driftJacobian(x, jf);
  assert.ok(jf.every((v) => v === 0));
  let worst = 0;
  for (let l = 0; l < n; l++) {
    const xp = Float64Array.from(x),
      xm = Float64Array.from(x);
    xp[l] += h;
    xm[l] -= h;
    sys.diffusion(xp, gp);
    sys.diffusion(xm, gm);
    for (let p = 0; p < m; p++)
      for (let r = 0; r < n; r++)
        worst = Math.max(worst, Math.abs(jac[p * n * n + r * n + l] - (gp[r * m + p] - gm[r * m + p]) / (2 * h)));
  }
  assert.ok(worst < 1e-8, `max |J − FD| = ${worst}`);
});
