import { test } from "node:test";
import assert from "node:assert/strict";
import { Stream } from "../../lib/random";
import { powerLawTail, compareTail, weightWatcherAlpha } from "../../lib/rmt";
import { ksOneSample } from "../../lib/stats";

const pareto = (st: Stream, n: number, alpha: number, xMin = 1) =>
  Array.from({ length: n }, () => xMin * Math.pow(1 - st.uniform(), -1 / (alpha - 1)));
const lognormal = (st: Stream, n: number, mu: number, sigma: number) =>
  Array.from({ length: n }, () => Math.exp(mu + sigma * st.normal()));
const exponential = (st: Stream, n: number, lambda: number, x0: number) =>
  Array.from({ length: n }, () => x0 - Math.log(1 - st.uniform()) / lambda);
/** x^{−α}e^{−λx} on [xMin, ∞) by rejection from the Pareto law: accept with e^{−λ(x − xMin)}. */
const truncated = (st: Stream, n: number, alpha: number, lambda: number, xMin = 1) => {
  const out: number[] = [];
  while (out.length < n) {
    const x = xMin * Math.pow(1 - st.uniform(), -1 / (alpha - 1));
    if (st.uniform() < Math.exp(-lambda * (x - xMin))) out.push(x);
  }
  return out;
};

test("powerLawTail: recovers α of a Pareto tail above a uniform body, with a goodness-of-fit p that does not reject it", () => {
  const st = new Stream("test/tail", 0);
  const alpha = 2.5,
    xMin = 1;
  const x = [...pareto(st, 400, alpha, xMin), ...Array.from({ length: 100 }, () => 0.5 * st.uniform())];
  const t = powerLawTail(x, new Stream("test/tail", 1), { reps: 100 });
  assert.ok(Math.abs(t.alpha - alpha) < 4 * t.se, `α = ${t.alpha} ± ${t.se}`);
  assert.ok(Math.abs(t.xMin - xMin) < 0.3, `x_min = ${t.xMin}`);
  assert.ok(t.pValue > 0.01, `p = ${t.pValue}`);
  // an exponential tail is not a power law
  const e = exponential(st, 2000, 1, 1);
  assert.ok(powerLawTail(e, new Stream("test/tail", 2), { reps: 100, minTail: 200 }).pValue < 0.05);
  assert.throws(() => powerLawTail([1, 2], new Stream("test/tail", 3)), /at least 11 needed/);
  assert.throws(() => powerLawTail(Array(20).fill(1), new Stream("test/tail", 3)), /equal: no tail/);
});

test("powerLawTail: the goodness-of-fit p-value is uniform under the null (Pareto samples)", () => {
  const st = new Stream("test/tail-null", 0);
  const p: number[] = [];
  for (let k = 0; k < 100; k++)
    p.push(powerLawTail(pareto(st, 60, 2.2), new Stream("test/tail-null/boot", k), { reps: 50, minTail: 10 }).pValue);
  // p takes values on a grid of 1/50; a KS test against U(0, 1) at level 1e-3 still resolves a tilt of ~0.2
  const ks = ksOneSample(p, (x) => Math.min(1, Math.max(0, x)));
  assert.ok(ks.pValue > 1e-3, `KS of the p-values against U(0,1): D = ${ks.statistic}, p = ${ks.pValue}`);
  const mean = p.reduce((a, b) => a + b, 0) / p.length;
  assert.ok(Math.abs(mean - 0.5) < 4 * Math.sqrt(1 / 12 / p.length), `mean p = ${mean}`);
});

test("compareTail: a Pareto sample is classified a power law (over the exponential), its cut-off is not significant", () => {
  const x = pareto(new Stream("test/compare", 0), 800, 2.5);
  const fit = powerLawTail(x, new Stream("test/compare", 1), { reps: 0 });
  const c = compareTail(x, fit);
  const by = Object.fromEntries(c.comparisons.map((r) => [r.alternative, r]));
  assert.equal(by.exponential.favours, "power law", JSON.stringify(by.exponential));
  assert.notEqual(by.lognormal.favours, "lognormal", JSON.stringify(by.lognormal));
  assert.equal(by["truncated power law"].favours, "neither", JSON.stringify(by["truncated power law"]));
  assert.ok(by["truncated power law"].logRatio <= 0, "the nested law's likelihood is at least the power law's");
});

test("compareTail: lognormal and exponential samples are classified as such, a power law with a cut-off as truncated", () => {
  const st = new Stream("test/compare", 2);
  // CSN's own x_min sits far out, where the two laws look alike (their §5.1); over the upper 70 % the curvature shows
  const ln = lognormal(st, 3000, 0, 0.6);
  const lnMin = [...ln].sort((a, b) => a - b)[Math.floor(0.3 * ln.length)],
    lnTail = ln.filter((v) => v >= lnMin);
  const lnAlpha = 1 + lnTail.length / lnTail.reduce((a, v) => a + Math.log(v / lnMin), 0);
  const lnBy = Object.fromEntries(
    compareTail(ln, { xMin: lnMin, alpha: lnAlpha }).comparisons.map((r) => [r.alternative, r]),
  );
  assert.equal(lnBy.lognormal.favours, "lognormal", JSON.stringify(lnBy.lognormal));
  assert.ok(
    Math.abs(lnBy.lognormal.parameters.sigma - 0.6) < 0.1 && Math.abs(lnBy.lognormal.parameters.mu) < 0.1,
    JSON.stringify(lnBy.lognormal.parameters),
  );
  assert.ok(
    powerLawTail(ln, new Stream("test/compare", 3), { reps: 50, minTail: 1500 }).pValue < 0.05,
    "the goodness of fit rejects a power law over the upper half",
  );
  const ex = exponential(st, 1000, 2, 1);
  const exBy = Object.fromEntries(
    compareTail(ex, { xMin: 1, alpha: 1 + ex.length / ex.reduce((a, v) => a + Math.log(v), 0) }).comparisons.map(
      (r) => [r.alternative, r],
    ),
  );
  assert.equal(exBy.exponential.favours, "exponential", JSON.stringify(exBy.exponential));
  assert.ok(Math.abs(exBy.exponential.parameters.lambda - 2) < 0.3, `λ = ${exBy.exponential.parameters.lambda}`);
  const tp = truncated(st, 2000, 1.8, 0.05);
  const tpBy = Object.fromEntries(compareTail(tp, { xMin: 1, alpha: 1.8 }).comparisons.map((r) => [r.alternative, r]));
  const t = tpBy["truncated power law"];
  assert.equal(t.favours, "truncated power law", JSON.stringify(t));
  assert.ok(
    Math.abs(t.parameters.lambda - 0.05) < 0.025 && Math.abs(t.parameters.alpha - 1.8) < 0.2,
    JSON.stringify(t.parameters),
  );
  assert.throws(() => compareTail([1, 2], { xMin: 1, alpha: 2 }), /at least 3 needed/);
});

test("weightWatcherAlpha: the powerlaw package's estimator (tails down to two points) recovers a Pareto exponent", () => {
  const x = pareto(new Stream("test/ww", 0), 2000, 3);
  const w = weightWatcherAlpha(x);
  assert.ok(Math.abs(w.alpha - 3) < (4 * (w.alpha - 1)) / Math.sqrt(w.tail), JSON.stringify(w));
  assert.ok(w.tail >= 2);
});
