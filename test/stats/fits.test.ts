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

test("weighted linear model: recovers two exponents with calibrated errors, χ² ~ its dof, and refuses a dependent design", async () => {
  const { fitLinearModel } = await import("../../lib/stats");
  let inside = 0, chi = 0;
  const trials = 300;
  for (let t = 0; t < trials; t++) {
    const s = new Stream(11, t);
    const design: number[][] = [], y: number[] = [], sig: number[] = [], off: number[] = [];
    for (const la of [-3, -2, -1]) for (const lb of [1, 2, 3, 4]) {
      const e = 0.02 + 0.01 * lb;
      design.push([1, la, lb]);
      off.push(0.1 * la * la); // a known, unfitted term
      y.push(0.3 + 0.5 * la - 0.5 * lb + 0.1 * la * la + e * s.normal());
      sig.push(e);
    }
    const f = fitLinearModel(design, y, sig, { names: ["c", "a", "b"], offset: off });
    if (Math.abs(f.coefficients[2] + 0.5) < f.standardErrors[2]) inside++;
    chi += f.chi2;
    assert.equal(f.dof, 9);
  }
  assert.ok(Math.abs(inside / trials - 0.683) < 0.08, `coverage ${inside / trials}`);
  assert.ok(Math.abs(chi / trials - 9) < 0.8, `mean χ² ${chi / trials} on 9 dof`);
  assert.throws(() => fitLinearModel([[1, 2], [2, 4], [3, 6]], [1, 2, 3], [1, 1, 1]), /linearly dependent/);
  assert.throws(() => fitLinearModel([[1, 2], [2, 4]], [1, 2], [1, 1]), /need n > p/);
  assert.throws(() => fitLinearModel([[1], [2], [3]], [1, 2, 3], [1, 0, 1]), /sigma\[1\]/);
});
