import { test } from "node:test";
import assert from "node:assert/strict";
import { chiSquareSurvival, fitLine } from "../../lib/stats";
import { Stream } from "../../lib/random";

test("χ² survival at tabulated 5% points", () => {
  for (const [x, k] of [[3.841458820694124, 1], [18.307038053275146, 10], [124.34211340400407, 100]]) {
    assert.ok(Math.abs(chiSquareSurvival(x, k) - 0.05) < 1e-8, `k = ${k}`);
  }
});

test("weighted line fit recovers slope and intercept within its standard errors (and the errors are calibrated)", () => {
  let inside = 0;
  const trials = 400;
  for (let t = 0; t < trials; t++) {
    const s = new Stream(5, t);
    const x = [0, 1, 2, 3, 4, 5];
    const sig = x.map((v) => 0.1 + 0.05 * v);
    const y = x.map((v, i) => 1.5 - 0.7 * v + sig[i] * s.normal());
    const f = fitLine(x, y, sig);
    if (Math.abs(f.slope + 0.7) < f.slopeError) inside++;
  }
  // a 1σ interval covers 68.3%; binomial sd over 400 trials is 2.3%
  assert.ok(Math.abs(inside / trials - 0.683) < 0.07, `coverage ${inside / trials}`);
  assert.throws(() => fitLine([1, 1, 1], [1, 2, 3]), /all equal/);
});
