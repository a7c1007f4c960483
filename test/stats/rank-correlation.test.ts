import { test } from "node:test";
import assert from "node:assert/strict";
import { rankCorrelation, pairedBootstrap } from "../../lib/stats";
import { Stream } from "../../lib/random";

test("rank correlation: bivariate normal gives (6/π) arcsin(r/2) inside the bootstrap interval; invariant under monotone maps; mid-ranks for ties; seeded", () => {
  const s = Stream.named(1, "test/stats/rank-correlation"),
    n = 400,
    r = 0.6;
  const x = new Float64Array(n),
    y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = s.normal(),
      b = s.normal();
    x[i] = a;
    y[i] = r * a + Math.sqrt(1 - r * r) * b;
  }
  const c = rankCorrelation(x, y, { stream: Stream.named(1, "test/stats/boot"), confidence: 0.999 });
  const exact = (6 / Math.PI) * Math.asin(r / 2);
  assert.ok(c.low < exact && exact < c.high, `${c.low} < ${exact} < ${c.high}`);
  assert.ok(c.high - c.low < 0.3 && c.low > 0.3, "the interval excludes ρ = 0");
  // ranks only: exp(x) and y³ give the same ρ
  const t = rankCorrelation(
    x.map(Math.exp),
    y.map((v) => v ** 3),
    { stream: Stream.named(1, "test/stats/boot"), confidence: 0.999 },
  );
  assert.equal(t.rho, c.rho);
  assert.deepEqual([t.low, t.high], [c.low, c.high]);
  // ties: x = (1, 1, 2, 3) has mid-ranks (0.5, 0.5, 2, 3); with y = (1, 2, 3, 4): ρ = Pearson of the ranks = 0.9487
  const tie = rankCorrelation([1, 1, 2, 3], [1, 2, 3, 4], { stream: new Stream(1, 0), resamples: 200 });
  assert.ok(Math.abs(tie.rho - 3 / Math.sqrt(10)) < 1e-12, `${tie.rho}`);
  assert.throws(() => rankCorrelation([1, 2, 3], [1, 2, 3], { stream: new Stream(1, 0) }), /number of pairs/);
  assert.throws(() => rankCorrelation([1, 1, 1, 1], [1, 2, 3, 4], { stream: new Stream(1, 0) }), /constant/);
  assert.throws(() => rankCorrelation([1, 2, 3, 4], [1, 2, 3], { stream: new Stream(1, 0) }), /has 4 values/);
});

test("pairedBootstrap: errors name the caller; resamples with a constant variable are redrawn, so every statistic is defined", () => {
  assert.throws(
    () => pairedBootstrap("myStat", [1, 2, 3, 4], [1, 2, 3], () => 0, { stream: new Stream(1, 1) }),
    /myStat: x has 4 values and y 3/,
  );
  assert.throws(
    () => pairedBootstrap("myStat", [1, 1, 1, 1], [1, 2, 3, 4], () => 0, { stream: new Stream(1, 1) }),
    /myStat: a constant variable/,
  );
  // x = (0, 0, 0, 1): a resample misses the 1 with probability (3/4)⁴ ≈ 0.32 and must be redrawn
  let calls = 0;
  const b = pairedBootstrap(
    "t",
    [0, 0, 0, 1],
    [0, 1, 2, 3],
    (x) => {
      calls++;
      assert.ok(
        x.some((v) => v !== x[0]),
        "a constant resample reached the statistic",
      );
      return x.reduce((a, v) => a + v, 0);
    },
    { stream: new Stream(2, 3), resamples: 200 },
  );
  assert.equal(calls, 201); // 200 resamples and the sample itself
  assert.equal(b.estimate, 1);
  assert.ok(b.low >= 1 && b.high <= 4);
});
