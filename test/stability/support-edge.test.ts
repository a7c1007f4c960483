import { test } from "node:test";
import assert from "node:assert/strict";
import { Factorization } from "../../lib/models";
import { NormalLinearization, gdStability, stabilityEdge, supportEdge } from "../../lib/stability";
import { Stream } from "../../lib/random";

test("stabilityEdge finds GD's edge on the factorisation curve in closed form: cosh 2τ_c = 1/(2ηc m₂), slope 8ηc m₂ sinh 2τ_c", () => {
  const m = new Factorization([0.1, 0.4, 1, 2.5].map(Math.sqrt), 1), eta = 0.2;
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
