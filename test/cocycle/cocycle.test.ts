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

test("SGD cocycle over random (ω, x, m, n): exact in every trial, and the wrong shift θ^{m+1}ω differs in every trial (notebook 01's design)", () => {
  // the check notebook 01 used to show as a verdict: 40 trials, m, n ∈ [1, 200], N = 8 samples in D = 5
  const ls = randomLeastSquares(new Stream(5), 8, 5, 0.1);
  for (let trial = 0; trial < 40; trial++) {
    const s = new Stream(6, trial);
    const m = 1 + s.int(200),
      n = 1 + s.int(200);
    const omega = Int32Array.from({ length: m + n + 1 }, () => s.int(ls.n));
    const x0 = s.fillNormal(new Float64Array(ls.dim));
    const direct = sgdFlow(ls, 0.2, omega.subarray(0, m + n), Float64Array.from(x0));
    const mid = sgdFlow(ls, 0.2, omega.subarray(0, m), Float64Array.from(x0));
    assert.deepEqual(
      Array.from(sgdFlow(ls, 0.2, omega.subarray(m, m + n), Float64Array.from(mid))),
      Array.from(direct),
      `trial ${trial}`,
    );
    const wrong = sgdFlow(ls, 0.2, omega.subarray(m + 1, m + n + 1), Float64Array.from(mid));
    assert.ok(
      Math.max(...Array.from(direct, (v, j) => Math.abs(v - wrong[j]))) > 0,
      `trial ${trial}: the wrong shift gave the same point`,
    );
  }
});

test("Wiener shift: θ_s ω starts at 0 and keeps the increments", () => {
  const w = brownianPath(new Stream(3), 0.01, 100);
  const sh = wienerShift(w, 40);
  assert.equal(sh.values[0], 0);
  assert.equal(sh.values.length, 61);
  for (let k = 0; k < 60; k++)
    assert.ok(Math.abs(sh.values[k + 1] - sh.values[k] - (w.values[41 + k] - w.values[40 + k])) < 1e-14);
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
