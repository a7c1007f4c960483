import { test } from "node:test";
import assert from "node:assert/strict";
import { meanCovariance, whitenResiduals, chiSquareSurvival } from "../../lib/stats";
import { Stream } from "../../lib/random";

test("meanCovariance is S/n; whitening makes Σw² = dᵀC⁻¹d and turns correlated Gaussian residuals into χ²_p", () => {
  const reps = [
    [1, 2],
    [3, 3],
    [2, 7],
  ];
  const c = meanCovariance(reps);
  // means (2, 4); S = [[1, 0.5], [0.5, 7]]; S/3
  [1 / 3, 1 / 6, 1 / 6, 7 / 3].forEach((v, k) => assert.ok(Math.abs(c[k] - v) < 1e-15));
  const cov = Float64Array.of(4, 1.8, 1.8, 1);
  const d = [1, -0.5];
  const w = whitenResiduals(d, cov);
  const det = 4 - 1.8 * 1.8,
    quad = (1 * d[0] * d[0] - 2 * 1.8 * d[0] * d[1] + 4 * d[1] * d[1]) / det;
  assert.ok(Math.abs(w[0] ** 2 + w[1] ** 2 - quad) < 1e-12);
  // correlated residuals with a common mode: the whitened χ² is calibrated, the naive one is not
  const s = Stream.named(2, "test/whiten");
  const p = 5,
    rho = 0.6,
    trials = 20000;
  const C = Float64Array.from({ length: p * p }, (_, k) => (Math.floor(k / p) === k % p ? 1 : rho));
  let naiveTail = 0,
    whiteTail = 0;
  for (let t = 0; t < trials; t++) {
    const common = s.normal();
    const r = Array.from({ length: p }, () => Math.sqrt(rho) * common + Math.sqrt(1 - rho) * s.normal());
    if (
      chiSquareSurvival(
        r.reduce((a, b) => a + b * b, 0),
        p,
      ) < 0.01
    )
      naiveTail++;
    if (
      chiSquareSurvival(
        whitenResiduals(r, C).reduce((a, b) => a + b * b, 0),
        p,
      ) < 0.01
    )
      whiteTail++;
  }
  // at level 0.01 the whitened test rejects 1 % ± 0.07 %·4; the naive one far more often
  assert.ok(
    Math.abs(whiteTail / trials - 0.01) < 4 * Math.sqrt((0.01 * 0.99) / trials),
    `whitened ${whiteTail / trials}`,
  );
  assert.ok(naiveTail / trials > 0.03, `naive ${naiveTail / trials}`);
  assert.throws(() => whitenResiduals([1, 1], Float64Array.of(1, 2, 2, 1)), /positive definite/);
});
