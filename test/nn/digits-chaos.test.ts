import { test } from "node:test";
import assert from "node:assert/strict";
import { digitsChaosRun, digitsChaosTask, type DigitsChaosInput } from "../../lib/nn";
import { parallelMap } from "../../lib/parallel";

// a tiny problem: 40 digits pooled to 4 × 4, one hidden layer of 5 (d = 135)
const base: DigitsChaosInput = {
  seed: "test/nn/digits-chaos",
  index: 0,
  perDigit: 4,
  heldOutPerDigit: 4,
  pool: 7,
  hidden: [5],
  activation: "tanh",
  loss: "mse",
  etaRatio: 0.5,
  k: 3,
  steps: 40,
  transient: 20,
  samples: 4,
  snapshotEvery: 2,
  components: 2,
  review: { k: 2, frozenSteps: 300 },
};

test("digitsChaosRun: η from the measured S₀, the window's samples, the trajectory's components, and the same result on 1 or 2 threads", async () => {
  const r = digitsChaosRun(base);
  assert.equal(r.dim, 16 * 5 + 5 + 5 * 10 + 10);
  assert.equal(r.examples, 40);
  assert.ok(Math.abs(r.eta - (2 * 0.5) / r.sharpness0) < 1e-15);
  assert.equal(r.exponents.length, 3);
  assert.equal(r.losses.length, 60);
  assert.equal(r.sharpness!.values.length, 4);
  for (const [a, b] of [
    [r.gap, r.testLoss],
    [r.edgeRatio, r.sharpness],
  ] as const)
    assert.equal(a!.values.length, b!.values.length);
  r.gap!.values.forEach((g, j) => assert.ok(Math.abs(g - (r.testLoss!.values[j] - r.trainLoss!.values[j])) < 1e-15));
  r.edgeRatio!.values.forEach((e, j) => assert.ok(Math.abs(e - (r.sharpness!.values[j] * r.eta) / 2) < 1e-15));
  assert.equal(r.trajectory!.count, 20);
  assert.ok(
    r.trajectory!.variances[0] >= r.trajectory!.variances[1] &&
      r.trajectory!.variances[0] + r.trajectory!.variances[1] <= r.trajectory!.total * (1 + 1e-12),
  );
  // the review's code, frozen at θ₀, never uses η: the same exponents at another step size, bit for bit;
  // its algorithm on the trajectory does use it (the trajectory moves with η)
  const other = digitsChaosRun({ ...base, etaRatio: 0.9 });
  assert.deepEqual(other.review!.frozen, r.review!.frozen);
  assert.notDeepEqual(other.review!.exponents, r.review!.exponents);
  const [one, two] = [
    await parallelMap(digitsChaosTask, [base, { ...base, index: 1 }], { workers: 1 }),
    await parallelMap(digitsChaosTask, [base, { ...base, index: 1 }], { workers: 2 }),
  ];
  assert.deepEqual(two, one);
  assert.deepEqual(one[0].exponents, r.exponents);
  assert.notDeepEqual(one[1].exponents, r.exponents);
});

test("digitsChaosRun: GD far past the edge on a linear model diverges and is recorded with its step, never NaN; bad input", () => {
  const r = digitsChaosRun({ ...base, hidden: [], etaRatio: 30, review: undefined });
  assert.ok(r.divergence && r.divergence.step >= 1, JSON.stringify(r.divergence));
  assert.deepEqual(r.exponents, []);
  assert.equal(r.gap, null);
  assert.throws(() => digitsChaosRun({ ...base, etaRatio: 0 }), /etaRatio/);
  assert.throws(() => digitsChaosRun({ ...base, samples: 1 }), /samples/);
  assert.throws(() => digitsChaosRun({ ...base, batch: 41 }), /batch/);
  assert.throws(() => digitsChaosRun({ ...base, components: 20 }), /components/);
});
