import { test } from "node:test";
import assert from "node:assert/strict";
import { Factorization } from "../../lib/models";
import { NormalLinearization, gdStability, stabilityEdge, supportEdge } from "../../lib/stability";
import { Stream } from "../../lib/random";

test("stabilityEdge finds GD's edge on the factorisation curve in closed form: cosh 2τ_c = 1/(2ηc m₂), slope 8ηc m₂ sinh 2τ_c", () => {
  const m = new Factorization([0.1, 0.4, 1, 2.5].map(Math.sqrt), 1),
    eta = 0.2;
  const mu = (t: number) => gdStability(new NormalLinearization(m, m.pointAt(t)), eta).mu;
  const e = stabilityEdge(mu, { range: [0, 2], resolution: 0.01 });
  const tc = 0.5 * Math.acosh(1 / (2 * eta * m.c * m.meanSquare));
  assert.ok(Math.abs(e.edge - tc) < 1e-10, `${e.edge} vs ${tc}`);
  const slope = 8 * eta * m.c * m.meanSquare * Math.sinh(2 * tc);
  assert.ok(Math.abs(e.slope / slope - 1) < 1e-6);
  assert.ok(Math.abs(e.slack - 0.01 / slope) < 1e-8);
  assert.equal(e.next, Infinity);
  assert.throws(() => stabilityEdge(() => -1, { range: [0, 1], resolution: 0 }), /does not change sign/);
});

test("supportEdge: the interval from limits below the edge contains it; limits past the midpoint to the next zero are set apart", () => {
  // exponent with zeros at 1 and 3: limits on [0, 1) with a density vanishing linearly at 1, plus two on the island
  const s = Stream.named(1, "test/support-edge");
  const taus = [...Array.from({ length: 400 }, () => 1 - Math.sqrt(s.uniform())), 3.2, 3.5];
  const r = supportEdge((t) => (t - 1) * (3 - t), { range: [0, 4], resolution: 0, taus: taus });
  assert.ok(Math.abs(r.edge - 1) < 1e-10 && Math.abs(r.next - 3) < 1e-10);
  assert.equal(r.islandLimits, 2);
  assert.ok(r.interval.max < 1 && r.interval.upper >= 1, `[${r.interval.max}, ${r.interval.upper}]`);
});

test('stabilityEdge with unstableStart "empty": an exponent positive at the start predicts an empty support (edge at range[0]); negative at the start, the usual edge', () => {
  const e = stabilityEdge((t) => 1 + t, { range: [0, 2], resolution: 0.01, unstableStart: "empty" });
  assert.deepEqual(e, { edge: 0, next: Infinity, resolution: 0.01, slope: NaN, slack: 0 });
  // positive at the start but with a later zero: "edge" (the default) takes the zero, "empty" does not
  assert.ok(Math.abs(stabilityEdge((t) => 1 - t, { range: [0, 2], resolution: 0 }).edge - 1) < 1e-10);
  assert.equal(stabilityEdge((t) => 1 - t, { range: [0, 2], resolution: 0, unstableStart: "empty" }).edge, 0);
  assert.ok(
    Math.abs(stabilityEdge((t) => t - 1, { range: [0, 2], resolution: 0, unstableStart: "empty" }).edge - 1) < 1e-10,
  );
  assert.throws(
    () => stabilityEdge((t) => t - 1, { range: [0, 2], resolution: 0, unstableStart: "nope" as "edge" }),
    /unstableStart/,
  );
  // supportEdge: every limit then counts, and the interval cannot contain the empty support's edge
  const r = supportEdge(() => 1, {
    range: [0, 2],
    resolution: 0,
    taus: Array.from({ length: 50 }, (_, i) => 0.5 + i / 100),
    unstableStart: "empty",
  });
  assert.equal(r.islandLimits, 0);
  assert.ok(r.interval.max > 0.9 && r.edge === 0);
});
