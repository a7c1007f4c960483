import { test } from "node:test";
import assert from "node:assert/strict";
import { DataParallelObjective, mlpShardConfig, mlpShardTask, gptShardConfig, gptShardTask, gptInit, gptObjective, tokenWindows, mlpInit, mlpObjective, type MlpSpec, type GptSpec } from "../../lib/nn";
import { openWorkerPool, task } from "../../lib/parallel";
import { Stream } from "../../lib/random";

const spec: MlpSpec = { widths: [6, 8, 3], activations: ["tanh", "identity"] };

function dataset() {
  const s = Stream.named(4, "test/nn/data-parallel");
  const N = 150;
  const inputs = s.fillNormal(new Float64Array(N * 6));
  const labels = Int32Array.from({ length: N }, () => Math.floor(3 * s.uniform()));
  return { inputs, labels, theta: mlpInit(spec, s.child("init")), v: s.fillNormal(new Float64Array(83)), batch: Int32Array.from({ length: 100 }, (_, i) => (i * 37) % 150) };
}

test("data-parallel minibatch gradients: bit-identical with 1, 2 and 3 workers, and equal to the single-tape mean to 1e-13", async () => {
  const { inputs, labels, theta, v, batch } = dataset();
  const config = mlpShardConfig(spec, { inputs, labels }, "cross-entropy");
  const results = [];
  for (const workers of [1, 2, 3]) {
    const dp = await DataParallelObjective.open(mlpShardTask, config, { workers, chunk: 16 });
    try { results.push(await dp.evaluate(theta, batch, v)); } finally { await dp.close(); }
  }
  for (const r of results.slice(1)) {
    assert.equal(r.loss, results[0].loss);
    assert.deepEqual(r.gradient, results[0].gradient);
    assert.deepEqual(r.hvp, results[0].hvp);
  }
  // the same minibatch on one tape (a different summation order): equal to rounding
  const rows = new Float64Array(100 * 6), lab = new Int32Array(100);
  batch.forEach((e, r) => { rows.set(inputs.subarray(e * 6, e * 6 + 6), r * 6); lab[r] = labels[e]; });
  const one = mlpObjective(spec, { inputs: rows, labels: lab }, { loss: "cross-entropy" }).evaluate(theta, v);
  assert.ok(Math.abs(one.loss - results[0].loss) < 1e-13);
  for (let i = 0; i < 83; i++) {
    assert.ok(Math.abs(one.gradient[i] - results[0].gradient[i]) < 1e-13, `gradient ${i}`);
    assert.ok(Math.abs(one.hvp![i] - results[0].hvp![i]) < 1e-13, `hvp ${i}`);
  }
  assert.ok(results[0].gradient.some((g) => g !== 0));
});

test("data-parallel GPT windows: 2 workers equal 1 bit for bit, and the mean over windows equals gptObjective on them", async () => {
  const g: GptSpec = { vocab: 6, block: 5, layers: 1, heads: 2, dModel: 4 };
  const corpus = Int32Array.from({ length: 60 }, (_, i) => (i * i + 3 * i) % 6);
  const theta = gptInit(g, Stream.named(4, "test/nn/dp-gpt"), { std: 0.3 });
  const starts = [0, 7, 13, 20, 33, 41, 50];
  const config = gptShardConfig(g, corpus, 5);
  const out = [];
  for (const workers of [1, 2]) {
    const dp = await DataParallelObjective.open(gptShardTask, config, { workers, chunk: 3 });
    try { out.push(await dp.evaluate(theta, starts)); } finally { await dp.close(); }
  }
  assert.deepEqual(out[1], out[0]);
  const direct = gptObjective(g, tokenWindows(corpus, starts, 5)).evaluate(theta);
  assert.ok(Math.abs(direct.loss - out[0].loss) < 1e-13);
  for (let i = 0; i < direct.gradient.length; i++) assert.ok(Math.abs(direct.gradient[i] - out[0].gradient[i]) < 1e-13);
  assert.throws(() => gptShardConfig(g, corpus, 6), /T \(window length\)/);
});

test("data-parallel: bad input and a failing factory give clear errors; a closed pool refuses work", async () => {
  const { inputs, labels, theta } = dataset();
  const dp = await DataParallelObjective.open(mlpShardTask, mlpShardConfig(spec, { inputs, labels }, "cross-entropy"), { workers: 2 });
  try {
    await assert.rejects(dp.evaluate(theta, [0, 150]), /example index 150 \(position 1\) is outside 0…149/);
    await assert.rejects(dp.evaluate(theta, []), /batch size/);
    await assert.rejects(dp.evaluate(theta.subarray(1), [0]), /θ/);
  } finally { await dp.close(); }
  await assert.rejects(dp.evaluate(theta, [0]), /closed/);
  assert.throws(() => mlpShardConfig(spec, { inputs, labels: Int32Array.from(labels, () => 5) }, "cross-entropy"), /outside 0…2/);
  await assert.rejects(DataParallelObjective.open(mlpShardTask, mlpShardConfig(spec, { inputs, labels }, "cross-entropy"), { chunk: 0 }), /chunk/);
  await assert.rejects(openWorkerPool(task("nn/data-parallel", function nope(x: number) { return () => x; }), 1, { workers: 2 }), /no exported function "nope"/);
});
