import { test } from "node:test";
import assert from "node:assert/strict";
import { Stream } from "../../lib/random";
import {
  gptAblationMatrices,
  gptInit,
  GptGradient,
  tokenWindows,
  ablateMatrix,
  gramEigenpairs,
  ablationStudy,
  randomRemovalDelta,
  removalVersusRandom,
} from "../../lib/nn";
import type { BulkSplit } from "../../lib/nn";

const spec = { vocab: 11, block: 8, layers: 2, heads: 4, dModel: 16 };

test("ablationStudy: an empty removal changes nothing; a removal's Δ is the paired loss difference, its share the removed dimensions; a matrix without a split is refused", () => {
  const theta = gptInit(spec, Stream.named(5, "test/ablation-study/init"));
  const st = Stream.named(5, "test/ablation-study/windows");
  const text = Int32Array.from({ length: 400 }, () => st.int(spec.vocab));
  const groups = Array.from({ length: 4 }, () =>
    tokenWindows(
      text,
      Int32Array.from({ length: 3 }, () => st.int(400 - spec.block - 1)),
      spec.block,
    ),
  );
  const g = new GptGradient(spec);
  const heads = gptAblationMatrices(spec).filter((m) => m.kind === "K");
  const splits = new Map<string, BulkSplit>(
    heads.map((m) => {
      const v = gramEigenpairs(theta, m).values,
        cut = v[1];
      return [m.name, { cut, bulk: 2, tail: v.length - 2 }];
    }),
  );
  const res = ablationStudy(theta, {
    conditions: [
      { name: "nothing", matrices: heads, rule: () => ({ mode: "random", count: 0 }) },
      { name: "bulk", matrices: heads, rule: (_, s) => ({ mode: "bulk", cut: s.cut }) },
    ],
    splits,
    groups,
    loss: (t, w) => g.loss(t, w),
    stream: (k) => Stream.named(5, "test/ablation-study/random", k),
  });
  assert.equal(res.base.length, 4);
  assert.equal(res.rows[0].delta, 0);
  assert.equal(res.rows[0].se, 0);
  assert.equal(res.rows[0].removedShare, 0);
  const by = Float64Array.from(theta);
  for (const m of heads) ablateMatrix(by, m, { mode: "bulk", cut: splits.get(m.name)!.cut });
  const want = groups.map((w, i) => g.loss(by, w) - res.base[i]);
  assert.ok(Math.abs(res.rows[1].delta - want.reduce((a, x) => a + x, 0) / want.length) < 1e-12);
  assert.equal(res.rows[1].removedShare, (2 * heads.length) / heads.reduce((a, m) => a + m.n, 0));
  assert.throws(
    () =>
      ablationStudy(theta, {
        conditions: [
          { name: "x", matrices: gptAblationMatrices(spec).slice(0, 1), rule: () => ({ mode: "random", count: 0 }) },
        ],
        splits: new Map(),
        groups,
        loss: (t, w) => g.loss(t, w),
        stream: () => st,
      }),
    /has no split/,
  );
});

test("removalVersusRandom: own Δ minus the random draws' mean; errors from the draws' spread, their window errors and the removal's own, in quadrature", () => {
  const rows = [
    { name: "own", removedShare: 0.5, delta: 1.0, se: 0.03 },
    { name: "r1", removedShare: 0.5, delta: 0.2, se: 0.02 },
    { name: "r2", removedShare: 0.5, delta: 0.4, se: 0.04 },
  ];
  const rand = randomRemovalDelta([rows[1], rows[2]]);
  assert.ok(Math.abs(rand.value - 0.3) < 1e-15);
  // draws' se: sd(0.2, 0.4)/√2 = 0.1; mean window se 0.03: √(0.01 + 0.0009)
  assert.ok(Math.abs(rand.se - Math.sqrt(0.0109)) < 1e-15);
  const c = removalVersusRandom(rows, "own", ["r1", "r2"]);
  assert.ok(Math.abs(c.value - 0.7) < 1e-15);
  assert.ok(Math.abs(c.se - Math.sqrt(0.0109 + 0.0009)) < 1e-15);
  assert.throws(() => removalVersusRandom(rows, "own", ["r1", "r3"]), /no condition "r3"/);
  assert.throws(() => randomRemovalDelta([rows[1]]), RangeError);
});
