import { test } from "node:test";
import assert from "node:assert/strict";
import { Stream } from "../../lib/random";
import {
  attentionField,
  attentionSplittingProbability,
  tokenDynamicsRun,
  tokenDecayRun,
  countClusters,
  applyLayer,
  layerScratch,
  layerRun,
  layerDecayRun,
  layerPairs,
  layerCollapseRun,
  clusteredFraction,
  pullbackForwardRun,
  consecutiveImages,
  twoPointEndRun,
  quadraticForm,
  pairWithInnerProduct,
  uniformOnSphere,
  simulateZ,
  splittingProbability,
} from "../../lib/rqf";
import { regularizedBeta } from "../../lib/stats";

test("attentionSplittingProbability: as β → 0 it is the regularised incomplete beta I_{(1+z)/2}(½ − 1/2σ², ½ + 1/2σ²)", () => {
  for (const s2 of [2, 4])
    for (const z of [-0.7, 0, 0.3, 0.8]) {
      const p = attentionSplittingProbability(z, 1e-9, Math.sqrt(s2));
      const exact = regularizedBeta((1 + z) / 2, 0.5 - 1 / (2 * s2), 0.5 + 1 / (2 * s2));
      assert.ok(Math.abs(p - exact) < 1e-7, `σ² = ${s2}, z = ${z}: ${p} vs ${exact}`);
    }
  // strong noise: attention is negligible and the RQF's splitting probability ½ + arcsin(z)/π returns
  assert.ok(Math.abs(attentionSplittingProbability(0.4, 1, 100) - splittingProbability(0.4)) < 1e-3);
});

test("attentionSplittingProbability: every pair synchronises at or below σ² = 2/(1 + e^{2β}); above, P rises with z0", () => {
  const thr = 2 / (1 + Math.exp(2));
  assert.equal(attentionSplittingProbability(0, 1, Math.sqrt(0.99 * thr)), 1);
  const above = [-0.5, 0, 0.5].map((z) => attentionSplittingProbability(z, 1, 1));
  assert.ok(above[0] < above[1] && above[1] < above[2] && above[2] < 1, above.join(", "));
  assert.throws(() => attentionSplittingProbability(0, 0, 1), /beta/);
  assert.throws(() => attentionSplittingProbability(0, -1, 1), /beta/);
  assert.throws(() => attentionSplittingProbability(0, 1, 0), /sigma/);
  assert.throws(() => attentionSplittingProbability(1.5, 1, 1), /z0/);
});

test("attentionField: for two tokens it is w(z)(x₂ − z x₁), w(z) = 1/(1 + e^{β(1−z)}), tangent to the sphere", () => {
  const n = 3,
    beta = 2.5,
    z = 0.3;
  const x = pairWithInnerProduct(n, z);
  const out = new Float64Array(2 * n);
  attentionField(x, n, 2, beta, out);
  const w = 1 / (1 + Math.exp(beta * (1 - z)));
  for (let k = 0; k < n; k++) assert.ok(Math.abs(out[k] - w * (x[n + k] - z * x[k])) < 1e-15);
  const many = uniformOnSphere(new Stream("test/att", 0), n, 6),
    o6 = new Float64Array(6 * n);
  attentionField(many, n, 6, beta, o6);
  for (let p = 0; p < 6; p++)
    assert.ok(
      Math.abs(o6[p * n] * many[p * n] + o6[p * n + 1] * many[p * n + 1] + o6[p * n + 2] * many[p * n + 2]) < 1e-15,
    );
});

test("tokenDynamicsRun: noiseless attention on a pair follows ż = 2w(z)(1 − z²) at second order (Heun)", () => {
  const beta = 1.5,
    z0 = -0.2,
    T = 2;
  // the scalar ODE by RK4 with a tiny step, an independent reference
  const f = (z: number) => (2 * (1 - z * z)) / (1 + Math.exp(beta * (1 - z)));
  let z = z0;
  const h = 1e-4;
  for (let k = 0; k < T / h; k++) {
    const k1 = f(z),
      k2 = f(z + 0.5 * h * k1),
      k3 = f(z + 0.5 * h * k2),
      k4 = f(z + h * k3);
    z += (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
  }
  const err = (dt: number) =>
    Math.abs(tokenDynamicsRun({ n: 3, m: 2, dt, T: T, beta, z0, seed: "test/att", index: 0 }).z - z);
  const e1 = err(0.02),
    e2 = err(0.01);
  assert.ok(e2 < 1e-4, `error ${e2}`);
  assert.ok(e1 / e2 > 3.5 && e1 / e2 < 4.5, `order 2: ratio ${e1 / e2}`);
});

test("tokenDynamicsRun: seeded, validated; one cluster for weak attention; countClusters counts components", () => {
  const o = { n: 3, m: 6, dt: 0.02, T: 3, beta: 1, sigma: 0.5, bias: 0.2, seed: "test/att", index: 3 };
  assert.deepEqual(tokenDynamicsRun(o), tokenDynamicsRun(o));
  assert.notDeepEqual(tokenDynamicsRun(o), tokenDynamicsRun({ ...o, index: 4 }));
  const r = tokenDynamicsRun({ n: 3, m: 8, dt: 0.05, T: 40, beta: 1, seed: "test/att", index: 5 });
  assert.equal(r.clusters, 1);
  assert.equal(r.withFirst, 8);
  assert.ok(r.clusterTime < 40);
  const pts = Float64Array.from([1, 0, 0, 1, 1e-3, 0, -1, 0, 0, 0, 1, 0]);
  assert.equal(countClusters(pts, 3, 4, 1e-2), 3);
  assert.throws(() => tokenDynamicsRun({ ...o, m: 1 }), /m \(tokens\)/);
  assert.throws(() => tokenDynamicsRun({ ...o, beta: 0 }), /beta/);
  assert.throws(() => tokenDynamicsRun({ ...o, sigma: -1 }), /sigma/);
  assert.throws(() => tokenDynamicsRun({ ...o, z0: 0.2 }), /m must be 2/);
  assert.throws(
    () => tokenDecayRun({ n: 3, dt: 0.01, beta: -2, z0: 0, maxTime: 5, window: 1, seed: 1, index: 0 }),
    /beta/,
  );
});

test("applyLayer: odd in the tokens; the layers' mean step is the RQF's Itô drift −(n−1)/4·x (symmetric) and −(n−1)/2·x (non-symmetric)", () => {
  const n = 4,
    h = 0.01;
  const x = uniformOnSphere(new Stream("test/layers", 0), n, 1);
  for (const variant of ["symmetric", "nonsymmetric", "tanh"] as const) {
    const a = Float64Array.from([...x, ...x.map((v) => -v)]);
    applyLayer(new Stream("test/layers", 1), a, n, 2, h, variant, layerScratch(n));
    for (let i = 0; i < n; i++) assert.equal(a[i], -a[n + i]);
  }
  for (const [variant, drift] of [
    ["symmetric", -(n - 1) / 4],
    ["nonsymmetric", -(n - 1) / 2],
  ] as const) {
    const s = new Stream("test/layers/" + variant, 0),
      sc = layerScratch(n),
      y = new Float64Array(n);
    const N = 200000;
    let acc = 0,
      acc2 = 0;
    for (let k = 0; k < N; k++) {
      y.set(x);
      applyLayer(s, y, n, 1, h, variant, sc);
      let d = 0;
      for (let i = 0; i < n; i++) d += (y[i] - x[i]) * x[i];
      acc += d;
      acc2 += d * d;
    }
    const mean = acc / N / h,
      se = Math.sqrt((acc2 / N - (acc / N) ** 2) / N) / h;
    // ⟨E Δx, x⟩/h = drift + O(h); the O(h) term is below 0.05 at h = 0.01
    assert.ok(Math.abs(mean - drift) < 5 * se + 0.05, `${variant}: ${mean} ± ${se} vs ${drift}`);
  }
});

test("layerRun / layerDecayRun: seeded, validated, and the non-symmetric layers contract pairs at λ₁ ≈ −1", () => {
  const o = { n: 3, m: 4, dt: 0.05, T: 2, variant: "tanh" as const, seed: "test/layers", index: 2 };
  assert.deepEqual(layerRun(o), layerRun(o));
  // a batch is the same runs, whatever the batching
  const batch = layerPairs({
    n: 3,
    dt: 0.05,
    T: 1,
    variant: "symmetric",
    z0: 0.1,
    seed: "test/layers",
    first: 3,
    count: 4,
  });
  assert.deepEqual(
    batch,
    [3, 4, 5, 6].map(
      (i) => layerRun({ n: 3, m: 2, dt: 0.05, T: 1, variant: "symmetric", z0: 0.1, seed: "test/layers", index: i }).z,
    ),
  );
  assert.throws(() => layerRun({ ...o, m: 1 }), /m \(tokens\)/);
  assert.throws(() => layerRun({ ...o, dt: 0 }), /dt \(layer step\)/);
  assert.throws(() => layerRun({ ...o, dt: -0.1 }), /dt \(layer step\)/);
  assert.throws(() => layerRun({ ...o, variant: "relu" as never }), /variant/);
  const rates: number[] = [];
  for (let i = 0; i < 100; i++)
    rates.push(
      layerDecayRun({
        n: 3,
        dt: 0.025,
        variant: "nonsymmetric",
        z0: 0,
        maxTime: 40,
        window: 8,
        seed: "test/layers/decay",
        index: i,
      }).rate,
    );
  const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
  const se = Math.sqrt(rates.reduce((a, b) => a + (b - mean) ** 2, 0) / (rates.length - 1) / rates.length);
  // the wrong alternative −2 (a unit-variance symmetric part) is ~20 standard errors away
  assert.ok(Math.abs(mean + 1) < 4 * se + 0.05, `${mean} ± ${se}`);
});

test("pullbackForwardRun: extending the horizon reuses the past's noise; the coarse and fine schemes share one Brownian path", () => {
  const o = { n: 3, m: 3, dt: 0.02, T: 4, fine: false, seed: "test/pullback", index: 0 };
  const short = pullbackForwardRun(o),
    long = pullbackForwardRun({ ...o, T: 7 });
  for (let t = 0; t < 4; t++) {
    assert.deepEqual(short.pullback[t], long.pullback[t]);
    assert.deepEqual(short.forward[t], long.forward[t]);
  }
  // the same Brownian path: Heun converges strongly at order ½ here (non-commuting noise), so the
  // coarse and fine images differ by a few 1e-2; independent paths differ by O(1)
  const gap = (a: number[], b: number[]) => Math.hypot(...a.map((v, i) => v - b[i]));
  const same: number[] = [],
    indep: number[] = [];
  for (let i = 0; i < 31; i++) {
    const one = { ...o, m: 1, T: 2, index: i };
    const c = pullbackForwardRun(one).forward[0];
    same.push(gap(c, pullbackForwardRun({ ...one, fine: true }).forward[0]));
    indep.push(gap(c, pullbackForwardRun({ ...one, fine: true, index: i + 100 }).forward[0]));
  }
  const median = (a: number[]) => a.sort((x, y) => x - y)[15];
  assert.ok(median(same) < 0.1 && median(indep) > 0.5, `same path ${median(same)}, independent ${median(indep)}`);
  // pullback images settle: the step between consecutive images shrinks by orders of magnitude
  const c = consecutiveImages(long.pullback, 3, 3);
  assert.ok(Math.max(...c.distance[5]) < 0.05 * Math.max(...c.distance[0]) || Math.max(...c.distance[0]) < 1e-3);
  assert.throws(() => pullbackForwardRun({ ...o, dt: 0.03 }), /divide 1/);
  assert.throws(() => pullbackForwardRun({ ...o, T: 1 }), /T \(last integer time\)/);
});

test("consecutiveImages: distances modulo the antipode and inner products of consecutive images", () => {
  const imgs = [
    [1, 0, 0, 0, 1, 0],
    [0, 1, 0, 0, -1, 0],
  ];
  const c = consecutiveImages(imgs, 3, 2);
  assert.ok(Math.abs(c.distance[0][0] - Math.SQRT2) < 1e-15);
  assert.equal(c.distance[0][1], 0);
  assert.deepEqual(c.inner[0], [0, -1]);
});

test("twoPointEndRun and simulateZ (artanh): pairs split with P(Z → 1) = ½ + arcsin(z₀)/π", () => {
  const N = 3000,
    z0 = 0.5,
    p = splittingProbability(z0);
  let up = 0,
    upZ = 0;
  const s = new Stream("test/z/artanh", 0);
  for (let i = 0; i < N; i++) {
    if (twoPointEndRun({ n: 3, z0, dt: 0.05, T: 12, seed: "test/twopoint", index: i }).z > 0) up++;
    if (simulateZ({ z0: z0, times: [12], dt: 0.01, stream: s, variable: "artanh" })[0] > 0) upZ++;
  }
  const se = Math.sqrt((p * (1 - p)) / N);
  assert.ok(Math.abs(up / N - p) < 4 * se, `flow ${up / N} vs ${p}`);
  assert.ok(Math.abs(upZ / N - p) < 4 * se, `artanh ${upZ / N} vs ${p}`);
  assert.throws(() => simulateZ({ z0: 1, times: [1], dt: 0.01, stream: s, variable: "artanh" }), /\|z0\| < 1/);
});

test("layers: GOE layers at h are the symmetric layers at 2h (the same draws); independent noise gives each token its own layers", () => {
  const goe = layerRun({ n: 3, m: 3, dt: 0.05, T: 1, variant: "goe", seed: "test/layers/goe", index: 0 });
  const sym = layerRun({ n: 3, m: 3, dt: 0.1, T: 2, variant: "symmetric", seed: "test/layers/goe", index: 0 });
  assert.deepEqual(goe, sym);
  // independent: token p's trajectory is a one-token run on the child stream ("token", p)
  const n = 3,
    s = new Stream("test/layers/indep", 4),
    x = uniformOnSphere(s, n, 2),
    sc = layerScratch(n);
  const children = [s.child("token", 0), s.child("token", 1)];
  for (let k = 0; k < 10; k++)
    for (let p = 0; p < 2; p++) applyLayer(children[p], x.subarray(p * n, (p + 1) * n), n, 1, 0.1, "tanh", sc);
  const run = layerRun({
    n,
    m: 2,
    dt: 0.1,
    T: 1,
    variant: "tanh",
    noise: "independent",
    seed: "test/layers/indep",
    index: 4,
  });
  assert.equal(run.z, x[0] * x[3] + x[1] * x[4] + x[2] * x[5]);
  assert.throws(
    () => layerRun({ n: 3, m: 2, dt: 0.1, T: 1, variant: "symmetric", noise: "other" as never, seed: 1, index: 0 }),
    /noise/,
  );
});

test("layerDecayRun caps τ: with independent layers no pair contracts, the rate is near 0 and capped; layerCollapseRun collapses common layers", () => {
  const rates: number[] = [];
  for (let i = 0; i < 40; i++) {
    const r = layerDecayRun({
      n: 3,
      dt: 0.05,
      variant: "nonsymmetric",
      z0: 0,
      maxTime: 5,
      window: 4,
      noise: "independent",
      seed: "test/layers/cap",
      index: i,
    });
    assert.equal(r.capped, true);
    assert.equal(r.tau, 5);
    rates.push(r.rate);
  }
  const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
  assert.ok(Math.abs(mean) < 0.2, `independent layers: mean rate ${mean}`);
  const ok = layerDecayRun({
    n: 3,
    dt: 0.05,
    variant: "nonsymmetric",
    z0: 0,
    maxTime: 60,
    window: 4,
    seed: "test/layers/cap",
    index: 0,
  });
  assert.equal(ok.capped, false);
  const c = layerCollapseRun({
    n: 3,
    m: 5,
    dt: 0.05,
    variant: "tanh",
    window: 4,
    maxTime: 150,
    seed: "test/layers/collapse",
    index: 0,
  });
  assert.ok(c.collapsed && c.cluster >= 1 && c.cluster <= 5 && c.rate < 0, JSON.stringify(c));
  const d = layerCollapseRun({
    n: 3,
    m: 5,
    dt: 0.05,
    variant: "tanh",
    window: 4,
    maxTime: 10,
    noise: "independent",
    seed: "test/layers/collapse",
    index: 0,
  });
  assert.ok(!d.collapsed && d.cluster === 1, JSON.stringify(d));
});

test("tokenDynamicsRun with independent noise: no pair settles at ±1 (each token its own dQ)", () => {
  for (let i = 0; i < 10; i++) {
    const z = tokenDynamicsRun({
      n: 3,
      m: 2,
      dt: 0.02,
      T: 20,
      sigma: 1,
      z0: 0,
      noise: "independent",
      seed: "test/att/indep",
      index: i,
    }).z;
    const zc = tokenDynamicsRun({ n: 3, m: 2, dt: 0.02, T: 20, sigma: 1, z0: 0, seed: "test/att/indep", index: i }).z;
    assert.ok(1 - Math.abs(z) > 1e-6, `independent: z = ${z}`);
    assert.ok(1 - Math.abs(zc) < 1e-3, `common: z = ${zc}`);
  }
  assert.throws(
    () => tokenDynamicsRun({ n: 3, m: 2, dt: 0.02, T: 1, sigma: 1, noise: "x" as never, seed: 1, index: 0 }),
    /noise/,
  );
});

test("pullbackForwardRun and twoPointEndRun with other drives: independent noise does not settle; the fixed form makes pullback and forward images coincide", () => {
  const o = { n: 3, m: 2, dt: 0.02, T: 6, fine: false, seed: "test/pullback/drives", index: 0 };
  const ind = pullbackForwardRun({ ...o, drive: "independent" });
  const c = consecutiveImages(ind.pullback, 3, 2);
  assert.ok(Math.max(...c.distance[4]) > 1e-3, "independent tokens keep moving under pullback");
  const form = quadraticForm(new Stream("test/pullback/form", 0), 3);
  const fx = pullbackForwardRun({ ...o, drive: "fixed", form: form });
  fx.pullback.forEach((img, t) => img.forEach((v, i) => assert.ok(Math.abs(v - fx.forward[t][i]) < 1e-12)));
  assert.throws(() => pullbackForwardRun({ ...o, drive: "fixed" }), /form/);
  const e = twoPointEndRun({
    n: 3,
    z0: 0.5,
    dt: 0.05,
    T: 20,
    drive: "independent",
    seed: "test/twopoint/drives",
    index: 0,
  });
  assert.ok(1 - Math.abs(e.z) > 1e-6, `independent pair: z = ${e.z}`);
  const f1 = twoPointEndRun({
    n: 3,
    z0: 0.5,
    dt: 0.05,
    T: 5,
    drive: "fixed",
    form: form,
    seed: "test/twopoint/drives",
    index: 0,
  });
  assert.deepEqual(
    f1,
    twoPointEndRun({
      n: 3,
      z0: 0.5,
      dt: 0.05,
      T: 5,
      drive: "fixed",
      form: form,
      seed: "test/twopoint/drives",
      index: 7,
    }),
  );
});

test("clusteredFraction: the share of |z| > 1 − closeTo with its binomial standard error", () => {
  const e = clusteredFraction([0.99, -0.97, 0.5, 0, -0.2, 0.951, 1, -1], 0.05);
  assert.equal(e.value, 5 / 8);
  assert.equal(e.se, Math.sqrt(((5 / 8) * (3 / 8)) / 8));
  assert.equal(clusteredFraction([0.1, 0.2], 0.05).se, 0);
  assert.throws(() => clusteredFraction([], 0.05), /at least one/);
  assert.throws(() => clusteredFraction([0.1], 1), /closeTo/);
});
