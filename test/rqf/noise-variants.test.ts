import { test } from "node:test";
import assert from "node:assert/strict";
import {
  RqfFlow,
  rqfFlowWith,
  IndependentNoiseFlow,
  FrozenNoiseFlow,
  uniformOnSphere,
  pairWithInnerProduct,
  onePointRun,
  symmetricEigenpairs,
  quadraticFlowExact,
} from "../../lib/rqf";
import { Stream } from "../../lib/random";

const inner = (x: Float64Array, n: number, i: number, j: number) => {
  let z = 0;
  for (let k = 0; k < n; k++) z += x[i * n + k] * x[j * n + k];
  return z;
};

test("common noise is the RqfFlow itself: rqfFlowWith gives the same numbers, bit for bit", () => {
  for (const n of [3, 4]) {
    const a = new RqfFlow(n, 5, 0.01),
      b = rqfFlowWith({ n: n, m: 5, dt: 0.01 });
    const xa = uniformOnSphere(new Stream(1), n, 5),
      xb = Float64Array.from(xa);
    const sa = new Stream(2),
      sb = new Stream(2);
    for (let k = 0; k < 200; k++) {
      a.step(sa, xa);
      b.step(sb, xb);
    }
    assert.deepEqual(Array.from(xb), Array.from(xa));
  }
});

test("independent noise: each point is the RQF one-point motion on its own increments (point p draws the p-th increment of each step)", () => {
  const n = 3,
    m = 3,
    dt = 0.01;
  const f = rqfFlowWith({ n: n, m: m, dt: dt, noise: "independent" });
  assert.ok(f instanceof IndependentNoiseFlow);
  const x = uniformOnSphere(new Stream(3), n, m);
  const singles = Array.from({ length: m }, (_, p) => Float64Array.from(x.subarray(p * n, (p + 1) * n)));
  const g = new RqfFlow(n, 1, dt);
  const s = new Stream(4),
    t = new Stream(4);
  for (let k = 0; k < 100; k++) {
    f.step(s, x);
    for (let p = 0; p < m; p++) g.step(t, singles[p]);
  }
  for (let p = 0; p < m; p++) assert.deepEqual(Array.from(x.subarray(p * n, (p + 1) * n)), Array.from(singles[p]));
  // one point: the same run as common noise
  const one = onePointRun({ n: 4, dt: 0.01, times: [0.5, 1], seed: 9, index: 2 });
  assert.deepEqual(onePointRun({ n: 4, dt: 0.01, times: [0.5, 1], seed: 9, index: 2, noise: "independent" }), one);
  assert.throws(() => f.drawIncrement(s), /one increment per point/);
  assert.throws(() => f.stepPoints(x), /call step/);
});

test("independent noise does not synchronise a pair; common noise does", () => {
  const n = 3,
    dt = 0.005,
    steps = 8000; // t = 40
  const gap = (noise: "common" | "independent", r: number) => {
    const f = rqfFlowWith({ n: n, m: 2, dt: dt, noise: noise });
    const x = pairWithInnerProduct(n, 0.3);
    const s = new Stream(5, r);
    for (let k = 0; k < steps; k++) f.step(s, x);
    return 1 - Math.abs(inner(x, n, 0, 1));
  };
  for (let r = 0; r < 5; r++) {
    assert.ok(gap("common", r) < 1e-6, `common run ${r}: ${gap("common", r)}`);
    assert.ok(gap("independent", r) > 1e-6, `independent run ${r}: ${gap("independent", r)}`);
  }
});

test("frozen noise is the deterministic quadratic form: second order against x = e^{At}x₀/|e^{At}x₀|, A = dQ/dt", () => {
  const n = 4;
  const err = (dt: number) => {
    const f = rqfFlowWith({ n: n, m: 1, dt: dt, noise: "frozen" });
    assert.ok(f instanceof FrozenNoiseFlow);
    const x = uniformOnSphere(new Stream(6), n, 1),
      x0 = Float64Array.from(x);
    const s = new Stream(7);
    const steps = Math.round(2 / dt);
    let first: Float64Array | null = null;
    for (let k = 0; k < steps; k++) {
      f.step(s, x);
      if (!first) first = Float64Array.from(f.dq);
      assert.deepEqual(Array.from(f.dq), Array.from(first), "the increment is held");
    }
    const a = Array.from(first!, (v) => v / dt);
    const exact = quadraticFlowExact(symmetricEigenpairs(a, n), x0, [2]).points[0];
    return Math.max(...Array.from(x, (v, i) => Math.abs(v - exact[i])));
  };
  // the same A at every dt: A is the first increment over dt rescaled by √dt, i.e. the stream's
  // normals times the per-unit-time standard deviations, whatever dt is
  const e1 = err(0.02),
    e2 = err(0.01);
  assert.ok(e2 < 1e-3, `error ${e2}`);
  const order = Math.log2(e1 / e2);
  assert.ok(order > 1.8 && order < 2.2, `order ${order} (errors ${e1}, ${e2})`);
});

test("bad noise names the value and the choices", () => {
  assert.throws(
    () => rqfFlowWith({ n: 3, m: 2, dt: 0.1, noise: "quenched" as never }),
    /noise must be one of "common", "independent", "frozen", got "quenched"/,
  );
});
