import { test } from "node:test";
import assert from "node:assert/strict";
import { Stream } from "../../lib/random";
import {
  DrivenTokens,
  RqfFlow,
  tokenStarts,
  largestPoleDistance,
  collapseStatistics,
  tokenCollapseRun,
  tokenSnapshotRun,
  quadraticForm,
  clusterSizeBins,
  requireDrive,
  rqfStepConstants,
  symmetricEigenpairs,
  uniformOnSphere,
} from "../../lib/rqf";
import { binomialPmf, chiSquareSurvival, meanWithError } from "../../lib/stats";

test("DrivenTokens, common drive: exactly RqfFlow.step on one stream; odd in the tokens", () => {
  const n = 3,
    m = 4,
    s1 = new Stream("test/collapse/common", 0),
    s2 = new Stream("test/collapse/common", 0);
  const x = uniformOnSphere(new Stream("test/collapse/starts", 0), n, m),
    y = Float64Array.from(x);
  const tokens = new DrivenTokens({ n, m, dt: 0.02, drive: "common", stream: s1 }),
    flow = new RqfFlow(n, m, 0.02);
  for (let k = 0; k < 50; k++) {
    tokens.advance(x);
    flow.step(s2, y);
  }
  assert.deepEqual(x, y);
  // oddness needs the same noise for x and −x: the common and the fixed drives (the independent one is
  // odd token by token, which the next test covers through its one-token flows)
  for (const drive of ["common", "fixed"] as const) {
    const form = drive === "fixed" ? quadraticForm(new Stream("test/collapse/form", 0), n) : undefined;
    const a = uniformOnSphere(new Stream("test/collapse/odd", 0), n, 2);
    const b = Float64Array.from(a, (v, i) => (i < n ? v : -a[i - n])); // token 1 = −token 0
    const t = new DrivenTokens({ n, m: 2, dt: 0.05, drive, form, stream: new Stream("test/collapse/odd", 1) });
    for (let k = 0; k < 20; k++) t.advance(b);
    for (let i = 0; i < n; i++) assert.equal(b[i], -b[n + i], `${drive}: the antipode stays the antipode`);
  }
});

test("DrivenTokens, independent drive: each token is a one-token RQF on its own stream, and tokens do not synchronise", () => {
  const n = 3,
    m = 3;
  const x = uniformOnSphere(new Stream("test/collapse/indep", 0), n, m);
  const alone = Array.from({ length: m }, (_, p) => Float64Array.from(x.subarray(p * n, (p + 1) * n)));
  const root = new Stream("test/collapse/indep", 1);
  const tokens = new DrivenTokens({ n, m, dt: 0.02, drive: "independent", stream: root });
  const flow = new RqfFlow(n, 1, 0.02),
    streams = alone.map((_, p) => root.child("token", p));
  for (let k = 0; k < 200; k++) {
    tokens.advance(x);
    alone.forEach((a, p) => flow.step(streams[p], a));
  }
  alone.forEach((a, p) => assert.deepEqual(Float64Array.from(x.subarray(p * n, (p + 1) * n)), a));
  // after t = 40 the common drive has collapsed the tokens, the independent one has not
  const run = (drive: "common" | "independent") => {
    const y = uniformOnSphere(new Stream("test/collapse/indep", 2), n, 6);
    const t = new DrivenTokens({ n, m: 6, dt: 0.02, drive, stream: new Stream("test/collapse/indep", 3) });
    for (let k = 0; k < 2000; k++) t.advance(y);
    return largestPoleDistance(y, n, 6);
  };
  assert.ok(run("common") < 1e-8, `common: ${run("common")}`);
  assert.ok(run("independent") > 0.1, `independent: ${run("independent")}`);
});

test("DrivenTokens, fixed drive: the deterministic quadratic form's flow ends at ±v_max", () => {
  const n = 3;
  const form = quadraticForm(new Stream("test/collapse/form", 1), n);
  const v = symmetricEigenpairs(form, n).vectors;
  const x = uniformOnSphere(new Stream("test/collapse/form", 2), n, 5);
  const t = new DrivenTokens({ n, m: 5, dt: 0.02, drive: "fixed", form, stream: new Stream("unused", 0) });
  for (let k = 0; k < 5000; k++) t.advance(x);
  for (let p = 0; p < 5; p++) {
    const c = x[p * n] * v[0] + x[p * n + 1] * v[n] + x[p * n + 2] * v[2 * n];
    assert.ok(1 - Math.abs(c) < 1e-9, `token ${p}: |⟨x, v_max⟩| = ${Math.abs(c)}`);
  }
});

test("requireDrive and DrivenTokens refuse bad drives and forms", () => {
  assert.throws(() => requireDrive("other" as never, undefined, 3), /drive must be/);
  assert.throws(() => requireDrive("fixed", undefined, 3), /needs form/);
  assert.throws(() => requireDrive("fixed", [1, 0, 0, 1], 3), /n² = 9/);
  assert.throws(() => requireDrive("fixed", [1, 2, 0, 0, 1, 0, 0, 0, 1], 3), /symmetric/);
  assert.throws(() => requireDrive("common", [1, 0, 0, 1], 2), /takes none/);
  assert.throws(() => new DrivenTokens({ n: 1, m: 2, dt: 0.1, drive: "common", stream: new Stream(1) }), /n/);
  assert.throws(() => new DrivenTokens({ n: 3, m: 2, dt: 0, drive: "common", stream: new Stream(1) }), /dt/);
});

test("tokenStarts: uniform, or a cluster around e₁ of the given width", () => {
  const near = tokenStarts(new Stream("test/collapse/starts", 1), 3, 200, 0.05);
  let mean = 0;
  for (let p = 0; p < 200; p++) {
    assert.ok(Math.abs(Math.hypot(near[3 * p], near[3 * p + 1], near[3 * p + 2]) - 1) < 1e-15);
    mean += near[3 * p] / 200;
  }
  assert.ok(mean > 0.99, `mean first coordinate ${mean}`);
  assert.deepEqual(tokenStarts(new Stream("s", 0), 3, 4), uniformOnSphere(new Stream("s", 0), 3, 4));
  assert.throws(() => tokenStarts(new Stream("s", 0), 3, 4, 0), /width/);
});

test("tokenSnapshotRun: token 0 at the requested times; the unpaired common drive is the former clusterRun's draws", () => {
  const o = {
    n: 3,
    m: 2,
    dt: 0.02,
    drive: "common" as const,
    startWidth: 0.05,
    times: [0.5, 1],
    seed: "test/collapse/snap",
    index: 3,
  };
  const r = tokenSnapshotRun(o);
  const s = new Stream(o.seed, o.index),
    x = tokenStarts(s, 3, 2, 0.05),
    f = new RqfFlow(3, 2, 0.02);
  assert.deepEqual(r.start, Array.from(x.subarray(0, 3)));
  for (let k = 0; k < 25; k++) f.step(s, x);
  assert.deepEqual(r.positions[0], Array.from(x.subarray(0, 3)));
  for (let k = 0; k < 25; k++) f.step(s, x);
  assert.deepEqual(r.positions[1], Array.from(x.subarray(0, 3)));
  assert.throws(() => tokenSnapshotRun({ ...o, times: [1, 0.5] }), /increase/);
});

test("collapseStatistics: the common noise collapses the tokens (rate ≈ the scheme's λ₁), independent noise does not (τ capped, rate ≈ 0)", () => {
  const base = { n: 3, m: 4, dt: 0.05, window: 4, maxTime: 40, seed: "test/collapse/rate" };
  const lambda = rqfStepConstants(3, 0.05).lyapunov;
  const rates: number[] = [],
    clusters: number[] = [];
  for (let i = 0; i < 400; i++) {
    const c = tokenCollapseRun({ ...base, drive: "common", index: i });
    assert.ok(c.collapsed && c.tau < 40 && c.spreadAtStart > 1e-3);
    rates.push(c.rate);
    clusters.push(c.cluster);
  }
  const e = meanWithError(rates);
  // the stopping-time estimator's mean is the scheme's exponent exactly (isotropy), up to O(δ)
  assert.ok(Math.abs(e.value - lambda) < 4 * e.se, `${e.value} ± ${e.se} vs λ(0.05) = ${lambda}`);
  // the cluster of token 0 at τ: 1 + Binomial(3, ½)
  const bins = clusterSizeBins(clusters, 4);
  assert.ok(
    chiSquareSurvival(
      bins.residuals.reduce((a, r) => a + r * r, 0),
      bins.residuals.length - 1,
    ) > 1e-4,
  );
  const indep = tokenCollapseRun({ ...base, drive: "independent", index: 0 });
  assert.equal(indep.collapsed, false);
  assert.equal(indep.tau, 40);
  assert.equal(indep.cluster, 1);
  assert.ok(Math.abs(indep.rate) < 0.5, `independent tokens: rate ${indep.rate}`);
  assert.throws(
    () => collapseStatistics(new Float64Array(3), 3, 1, () => {}, 0.1, { window: 1, maxTime: 1 }),
    /m \(tokens\)/,
  );
  assert.throws(
    () => collapseStatistics(new Float64Array(6), 3, 2, () => {}, 0.1, { window: 1, maxTime: 1, threshold: 2 }),
    /threshold/,
  );
});

test("clusterSizeBins: counts per K against 1 + Binomial(m − 1, ½), pooled; synchronisation in the same units", () => {
  const clusters = [...Array(30).fill(2), ...Array(50).fill(3), ...Array(20).fill(4)];
  const r = clusterSizeBins(clusters, 4);
  const total = r.bins.reduce((a, b) => a + b.observed, 0),
    expTotal = r.bins.reduce((a, b) => a + b.expected, 0);
  assert.equal(total, 100);
  assert.ok(Math.abs(expTotal - 100) < 1e-9);
  assert.ok(r.bins.every((b) => b.expected >= 5));
  assert.deepEqual(
    r.bins.map((b) => b.label),
    ["1", "2", "3", "4"],
  ); // each K expects ≥ 12.5 of 100
  assert.deepEqual(
    clusterSizeBins(Array(20).fill(4), 4).bins.map((b) => b.label),
    ["1–2", "3–4"],
  ); // 2.5, 7.5, 7.5, 2.5 pooled
  r.bins.forEach((b, i) =>
    assert.ok(Math.abs(r.residuals[i] - (b.observed - b.expected) / Math.sqrt(b.expected)) < 1e-15),
  );
  const last = r.bins[r.bins.length - 1];
  assert.ok(
    Math.abs(r.synchronisedResiduals[r.bins.length - 1] - (last.observed - 100) / Math.sqrt(last.expected)) < 1e-12,
  );
  assert.ok(Math.abs(100 * binomialPmf(0, 3, 0.5) - 12.5) < 1e-12);
  assert.throws(() => clusterSizeBins([0, 1], 4), /1…4/);
  assert.throws(() => clusterSizeBins([], 4), /at least one/);
});

test("quadraticForm: the RQF increment's law over unit time (Var A_ii = 1, Var A_ij = ½)", () => {
  const s = new Stream("test/collapse/form-law", 0);
  let d = 0,
    o = 0;
  const N = 20000;
  for (let k = 0; k < N; k++) {
    const a = quadraticForm(s, 3);
    d += a[0] ** 2;
    o += a[1] ** 2;
    assert.equal(a[1], a[3]);
  }
  assert.ok(
    Math.abs(d / N - 1) < 4 * Math.sqrt(2 / N) && Math.abs(o / N - 0.5) < 4 * 0.5 * Math.sqrt(2 / N),
    `${d / N}, ${o / N}`,
  );
});
