import { test } from "node:test";
import assert from "node:assert/strict";
import { Stream, brownianPath } from "../../lib/random";
import { randomLeastSquares, pitchfork } from "../../lib/models";
import { sgdFlow } from "../../lib/optim";
import { SdeIntegrator } from "../../lib/sde";
import { sdeCocycleCheck, heunCocycleRoundingBound, wienerShift } from "../../lib/cocycle";

test("SGD: φ^{m+n}_ω = φ^n_{θ^m ω} ∘ φ^m_ω bit for bit, and the wrong shift differs", () => {
  const p = randomLeastSquares(new Stream(1), 6, 4, 0.1);
  const s = new Stream(2);
  const omega = Int32Array.from({ length: 61 }, () => s.int(6));
  const x0 = s.fillNormal(new Float64Array(4));
  const direct = sgdFlow(p, 0.1, omega.subarray(0, 60), Float64Array.from(x0));
  const mid = sgdFlow(p, 0.1, omega.subarray(0, 25), Float64Array.from(x0));
  assert.deepEqual(Array.from(sgdFlow(p, 0.1, omega.subarray(25, 60), Float64Array.from(mid))), Array.from(direct));
  assert.notDeepEqual(Array.from(sgdFlow(p, 0.1, omega.subarray(26, 61), Float64Array.from(mid))), Array.from(direct));
  assert.throws(() => sgdFlow(p, 0.1, [7], Float64Array.from(x0)), /omega\[0\]/);
  assert.throws(() => sgdFlow(p, -1, [0], Float64Array.from(x0)), /eta/);
});

test("Wiener shift: θ_s ω starts at 0 and keeps the increments", () => {
  const w = brownianPath(new Stream(3), 0.01, 100);
  const sh = wienerShift(w, 40);
  assert.equal(sh.values[0], 0);
  assert.equal(sh.values.length, 61);
  for (let k = 0; k < 60; k++) assert.ok(Math.abs(sh.values[k + 1] - sh.values[k] - (w.values[41 + k] - w.values[40 + k])) < 1e-14);
});

test("SDE cocycle: deviation below the a-priori rounding bound; a shift by one step exceeds it", () => {
  const heun = new SdeIntegrator(pitchfork(1, 1), "heun");
  for (let r = 0; r < 10; r++) {
    const s = new Stream(4, r);
    const path = brownianPath(s, 0.002, 3000);
    const x0 = Float64Array.of(0.1 + 2 * s.uniform());
    const ok = sdeCocycleCheck(heun, path, x0, 1200, 1500);
    const bound = heunCocycleRoundingBound(pitchfork(1, 1), ok.trajectory, path.values, 0.002, 1200);
    assert.ok(ok.deviation <= bound, `${ok.deviation} > ${bound}`);
    assert.ok(bound < 1e-10);
    assert.ok(sdeCocycleCheck(heun, path, x0, 1200, 1500, 1201).deviation > bound);
  }
});
