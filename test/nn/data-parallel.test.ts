import { test } from "node:test";
import assert from "node:assert/strict";
import {
  DataParallelObjective,
  mlpShardConfig,
  mlpShardTask,
  gptShardConfig,
  gptShardTask,
  gptInit,
  gptObjective,
  tokenWindows,
  mlpInit,
  mlpObjective,
  type MlpSpec,
  type GptSpec,
} from "../../lib/nn";
import { openWorkerPool, task } from "../../lib/parallel";
import { Stream } from "../../lib/random";

const spec: MlpSpec = { widths: [6, 8, 3], activations: ["tanh", "identity"] };

function dataset() {
  const s = Stream.named(4, "test/nn/data-parallel");
  const N = 150;
  const inputs = s.fillNormal(new Float64Array(N * 6));
  const labels = Int32Array.from({ length: N }, () => Math.floor(3 * s.uniform()));
  return {
    inputs,
    labels,
    theta: mlpInit(spec, s.child("init")),
    v: s.fillNormal(new Float64Array(83)),
    batch: Int32Array.from({ length: 100 }, (_, i) => (i * 37) % 150),
  };
}

test("data-parallel minibatch gradients: bit-identical with 1, 2 and 3 workers, and equal to the single-tape mean to 1e-13", async () => {
  const { inputs, labels, theta, v, batch } = dataset();
  const config = mlpShardConfig(spec, { inputs, labels }, "cross-entropy");
  const results = [];
  for (const workers of [1, 2, 3]) {
    const dp = await DataParallelObjective.open(mlpShardTask, config, { workers, chunk: 16 });
    try {
      results.push(await dp.evaluate(theta, batch, v));
    } finally {
      await dp.close();
    }
  }
  for (const r of results.slice(1)) {
    assert.equal(r.loss, results[0].loss);
    assert.deepEqual(r.gradient, results[0].gradient);
    assert.deepEqual(r.hvp, results[0].hvp);
  }
  // the same minibatch on one tape (a different summation order): equal to rounding
  const rows = new Float64Array(100 * 6),
    lab = new Int32Array(100);
  batch.forEach((e, r) => {
    rows.set(inputs.subarray(e * 6, e * 6 + 6), r * 6);
    lab[r] = labels[e];
  });
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
    try {
      out.push(await dp.evaluate(theta, starts));
    } finally {
      await dp.close();
    }
  }
  assert.deepEqual(out[1], out[0]);
  const direct = gptObjective(g, tokenWindows(corpus, starts, 5)).evaluate(theta);
  assert.ok(Math.abs(direct.loss - out[0].loss) < 1e-13);
  for (let i = 0; i < direct.gradient.length; i++) assert.ok(Math.abs(direct.gradient[i] - out[0].gradient[i]) < 1e-13);
  assert.throws(() => gptShardConfig(g, corpus, 6), /windowLength/);
});

test("data-parallel: bad input and a failing factory give clear errors; a closed pool refuses work", async () => {
  const { inputs, labels, theta } = dataset();
  const dp = await DataParallelObjective.open(mlpShardTask, mlpShardConfig(spec, { inputs, labels }, "cross-entropy"), {
    workers: 2,
  });
  try {
    await assert.rejects(dp.evaluate(theta, [0, 150]), /example index 150 \(position 1\) is outside 0…149/);
    await assert.rejects(dp.evaluate(theta, []), /batch size/);
    await assert.rejects(dp.evaluate(theta.subarray(1), [0]), /θ/);
  } finally {
    await dp.close();
  }
  await assert.rejects(dp.evaluate(theta, [0]), /closed/);
  assert.throws(
    () => mlpShardConfig(spec, { inputs, labels: Int32Array.from(labels, () => 5) }, "cross-entropy"),
    /outside 0…2/,
  );
  await assert.rejects(
    DataParallelObjective.open(mlpShardTask, mlpShardConfig(spec, { inputs, labels }, "cross-entropy"), { chunk: 0 }),
    /chunk/,
  );
  await assert.rejects(
    openWorkerPool(
      task("nn/data-parallel", function nope(x: number) {
        return () => x;
      }),
      1,
      { workers: 2 },
    ),
    /no exported function "nope"/,
  );
});

test("trainMinibatch: batch = n is full-batch GD (to 1e-12), any worker count gives the same run bit for bit, divergence is recorded and the pool survives it", async () => {
  const { trainMinibatch, trainFullBatch, gradientDescent, momentum } = await import("../../lib/nn");
  const { inputs, labels, theta } = dataset();
  const config = mlpShardConfig(spec, { inputs, labels }, "cross-entropy");
  const dp1 = await DataParallelObjective.open(mlpShardTask, config, { workers: 1, chunk: 16 });
  const dp2 = await DataParallelObjective.open(mlpShardTask, config, { workers: 2, chunk: 16 });
  try {
    const full = trainFullBatch(
      mlpObjective(spec, { inputs, labels }, { loss: "cross-entropy" }),
      theta,
      gradientDescent({ eta: 0.5 }),
      { steps: 4 },
    );
    const mb = await trainMinibatch(dp1, theta, gradientDescent({ eta: 0.5 }), {
      epochs: 5,
      batch: 150,
      stream: Stream.named(4, "test/nn/mb-full"),
    });
    for (let t = 0; t < 5; t++)
      assert.ok(
        Math.abs(mb.losses[t] - full.losses[t]) <= 1e-12 * full.losses[t],
        `step ${t}: ${mb.losses[t]} vs ${full.losses[t]}`,
      );
    const runs = [];
    for (const dp of [dp1, dp2])
      runs.push(
        await trainMinibatch(dp, theta, momentum({ eta: 0.1 }), {
          epochs: 2,
          batch: 32,
          stream: Stream.named(4, "test/nn/mb"),
          monitor: () => 1,
        }),
      );
    assert.equal(runs[0].losses.length, 2 * 5);
    assert.deepEqual(runs[1].losses, runs[0].losses);
    assert.deepEqual(runs[1].theta, runs[0].theta);
    assert.deepEqual(
      runs[0].monitored.map((m) => m.step),
      [5, 10],
    );
    // cross-entropy stays finite at huge logits (log-sum-exp), so maxLoss names the step; with MSE at
    // η = 1e200 the second minibatch's loss overflows in the workers: recorded, and the pool still works
    const capped = await trainMinibatch(dp1, theta, gradientDescent({ eta: 1e200 }), {
      epochs: 1,
      batch: 32,
      stream: Stream.named(4, "test/nn/mb-cap"),
      maxLoss: 1e6,
    });
    assert.equal(capped.divergence?.step, 1);
    assert.ok(/exceeds maxLoss/.test(capped.divergence!.reason));
    const targets = Float64Array.from({ length: 150 * 3 }, (_, k) => (labels[Math.floor(k / 3)] === k % 3 ? 1 : 0));
    const dpMse = await DataParallelObjective.open(mlpShardTask, mlpShardConfig(spec, { inputs, targets }, "mse"), {
      workers: 2,
      chunk: 16,
    });
    let blow;
    try {
      blow = await trainMinibatch(dpMse, theta, gradientDescent({ eta: 1e200 }), {
        epochs: 1,
        batch: 32,
        stream: Stream.named(4, "test/nn/mb-blow"),
      });
      assert.ok(Number.isFinite((await dpMse.evaluate(theta, [0, 1, 2])).loss), "the pool survives a non-finite loss");
    } finally {
      await dpMse.close();
    }
    assert.ok(
      blow.divergence !== null && blow.divergence.step >= 1 && blow.losses.every(Number.isFinite),
      JSON.stringify(blow.divergence),
    );
    assert.ok(/not finite/.test(blow.divergence!.reason));
    assert.deepEqual(blow.theta, theta, "θ is the last iterate with a finite loss (θ₀ here)");
    await assert.rejects(
      trainMinibatch(dp1, theta, gradientDescent({ eta: 0.1 }), {
        epochs: 1,
        batch: 151,
        stream: Stream.named(4, "x"),
      }),
      /batch size/,
    );
  } finally {
    await dp1.close();
    await dp2.close();
  }
});
