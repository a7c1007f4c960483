import { test } from "node:test";
import assert from "node:assert/strict";
import {
  gptInit,
  modularAdditionData,
  modularAdditionObjective,
  modularAdditionAccuracy,
  type GptSpec,
} from "../../lib/nn";
import { Stream } from "../../lib/random";
import { centralDifference } from "./finite-difference";

const spec: GptSpec = { vocab: 6, block: 3, layers: 1, heads: 2, dModel: 8 };

test("modularAdditionData: every equation once, a + b = c (mod p), split by the fraction", () => {
  const d = modularAdditionData(5, 0.4, Stream.named(1, "test/nn/modular/data"));
  assert.equal(d.train.n, 10);
  assert.equal(d.test.n, 15);
  const seen = new Set<string>();
  for (const s of [d.train, d.test])
    for (let i = 0; i < s.n; i++) {
      const [a, b, eq] = s.inputs.subarray(3 * i, 3 * i + 3);
      assert.equal(eq, 5);
      assert.equal(s.labels[i], (a + b) % 5);
      seen.add(`${a},${b}`);
    }
  assert.equal(seen.size, 25);
  assert.throws(() => modularAdditionData(5, 0.01, Stream.named(1, "x")), /empty training/);
  assert.throws(() => modularAdditionData(1, 0.5, Stream.named(1, "x")), /p/);
});

test("the objective: HVPs against central differences of the gradient; weight decay adds λθ and λv; k tangents equal k products; subsets; accuracy", () => {
  const s = Stream.named(1, "test/nn/modular/objective");
  const d = modularAdditionData(5, 0.5, s.child("data"));
  const theta = gptInit(spec, s.child("init"), { std: 0.3 });
  const plain = modularAdditionObjective(spec, d.train),
    decayed = modularAdditionObjective(spec, d.train, { weightDecay: 0.7 });
  const D = plain.dim,
    v = s.fillNormal(new Float64Array(D));
  const a = plain.evaluate(theta, v),
    b = decayed.evaluate(theta, v);
  let n2 = 0;
  for (let i = 0; i < D; i++) n2 += theta[i] * theta[i];
  assert.ok(Math.abs(b.loss - a.loss - 0.35 * n2) < 1e-12 * b.loss);
  for (let i = 0; i < D; i++) {
    assert.ok(Math.abs(b.gradient[i] - a.gradient[i] - 0.7 * theta[i]) < 1e-12);
    assert.ok(Math.abs(b.hvp![i] - a.hvp![i] - 0.7 * v[i]) < 1e-11);
  }
  const { value, tol } = centralDifference((t) => decayed.evaluate(t).gradient, theta, v, 1e-3);
  for (let i = 0; i < D; i++)
    assert.ok(Math.abs(value[i] - b.hvp![i]) <= tol[i], `entry ${i}: ${b.hvp![i]} vs ${value[i]} ± ${tol[i]}`);
  const V = s.fillNormal(new Float64Array(3 * D)),
    r = decayed.evaluateTangents!(theta, V, 3);
  for (let c = 0; c < 3; c++) {
    const one = decayed.evaluate(theta, V.subarray(c * D, (c + 1) * D)).hvp!;
    for (let i = 0; i < D; i++) assert.ok(Math.abs(one[i] - r.hvps[c * D + i]) <= 1e-12 * (1 + Math.abs(one[i])));
  }
  // a subset of every equation is the whole objective; a subset of one is that equation
  const all = Int32Array.from({ length: d.train.n }, (_, i) => i);
  assert.ok(Math.abs(decayed.subset!(all).evaluate(theta).loss - b.loss) < 1e-12);
  assert.throws(() => decayed.subset!([d.train.n]), /outside/);
  const acc = modularAdditionAccuracy(spec, theta, d.train);
  assert.ok(acc.accuracy >= 0 && acc.accuracy <= 1);
  assert.ok(Math.abs(acc.loss - a.loss) < 1e-12, `${acc.loss} vs ${a.loss}`);
  assert.throws(() => modularAdditionObjective(spec, d.train, { weightDecay: -1 }), /weightDecay/);
});
