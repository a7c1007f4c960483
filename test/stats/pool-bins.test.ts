import { test } from "node:test";
import assert from "node:assert/strict";
import { poolBins, binomialPmf } from "../../lib/stats";

test("poolBins: pools the tails of Binomial(7, ½) × 600 so every bin expects ≥ 5, keeping the totals", () => {
  const expected = Array.from({ length: 8 }, (_, k) => 600 * binomialPmf(k, 7, 0.5));
  const observed = [3, 30, 100, 170, 160, 100, 33, 4];
  const bins = poolBins(observed, expected);
  // 600/128 = 4.7 < 5 at both ends: 0–1 and 6–7 are pooled
  assert.deepEqual(
    bins.map((b) => [b.from, b.to]),
    [
      [0, 1],
      [2, 2],
      [3, 3],
      [4, 4],
      [5, 5],
      [6, 7],
    ],
  );
  assert.ok(bins.every((b) => b.expected >= 5));
  assert.equal(
    bins.reduce((a, b) => a + b.observed, 0),
    600,
  );
  assert.ok(Math.abs(bins.reduce((a, b) => a + b.expected, 0) - 600) < 1e-9);
  // a short last bin joins its neighbour
  assert.deepEqual(
    poolBins([10, 10, 1], [10, 10, 1]).map((b) => [b.from, b.to]),
    [
      [0, 0],
      [1, 2],
    ],
  );
  assert.throws(() => poolBins([1], [1, 2]), /same length/);
  assert.throws(() => poolBins([1], [1], 0), /minExpected/);
});
