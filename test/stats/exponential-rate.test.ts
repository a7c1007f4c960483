import { test } from "node:test";
import assert from "node:assert/strict";
import { exponentialRate } from "../../lib/stats";

test("exponentialRate: recovers κ from exact data; its error scales with the relative errors; weak points are left out", () => {
  const ts = [0.5, 1, 2, 3, 4];
  const exact = ts.map((t) => ({ t, value: 2 * Math.exp(-0.7 * t), se: 1e-3 * 2 * Math.exp(-0.7 * t) }));
  const e = exponentialRate(exact);
  assert.ok(Math.abs(e.value - 0.7) < 1e-12);
  assert.equal(e.points, 5);
  // 1 % relative errors give a rate error of order 0.01 / (spread of t)
  const e2 = exponentialRate(exact.map((p) => ({ ...p, se: 0.01 * p.value })));
  assert.ok(e2.se > 2e-3 && e2.se < 1e-2, `${e2.se}`);
  const weak = exponentialRate([...exact, { t: 10, value: 1e-4, se: 1e-4 }]);
  assert.equal(weak.points, 5);
  assert.throws(() => exponentialRate(exact.slice(0, 2)), /number of points/);
});
