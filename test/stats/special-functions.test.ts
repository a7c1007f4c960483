import { test } from "node:test";
import assert from "node:assert/strict";
import {
  erf,
  erfc,
  normalCdf,
  normalQuantile,
  zForConfidence,
  logGamma,
  regularizedBeta,
  studentTCdf,
  studentTQuantile,
  gammaQ,
  chiSquareSurvival,
  ksOneSample,
} from "../../lib/stats";
import { Stream } from "../../lib/random";
import kstest from "@stdlib/stats-kstest";

// Reference values: mpmath at 40–60 digits (reference measurements, not a dependency), or exact cases.
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

test("erf, erfc, Φ and Φ⁻¹ (stdlib-js) at reference values, in both tails", () => {
  assert.ok(rel(erf(0.5), 0.5204998778130465377) < 2e-16);
  assert.ok(rel(erfc(2.425), 6.0476598986127591519e-4) < 1e-15, "where 1 − erf lost three digits");
  assert.ok(rel(erfc(10), 2.088487583762544757e-45) < 1e-14);
  assert.ok(rel(normalCdf(-8), 6.2209605742717841235e-16) < 1e-14);
  assert.ok(
    rel(normalQuantile(2.8256548151895795e-17), -8.3722818117972149) < 1e-14,
    "stdlib's own quantile gives −8.292 here",
  );
  assert.ok(rel(normalQuantile(1e-300), -37.047096299361199) < 1e-12);
  assert.ok(rel(zForConfidence(0.95), 1.9599639845400542355) < 1e-15);
  assert.equal(normalQuantile(0.5), 0);
  for (const p of [1e-12, 0.01, 0.3, 0.77, 1 - 1e-9])
    assert.ok(rel(normalCdf(normalQuantile(p)), p) < 1e-12, `Φ(Φ⁻¹(${p}))`);
});

test("log Γ, I_x(a, b), Student t (stdlib-js): exact cases and reference values", () => {
  assert.ok(Math.abs(logGamma(0.5) - 0.5 * Math.log(Math.PI)) < 1e-15);
  assert.ok(rel(logGamma(10), Math.log(362880)) < 1e-15);
  assert.equal(logGamma(1), 0);
  for (const x of [0.1, 0.5, 0.9]) {
    assert.ok(Math.abs(regularizedBeta(0.5, x * 10, x * 10) - 0.5) < 1e-15, "I_{1/2}(a, a) = 1/2");
    assert.ok(rel(regularizedBeta(x, 1, 3.5), 1 - Math.pow(1 - x, 3.5)) < 1e-14, "I_x(1, b) = 1 − (1 − x)^b");
  }
  assert.ok(rel(regularizedBeta(0.995, 200, 0.5), 0.15703865369788889) < 1e-14);
  // (the reference 1/2 + atan(t)/π itself loses two digits to cancellation at t = −30)
  for (const t of [-30, -1, 0.3, 4])
    assert.ok(rel(studentTCdf(t, 1), 0.5 + Math.atan(t) / Math.PI) < 1e-13, "ν = 1 is Cauchy");
  assert.ok(rel(studentTCdf(-1.72, 1000), 0.042870918270392568) < 1e-14);
  assert.ok(rel(studentTQuantile(0.975, 10), 2.2281388519862747) < 1e-15);
  assert.ok(rel(studentTQuantile(0.99995, 7), 7.884584262416603) < 1e-13);
  assert.equal(studentTQuantile(0.5, 3), 0);
});

test("Q(a, x) and the χ² survival function (stdlib-js): exact cases and reference values", () => {
  for (const x of [0.1, 3, 50, 600])
    assert.ok(rel(chiSquareSurvival(x, 2), Math.exp(-x / 2)) < 1e-14, "k = 2: e^{−x/2}");
  assert.ok(rel(chiSquareSurvival(3.841458820694124, 1), 0.05) < 1e-13);
  assert.ok(rel(gammaQ(500, 787.95), 1.5710523273436356e-28) < 1e-13);
  assert.equal(gammaQ(3, 0), 1);
});

test("out-of-domain arguments raise our named RangeError", () => {
  assert.throws(() => normalQuantile(1.5), /p must be a probability/);
  assert.throws(() => studentTQuantile(0.5, 0), /nu \(degrees of freedom\)/);
  assert.throws(() => studentTCdf(1, -2), /nu \(degrees of freedom\)/);
  assert.throws(() => chiSquareSurvival(1, 0), /k \(degrees of freedom\)/);
  assert.throws(() => gammaQ(1, -1), /x must be/);
  assert.throws(() => logGamma(-1), /x must be/);
  assert.throws(() => regularizedBeta(2, 1, 1), /x must be/);
  assert.throws(() => zForConfidence(1), /strictly between/);
});

test("KS p-values (asymptotic with Stephens' correction) against stdlib's exact one-sample p: within 5 % for n ≥ 50 (p in [1e-5, 0.9])", () => {
  for (const [n, bound] of [
    [50, 0.05],
    [200, 0.05],
    [1000, 0.05],
  ] as const) {
    let worst = 0;
    for (let r = 0; r < 100; r++) {
      const s = Stream.named(1, "test/ks-exact", n * 1000 + r);
      const x = Array.from({ length: n }, () => Math.pow(s.uniform(), 1 + (r % 10) * 0.05));
      const exact = kstest(x, "uniform", 0, 1).pValue;
      if (exact < 1e-5 || exact > 0.9) continue;
      worst = Math.max(worst, rel(ksOneSample(x, (v) => v).pValue, exact));
    }
    assert.ok(worst < bound, `n = ${n}: relative p error ${worst}`);
  }
});
