import { test } from "node:test";
import assert from "node:assert/strict";
import { reviewSharpnessDimension, reviewSharpnessDimensionResolved } from "../../lib/lyapunov";

test("resolved SD: a resolved count gives the review's value with a delta-method error; an exponent within its error of 0 leaves it undetermined; all positive gives a lower bound", () => {
  // resolved: two positive, then negative beyond 3 se: SD = 2 + 0.5/0.2 = 4.5
  const l = [0.8, -0.5, 0.2, -1.5],
    se = [0.01, 0.02, 0.01, 0.05];
  const r = reviewSharpnessDimensionResolved(l, se, 3);
  assert.equal(r.status, "determined");
  assert.ok(Math.abs(r.value! - reviewSharpnessDimension(l)) < 1e-15 && Math.abs(r.value! - 4.5) < 1e-12);
  assert.ok(Math.abs(r.se! - 2.5 * Math.hypot(0.01 / 0.2, 0.02 / 0.5)) < 1e-12);
  assert.deepEqual(r.positives, { low: 2, high: 2 });
  // λ₂ = 0.02 ± 0.01 is within 3 se of 0: k is 1 or 2, SD undetermined (≥ 1)
  const u = reviewSharpnessDimensionResolved([0.8, 0.02, -1], [0.01, 0.01, 0.01], 3);
  assert.equal(u.status, "undetermined");
  assert.equal(u.value, null);
  assert.deepEqual(u.positives, { low: 1, high: 2 });
  assert.equal(u.lower, 1);
  // with t = 1 the same exponent is resolved
  assert.equal(reviewSharpnessDimensionResolved([0.8, 0.02, -1], [0.01, 0.01, 0.01], 1).status, "determined");
  // every computed exponent positive: SD ≥ 3
  const b = reviewSharpnessDimensionResolved([3e-4, 2e-4, 1e-4], [1e-5, 1e-5, 1e-5], 4);
  assert.equal(b.status, "lower-bound");
  assert.equal(b.lower, 3);
  // none positive: SD = 0
  assert.deepEqual(reviewSharpnessDimensionResolved([-0.1, -0.2], [0.01, 0.01], 3).value, 0);
});

test("resolved SD: bad input", () => {
  assert.throws(() => reviewSharpnessDimensionResolved([1, 2], [1], 3), /2 exponents but 1/);
  assert.throws(() => reviewSharpnessDimensionResolved([], [], 3), /no exponents/);
  assert.throws(() => reviewSharpnessDimensionResolved([NaN], [1], 3), /exponent 1/);
  assert.throws(() => reviewSharpnessDimensionResolved([1], [-1], 3), /standard error 1/);
  assert.throws(() => reviewSharpnessDimensionResolved([1], [1], -1), /t must be/);
});
