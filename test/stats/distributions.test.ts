import { test } from "node:test";
import assert from "node:assert/strict";
import {
  erf,
  erfc,
  normalCdf,
  normalQuantile,
  zForConfidence,
  studentTQuantile,
  studentTCdf,
  kolmogorovSurvival,
  ksTwoSample,
  replicateMean,
} from "../../lib/stats";
import { Stream } from "../../lib/random";

const close = (a: number, b: number, rel: number) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${a} vs ${b}`);

// Reference values: CPython math.erf / math.erfc (correctly rounded to ~1 ulp).
test("erf and erfc against reference values (both sides of the series/continued-fraction switch)", () => {
  close(erf(0.5), 0.5204998778130465, 1e-15);
  close(erf(1), 0.8427007929497149, 1e-15);
  close(erf(2.4999), 0.9995928300996666, 1e-15);
  close(erf(2.5001), 0.9995932657565293, 1e-15);
  close(erfc(3), 2.2090496998585438e-5, 1e-14);
  close(erfc(5), 1.5374597944280351e-12, 1e-14);
  close(erfc(-1), 1.8427007929497148, 1e-15);
  assert.equal(erf(-0.3), -erf(0.3));
});

test("normal quantile inverts the CDF, and z for 95% is 1.959964", () => {
  for (const p of [1e-12, 1e-4, 0.02, 0.3, 0.5, 0.9, 0.999, 1 - 1e-9]) close(normalCdf(normalQuantile(p)), p, 1e-12);
  close(zForConfidence(0.95), 1.959963984540054, 1e-14);
});

test("Student t: quantiles against tables, symmetry, tends to the normal", () => {
  close(studentTQuantile(0.975, 1), 12.706204736174698, 1e-10);
  close(studentTQuantile(0.975, 10), 2.2281388519649385, 1e-10);
  // ν = 3 closed form: F(t) = 1/2 + (1/π)[t/(√3(1 + t²/3)) + atan(t/√3)]
  const t = 2;
  close(
    studentTCdf(t, 3),
    0.5 + (t / (Math.sqrt(3) * (1 + (t * t) / 3)) + Math.atan(t / Math.sqrt(3))) / Math.PI,
    1e-13,
  );
  close(studentTQuantile(0.025, 7), -studentTQuantile(0.975, 7), 1e-12);
  close(studentTQuantile(0.975, 1e7), 1.959963984540054, 1e-5);
});

test("Kolmogorov distribution: Q(1.3581) = 0.05, continuous across the two series", () => {
  close(kolmogorovSurvival(1.3581), 0.05, 1e-3);
  close(kolmogorovSurvival(1.18 - 1e-9), kolmogorovSurvival(1.18 + 1e-9), 1e-7);
});

test("two-sample KS: same law accepted, shifted law rejected", () => {
  const a = new Stream(1, 0).fillNormal(new Float64Array(20000));
  const b = new Stream(1, 1).fillNormal(new Float64Array(20000));
  assert.ok(ksTwoSample(a, b).pValue > 1e-3);
  const c = b.map((v) => v + 0.1);
  assert.ok(ksTwoSample(a, c).pValue < 1e-3);
});

test("replicate means: exact on a small example, errors on bad input", () => {
  const e = replicateMean([
    [1, 10],
    [2, 20],
    [3, 30],
  ]);
  assert.deepEqual(Array.from(e.value), [2, 20]);
  close(e.se[0], Math.sqrt(1 / 3), 1e-15);
  assert.throws(() => replicateMean([[1]]), /replicates/);
  assert.throws(() => replicateMean([[1], [NaN]]), /finite/);
});
