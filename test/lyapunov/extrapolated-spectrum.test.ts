import { test } from "node:test";
import assert from "node:assert/strict";
import { extrapolatedSpectrum } from "../../lib/lyapunov";
import { Stream } from "../../lib/random";
import { replicateMean, richardson, meanCovariance } from "../../lib/stats";

// synthetic runs: exponents λ + (bias ∝ dt) + correlated noise (a common mode shared by one run's exponents)
const runs = (s: Stream, count: number, lambda: number[], bias: number, noise: number) =>
  Array.from({ length: count }, () => {
    const common = s.normal();
    return lambda.map((l, k) => l + bias * (k + 1) + noise * (0.6 * common + 0.8 * s.normal()));
  });

test("extrapolatedSpectrum removes a first-order bias: 2·fine − coarse, per exponent and for the per-run sum", () => {
  const s = new Stream(1);
  const lambda = [-1, -2, -3];
  const coarse = runs(s, 400, lambda, 0.2, 0.05),
    fine = runs(s, 400, lambda, 0.1, 0.05);
  const e = extrapolatedSpectrum(coarse, fine);
  assert.equal(e.value.length, 4);
  assert.equal(e.dof, 399);
  lambda.forEach((l, k) => assert.ok(Math.abs(e.value[k] - l) < 5 * e.se[k], `λ${k + 1} = ${e.value[k]} ± ${e.se[k]}`));
  assert.ok(Math.abs(e.value[3] + 6) < 5 * e.se[3], `sum ${e.value[3]} ± ${e.se[3]}`);
  // the common mode makes the sum's error larger than the root sum of squares of the exponents'
  assert.ok(e.se[3] > Math.hypot(e.se[0], e.se[1], e.se[2]));
  // the covariance's diagonal is the exponents' squared standard errors (the same runs, the same formula)
  for (let k = 0; k < 3; k++)
    assert.ok(Math.abs(e.cov[k * 3 + k] - e.se[k] ** 2) < 1e-12 * e.se[k] ** 2 + 1e-300, `cov[${k}]`);
  // second order, ratio 2: (4·fine − coarse)/3
  const e2 = extrapolatedSpectrum(coarse, fine, 2, 2);
  assert.ok(Math.abs(e2.value[0] - (4 * e.fineMean[0] - replicateMean(coarse).value[0]) / 3) < 1e-12);
});

test("extrapolatedSpectrum gives the numbers notebook 04 computed inline, bit for bit", () => {
  const s = new Stream(2);
  const coarse = runs(s, 40, [-1, -2], 0.1, 0.2),
    fine = runs(s, 40, [-1, -2], 0.05, 0.2);
  // the notebook's former cell 3
  const withSum = (r: number[][]) => r.map((e) => [...e, e.reduce((a, b) => a + b, 0)]);
  const ec = replicateMean(withSum(coarse)),
    ef = replicateMean(withSum(fine));
  const ex = Array.from(ef.value, (v, k) =>
    richardson({ value: ec.value[k], se: ec.se[k] }, { value: v, se: ef.se[k] }),
  );
  const cf = meanCovariance(fine),
    cc = meanCovariance(coarse);
  const cov = cf.map((v, k) => 4 * v + cc[k]);
  const e = extrapolatedSpectrum(coarse, fine);
  assert.deepEqual(
    e.value,
    ex.map((x) => x.value),
  );
  assert.deepEqual(
    e.se,
    ex.map((x) => x.se),
  );
  assert.deepEqual(Array.from(e.cov), Array.from(cov));
  assert.deepEqual(e.fineMean, Array.from(ef.value));
});

test("extrapolatedSpectrum: bad input names the problem", () => {
  assert.throws(() => extrapolatedSpectrum([[1]], [[1]]), /runs at the coarse step/);
  assert.throws(() => extrapolatedSpectrum([[1], [2]], [[1], [2], [3]]), /same number of runs/);
  assert.throws(
    () =>
      extrapolatedSpectrum(
        [
          [1, 2],
          [2, 3],
        ],
        [[1], [2]],
      ),
    /exponents/,
  );
  assert.throws(() => extrapolatedSpectrum([[1], [NaN]], [[1], [2]]), /finite/);
});
