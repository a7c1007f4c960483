import { test } from "node:test";
import assert from "node:assert/strict";
import { wilsonInterval, proportionEstimate, binomialPmf } from "../../lib/stats";
import { Stream } from "../../lib/random";

test("wilsonInterval: closed forms (k = 0: [0, z²/(n + z²)]; 5/10: the textbook [0.2366, 0.7634]) and coverage near 95 % for Binomial(40, 0.3)", () => {
  const z = 1.959963984540054;
  const zero = wilsonInterval(0, 10);
  assert.equal(zero.lo, 0);
  assert.ok(Math.abs(zero.hi - (z * z) / (10 + z * z)) < 1e-12);
  const half = wilsonInterval(5, 10);
  assert.ok(Math.abs(half.lo - 0.2366) < 5e-5 && Math.abs(half.hi - 0.7634) < 5e-5);
  // exact coverage by summing the pmf over the k whose interval holds p
  let coverage = 0;
  for (let k = 0; k <= 40; k++) {
    const w = wilsonInterval(k, 40);
    if (w.lo <= 0.3 && 0.3 <= w.hi) coverage += binomialPmf(k, 40, 0.3);
  }
  assert.ok(coverage > 0.93 && coverage < 0.97, `coverage ${coverage}`);
});

test("proportionEstimate: k/n with the plug-in se √(p(1 − p)/n) and the Wilson interval; its se matches the spread of simulated proportions", () => {
  const e = proportionEstimate(30, 120);
  assert.equal(e.value, 0.25);
  assert.equal(e.se, Math.sqrt((0.25 * 0.75) / 120));
  const w = wilsonInterval(30, 120);
  assert.deepEqual([e.lo, e.hi], [w.lo, w.hi]);
  const s = new Stream(Stream.path(7, "test/binomial"));
  const ps: number[] = [];
  for (let r = 0; r < 4000; r++) {
    let k = 0;
    for (let i = 0; i < 120; i++) if (s.uniform() < 0.25) k++;
    ps.push(k / 120);
  }
  const m = ps.reduce((a, b) => a + b, 0) / ps.length;
  const sd = Math.sqrt(ps.reduce((a, b) => a + (b - m) ** 2, 0) / (ps.length - 1));
  // the sample sd of 4000 proportions has relative error ≈ 1/√(2·3999) ≈ 1.1 %: 5 % is > 4 of those
  assert.ok(Math.abs(sd / e.se - 1) < 0.05, `sd ${sd} against se ${e.se}`);
  assert.throws(() => proportionEstimate(3, 2), RangeError);
  assert.throws(() => proportionEstimate(1, 0), RangeError);
});
