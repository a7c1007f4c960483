import { test } from "node:test";
import assert from "node:assert/strict";
import { Stream } from "../../lib/random";
import { endpointInterval } from "../../lib/stats";
import { edgeAgree, noneObserved } from "../../lib/verdict";

test("endpoint interval covers the true edge of U(0,1) at its confidence and excludes a wrong edge", () => {
  const s = new Stream(10, 0);
  let cover = 0,
    wrong = 0;
  const reps = 4000;
  for (let r = 0; r < reps; r++) {
    const x = Array.from({ length: 200 }, () => s.uniform());
    const e = endpointInterval(x, { k: 8, confidence: 0.99 });
    if (e.max <= 1 && 1 <= e.upper) cover++;
    if (e.upper >= 1.1) wrong++;
  }
  // coverage 0.99: the count of misses is Binomial(4000, 0.01), mean 40, sd 6.3
  assert.ok(Math.abs(reps - cover - 40) < 4 * 6.3, `misses ${reps - cover}`);
  assert.ok(wrong / reps < 0.01, "an edge 0.1 too far is excluded");
  assert.throws(() => endpointInterval([1, 2, 3], { k: 8 }), /needs k \+ 1 points/);
});

test("edgeAgree passes for the true edge, fails for a wrong one and for one below the sample maximum", () => {
  const s = new Stream(11, 0);
  const x = Array.from({ length: 500 }, () => 2 * s.uniform());
  const interval = endpointInterval(x);
  assert.equal(edgeAgree({ id: "e", kind: "claim", claim: "edge", predicted: 2, interval }).pass, true);
  assert.equal(edgeAgree({ id: "e", kind: "claim", claim: "edge", predicted: 2.2, interval }).pass, false);
  assert.equal(
    edgeAgree({ id: "e", kind: "claim", claim: "edge", predicted: interval.max - 0.01, interval }).pass,
    false,
  );
  assert.equal(
    edgeAgree({ id: "e", kind: "claim", claim: "edge", predicted: interval.max - 0.01, interval, slack: 0.02 }).pass,
    true,
  );
});

test("noneObserved: 0 events pass with the exact bound 1 − α^{1/n}, 1 event fails", () => {
  const v = noneObserved({
    id: "n",
    kind: "claim",
    claim: "none",
    count: 0,
    trials: 1000,
    what: "limits",
    confidence: 0.999,
  });
  assert.equal(v.pass, true);
  assert.match(v.uncertainty, /rate ≤ 0\.0069/);
  assert.equal(
    noneObserved({ id: "n", kind: "claim", claim: "none", count: 1, trials: 1000, what: "limits" }).pass,
    false,
  );
  // default: the run's per-verdict level, bound 1 − (0.01/120)^{1/1000} = 0.0093; not stochastic unless a level is given
  assert.match(
    noneObserved({ id: "n", kind: "claim", claim: "none", count: 0, trials: 1000, what: "limits" }).uncertainty,
    /rate ≤ 0\.0093/,
  );
  assert.equal(v.stochastic, false);
  assert.equal(
    noneObserved({ id: "n", kind: "claim", claim: "none", count: 0, trials: 10, what: "limits", level: 1e-4 })
      .stochastic,
    true,
  );
});

test("endpoint interval with shape γ: covers a density vanishing linearly at the edge (γ = 1) at its confidence; the constant-density interval does not", () => {
  const s = new Stream(12, 0);
  const reps = 4000;
  let cover1 = 0,
    cover0 = 0;
  for (let r = 0; r < reps; r++) {
    // density 2(1 − x) on [0, 1]: x = 1 − √u vanishes linearly at θ = 1
    const x = Array.from({ length: 200 }, () => 1 - Math.sqrt(s.uniform()));
    const e1 = endpointInterval(x, { k: 8, confidence: 0.99, shape: 1 });
    const e0 = endpointInterval(x, { k: 8, confidence: 0.99 });
    if (e1.max <= 1 && 1 <= e1.upper) cover1++;
    if (e0.max <= 1 && 1 <= e0.upper) cover0++;
  }
  // misses with γ = 1: Binomial(4000, 0.01), mean 40, sd 6.3; with γ = 0 far more
  assert.ok(Math.abs(reps - cover1 - 40) < 4 * 6.3, `misses with γ = 1: ${reps - cover1}`);
  assert.ok(
    reps - cover0 > 40 + 8 * 6.3,
    `the constant-density interval should undercover here: ${reps - cover0} misses`,
  );
  // the closed form at γ = 0 is the exponential-spacings interval: q·range = k((1 − c)^{−1/k} − 1)·S̄
  const u = Array.from({ length: 50 }, (_, i) => i / 49);
  const e = endpointInterval(u, { k: 8, confidence: 0.99 });
  assert.ok(Math.abs((e.upper - e.max) / e.meanSpacing - 8 * (Math.pow(0.01, -1 / 8) - 1)) < 1e-9);
  assert.throws(() => endpointInterval(u, { shape: -1 }), /shape/);
});
