import { test } from "node:test";
import assert from "node:assert/strict";
import { Stream } from "../../lib/random";
import { SdeIntegrator } from "../../lib/sde";
import {
  DysonEigenvalueSde,
  DysonMatrixOu,
  dysonEigenvalueSde,
  dysonMatrixSde,
  quadraticPotential,
} from "../../lib/rmt";
import { pathwiseOrder } from "../sde/pathwise-order";

test("DysonEigenvalueSde (drift-implicit repulsion) and SdeIntegrator's explicit Euler–Maruyama on dysonEigenvalueSde approach each other at order 1, same normals", () => {
  // At the GOE repulsion (β = 1) gaps come near 0 often (the surmise's density ∝ s) and explicit steps
  // cross; at repulsion 8 (β = 8, density ∝ s⁸ near 0) the levels stay apart and both schemes apply.
  const n = 3,
    g2 = 0.02,
    repulsion = 8,
    V = quadraticPotential(2, 1),
    x0 = [0.6, 1, 1.4],
    T = 1;
  const integ = new SdeIntegrator(dysonEigenvalueSde(n, V, g2, repulsion), "euler-maruyama");
  const r = pathwiseOrder(
    (dt, p) => {
      const steps = Math.round(T / dt);
      const x = Float64Array.from(x0);
      new DysonEigenvalueSde(n, V, g2, repulsion).run(x, new Stream("test/dyson-sde", p), dt, steps);
      const dW = new Stream("test/dyson-sde", p).fillNormal(new Float64Array(steps * n));
      for (let k = 0; k < dW.length; k++) dW[k] *= Math.sqrt(dt);
      const y = integ.solve(Float64Array.from(x0), dt, dW);
      assert.ok(y[0] < y[1] && y[1] < y[2], `the explicit scheme crossed: ${y.join(", ")}`);
      return Math.hypot(x[0] - y[0], x[1] - y[1], x[2] - y[2]);
    },
    [0.01, 0.005, 0.0025],
    200,
  );
  // the rule of test/sde/order.test.ts: 4 fit errors plus 0.1 for pre-asymptotic curvature
  assert.ok(Math.abs(r.slope - 1) < 4 * r.slopeError + 0.1, r.what);
});

test("DysonEigenvalueSde with repulsion 0 is Euler–Maruyama on dysonEigenvalueSde(…, 0) followed by sorting, same normals, to rounding", () => {
  const n = 4,
    g2 = 0.3,
    V = quadraticPotential(1.5, 0.5),
    dt = 0.01;
  const sde = new DysonEigenvalueSde(n, V, g2, 0),
    integ = new SdeIntegrator(dysonEigenvalueSde(n, V, g2, 0), "euler-maruyama");
  const x = Float64Array.of(0.2, 0.4, 0.6, 0.8),
    y = Float64Array.from(x),
    s = new Stream("test/dyson-poisson", 0),
    copy = new Stream("test/dyson-poisson", 0),
    dW = new Float64Array(n);
  let worst = 0,
    crossings = 0;
  for (let k = 0; k < 500; k++) {
    sde.run(x, s, dt);
    copy.fillNormal(dW);
    for (let i = 0; i < n; i++) dW[i] *= Math.sqrt(dt);
    integ.step(y, dt, dW, 0);
    for (let i = 1; i < n; i++) if (y[i] < y[i - 1]) crossings++;
    y.sort();
    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
  }
  assert.ok(crossings > 10, `independent levels must cross: ${crossings}`);
  assert.ok(worst < 1e-12, `max |x − y| = ${worst}`);
  assert.throws(() => dysonEigenvalueSde(2, V, g2, -1), /repulsion/);
  assert.throws(() => dysonEigenvalueSde(2, V, 0), /g²/);
});

test("DysonMatrixOu's exact Ornstein–Uhlenbeck transition and SdeIntegrator's Euler–Maruyama on dysonMatrixSde approach each other at order 1, same normals", () => {
  const n = 3,
    omega = 1.5,
    g2 = 0.3,
    T = 1,
    m = (n * (n + 1)) / 2;
  const c = Float64Array.of(1, 0.2, 0, 0.2, 2, 0.1, 0, 0.1, 3);
  const integ = new SdeIntegrator(dysonMatrixSde(c, n, omega, g2), "euler-maruyama");
  const r = pathwiseOrder(
    (dt, p) => {
      const steps = Math.round(T / dt);
      const ou = new DysonMatrixOu(c, n, omega, g2, "exact").run(new Stream("test/dyson-ou", p), dt, steps);
      const dW = new Stream("test/dyson-ou", p).fillNormal(new Float64Array(steps * m));
      for (let k = 0; k < dW.length; k++) dW[k] *= Math.sqrt(dt);
      const y = new Float64Array(m);
      for (let i = 0, q = 0; i < n; i++) for (let j = i; j < n; j++, q++) y[q] = c[i * n + j];
      integ.solve(y, dt, dW);
      let d = 0;
      for (let i = 0, q = 0; i < n; i++) for (let j = i; j < n; j++, q++) d += (ou.x[i * n + j] - y[q]) ** 2;
      return Math.sqrt(d);
    },
    [0.02, 0.01, 0.005],
    200,
  );
  assert.ok(Math.abs(r.slope - 1) < 4 * r.slopeError + 0.1, r.what);
});
