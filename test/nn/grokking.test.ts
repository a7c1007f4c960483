import { test } from "node:test";
import assert from "node:assert/strict";
import { grokkingRun, type GrokkingInput } from "../../lib/nn";

const base: GrokkingInput = {
  seed: "test/nn/grokking",
  index: 0,
  p: 5,
  trainFraction: 0.6,
  spec: { vocab: 6, block: 3, layers: 1, heads: 2, dModel: 8 },
  initStd: 0.3,
  lr: 1e-2,
  weightDecay: 0.5,
  steps: 30,
  every: 10,
  probeAt: [0, 30],
  probe: { etaRatio: 0.9, k: 2, steps: 20, transient: 5, frozenSteps: 20 },
};

test("grokkingRun: the history every `every` steps, a probe at each requested step (η from the probe's own sharpness), training lowers the loss", () => {
  const r = grokkingRun(base);
  assert.equal(r.train + r.test, 25);
  assert.deepEqual(
    r.history.map((h) => h.step),
    [0, 10, 20, 30],
  );
  assert.ok(r.history[3].trainLoss < r.history[0].trainLoss, `${r.history[3].trainLoss} vs ${r.history[0].trainLoss}`);
  assert.deepEqual(
    r.probes.map((p) => p.step),
    [0, 30],
  );
  for (const p of r.probes) {
    assert.ok(Math.abs(p.eta - (2 * 0.9) / p.sharpness) < 1e-15);
    assert.equal(p.exponents.length, 2);
    assert.equal(p.frozen.length, 2);
  }
  // the same input, the same numbers
  assert.deepEqual(grokkingRun(base), r);
});

test("grokkingRun: bad input", () => {
  assert.throws(() => grokkingRun({ ...base, spec: { ...base.spec, vocab: 7 } }), /vocabulary must be p \+ 1/);
  assert.throws(() => grokkingRun({ ...base, probeAt: [31] }), /probeAt/);
  assert.throws(() => grokkingRun({ ...base, every: 0 }), /every/);
});
