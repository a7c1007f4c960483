import { test } from "node:test";
import assert from "node:assert/strict";
import { batchMeansError } from "../../lib/stats";
import { Stream } from "../../lib/random";

test("batchMeansError: the closed form on a small set, the centre option, and the true error of an AR(1) mean (φ = 0.8) within its sampling error", () => {
  const e = batchMeansError([1, 2, 3, 4]);
  assert.equal(e.value, 2.5);
  assert.equal(e.dof, 3);
  assert.ok(Math.abs(e.se - Math.sqrt(5 / 3 / 4)) < 1e-15);
  assert.ok(Math.abs(batchMeansError([1, 2, 3, 4], 2).se - Math.sqrt(6 / 3 / 4)) < 1e-15);
  // AR(1) x_t = φ x_{t−1} + ε_t, Var ε = 1: the mean of n steps has variance ≈ 1/((1 − φ)² n)
  const phi = 0.8,
    n = 32 * 2000,
    s = new Stream(Stream.path(11, "test/batch-means"));
  const ses: number[] = [],
    means: number[] = [];
  for (let r = 0; r < 200; r++) {
    let x = s.normal() / Math.sqrt(1 - phi * phi);
    const blocks = new Float64Array(32);
    for (let t = 0; t < n; t++) {
      x = phi * x + s.normal();
      blocks[Math.floor(t / 2000)] += x / 2000;
    }
    const b = batchMeansError(blocks);
    ses.push(b.se);
    means.push(b.value);
  }
  const truth = 1 / ((1 - phi) * Math.sqrt(n));
  const meanSe = ses.reduce((a, b) => a + b, 0) / ses.length;
  // the batch-means se of 32 blocks scatters by ≈ 1/√(2·31) = 13 % per run, 0.9 % over 200 runs: 5 % is > 5 of those
  assert.ok(Math.abs(meanSe / truth - 1) < 0.05, `mean batch-means se ${meanSe} against ${truth}`);
  // and the run means scatter by the true error (a sample sd of 200 values: ±5 %, so 20 % is 4 of those)
  const m = means.reduce((a, b) => a + b, 0) / means.length;
  const sd = Math.sqrt(means.reduce((a, b) => a + (b - m) ** 2, 0) / (means.length - 1));
  assert.ok(Math.abs(sd / truth - 1) < 0.2, `sd of the run means ${sd} against ${truth}`);
  assert.throws(() => batchMeansError([1]), RangeError);
  assert.throws(() => batchMeansError([1, NaN]), RangeError);
});
