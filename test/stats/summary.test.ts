import { test } from "node:test";
import assert from "node:assert/strict";
import { meanWithError, varianceWithError, normalQuantile, averageEstimates } from "../../lib/stats";
import { Stream } from "../../lib/random";

test("varianceWithError: exact on a small sample; its mean and se equal meanWithError's; the variance's se covers the truth at its nominal rate (N(0, 1) and exponential samples)", () => {
  const v = varianceWithError([1, 2, 4]);
  assert.equal(v.mean.value, 7 / 3);
  assert.ok(Math.abs(v.variance.value - 7 / 3) < 1e-15);
  const d2 = [16 / 9, 1 / 9, 25 / 9];
  assert.ok(Math.abs(v.variance.se - Math.sqrt(d2.reduce((a, x) => a + (x - 7 / 3) ** 2, 0) / 2 / 3)) < 1e-15);
  const m = meanWithError([1, 2, 4]);
  assert.ok(Math.abs(v.mean.se - m.se) < 1e-15);
  // coverage of ±1.96 se: 95 % within 4 binomial sd. The se is asymptotic: a skewed law (exponential,
  // kurtosis 9) needs a large sample (at n = 400 it covers only 91 %).
  const z = normalQuantile(0.975),
    s = Stream.named(1, "test/variance-with-error");
  for (const [law, draw, n, reps] of [
    ["normal", () => s.normal(), 400, 2000],
    ["exponential", () => -Math.log(1 - s.uniform()), 10000, 400],
  ] as const) {
    let covered = 0;
    for (let r = 0; r < reps; r++) {
      const e = varianceWithError(Array.from({ length: n }, draw));
      if (Math.abs(e.variance.value - 1) <= z * e.variance.se) covered++;
    }
    assert.ok(
      Math.abs(covered / reps - 0.95) < 4 * Math.sqrt((0.95 * 0.05) / reps),
      `${law}: coverage ${covered / reps}`,
    );
  }
  assert.throws(() => varianceWithError([1]), /sample size/);
  assert.throws(() => varianceWithError([1, NaN]), /sample\[1\]/);
});

test("averageEstimates: the mean of independent estimates, se √(Σ se²)/n; covers at its nominal rate; refuses bad input", () => {
  const a = averageEstimates([
    { value: 1, se: 0.3 },
    { value: 2, se: 0.4 },
  ]);
  assert.equal(a.value, 1.5);
  assert.ok(Math.abs(a.se - 0.25) < 1e-15); // √(0.09 + 0.16)/2
  // three estimates of 0 with different errors, each N(0, seᵢ²): the average's z is N(0, 1)
  const s = new Stream(5, 11);
  const ses = [0.5, 1, 2];
  let inside = 0;
  const trials = 4000;
  for (let t = 0; t < trials; t++) {
    const e = averageEstimates(ses.map((se) => ({ value: se * s.normal(), se })));
    if (Math.abs(e.value / e.se) < 1.959964) inside++;
  }
  const p = inside / trials; // 0.95 ± 0.0034
  assert.ok(Math.abs(p - 0.95) < 4 * Math.sqrt((0.95 * 0.05) / trials), `coverage ${p}`);
  assert.throws(() => averageEstimates([]), /no estimates/);
  assert.throws(() => averageEstimates([{ value: 1, se: -1 }]), /estimate 0 has se -1/);
  // an undefined estimate (notebook 12's R when σ² does not grow) makes the average undefined
  const u = averageEstimates([
    { value: NaN, se: NaN },
    { value: 1, se: 0.1 },
  ]);
  assert.ok(Number.isNaN(u.value) && Number.isNaN(u.se));
});
