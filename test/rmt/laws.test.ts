import { test } from "node:test";
import assert from "node:assert/strict";
import {
  MarchenkoPastur,
  momentEstimate,
  Semicircle,
  WignerSurmise,
  PoissonSpacing,
  TwoLevelDensity,
  binderCumulant,
  type Law,
} from "../../lib/rmt";
import { symmetricEigenvalues, SymmetricEigen } from "../../lib/linalg";
import { VERDICT_LEVEL } from "../../lib/params";
import { goe, wishart, gaussianMatrix, Stream } from "../../lib/random";
import { ksOneSample, ksScaleFamily, meanWithError, studentTQuantile } from "../../lib/stats";

/** ∫ pdf over [a, b] with the substitution x = a + (b − a)(1 − cos θ)/2, smooth at √-edges. */
const mass = (law: Law, a: number, b: number, f: (x: number) => number = () => 1): number => {
  // Midpoint rule in θ: never evaluates the end points, where a hard edge (r = 1) has 1/√x.
  const n = 20000,
    h = Math.PI / n;
  let s = 0;
  for (let k = 0; k < n; k++) {
    const t = (k + 0.5) * h;
    const x = a + ((b - a) * (1 - Math.cos(t))) / 2;
    s += f(x) * law.pdf(x) * ((b - a) / 2) * Math.sin(t);
  }
  return s * h;
};

test("each law: the pdf integrates to its cdf, and mean and variance match the pdf's moments", () => {
  const laws: [Law, number, number][] = [
    [new MarchenkoPastur(0.25, 2), 0, 0],
    [new MarchenkoPastur(1, 1), 0, 0],
    [new Semicircle(1, 3), 0, 0],
    [new WignerSurmise(1), 0, 8],
    [new WignerSurmise(2), 0, 8],
    [new WignerSurmise(4, 2), 0, 10],
    [new TwoLevelDensity(0.5, 0.3), -4, 5],
  ];
  for (const [law, a0, b0] of laws) {
    const [a, b] =
      Number.isFinite(law.support[0]) && Number.isFinite(law.support[1])
        ? law.support
        : [Math.max(a0, law.support[0]), b0];
    for (const q of [0.3, 0.7, 1]) {
      const x = a + q * (b - a);
      assert.ok(Math.abs(mass(law, a, x) - law.cdf(x)) < 1e-6, `${law.name}: F(${x})`);
    }
    const m1 = mass(law, a, b, (x) => x);
    const m2 = mass(law, a, b, (x) => (x - law.mean) ** 2);
    assert.ok(Math.abs(m1 - law.mean) < 1e-4 * (1 + Math.abs(law.mean)), `${law.name}: mean ${m1} vs ${law.mean}`);
    assert.ok(Math.abs(m2 - law.variance) < 1e-4 * law.variance, `${law.name}: variance ${m2} vs ${law.variance}`);
  }
});

test("the surmise constants match the textbook forms (π/2, 32/π², 2¹⁸/(3⁶π³))", () => {
  const s = 0.8;
  assert.ok(Math.abs(new WignerSurmise(1).pdf(s) - (Math.PI / 2) * s * Math.exp((-Math.PI * s * s) / 4)) < 1e-14);
  assert.ok(
    Math.abs(new WignerSurmise(2).pdf(s) - (32 / Math.PI ** 2) * s * s * Math.exp((-4 * s * s) / Math.PI)) < 1e-14,
  );
  assert.ok(
    Math.abs(
      new WignerSurmise(4).pdf(s) -
        (2 ** 18 / (3 ** 6 * Math.PI ** 3)) * s ** 4 * Math.exp((-64 * s * s) / (9 * Math.PI)),
    ) < 1e-13,
  );
  // The talk's two-level form: P(S) = S/(2σ²) e^{−S²/(4σ²)}, ⟨S⟩ = √π σ.
  const w = WignerSurmise.ofWidth(0.3);
  assert.ok(Math.abs(w.pdf(0.5) - (0.5 / (2 * 0.09)) * Math.exp(-0.25 / (4 * 0.09))) < 1e-13);
  assert.ok(Math.abs(w.mean - Math.sqrt(Math.PI) * 0.3) < 1e-15);
});

test("sampling: each law's sampler passes KS against its own cdf, and fails against a neighbour", () => {
  const laws: Law[] = [
    new MarchenkoPastur(0.5, 1),
    new Semicircle(0, 2),
    new WignerSurmise(1),
    new WignerSurmise(2),
    new WignerSurmise(4),
    new TwoLevelDensity(1, 0.2),
  ];
  laws.forEach((law, k) => {
    const x = law.sample(new Stream(21, k), new Float64Array(4000));
    assert.ok(ksOneSample(x, (v) => law.cdf(v)).pValue > 1e-3, law.name);
  });
  const x = new WignerSurmise(1).sample(new Stream(21, 99), new Float64Array(4000));
  assert.ok(ksOneSample(x, (v) => new WignerSurmise(2).cdf(v)).pValue < 1e-6);
});

test("2×2 GOE: spacings follow the β = 1 surmise with ⟨S⟩ = √π σ (σ² = diagonal variance), pooled levels the two-level density; Poisson is rejected", () => {
  const n = 20000,
    sp = new Float64Array(n),
    lv = new Float64Array(2 * n),
    s = new Stream(22, 0);
  for (let i = 0; i < n; i++) {
    const h = goe(s, 2, 0.5); // diagonal variance 2·0.25 = 0.5
    const e = symmetricEigenvalues(h, 2);
    sp[i] = e[1] - e[0];
    lv[2 * i] = e[0];
    lv[2 * i + 1] = e[1];
  }
  const sigma = Math.sqrt(0.5);
  assert.ok(ksOneSample(sp, (v) => WignerSurmise.ofWidth(sigma).cdf(v)).pValue > 1e-3);
  assert.ok(ksOneSample(sp, (v) => new PoissonSpacing(Math.sqrt(Math.PI) * sigma).cdf(v)).pValue < 1e-10);
  // Pooled levels are not independent within a pair: test one level per matrix, picked at random.
  const one = Float64Array.from({ length: n }, (_, i) => lv[2 * i + (s.uniform() < 0.5 ? 0 : 1)]);
  assert.ok(ksOneSample(one, (v) => new TwoLevelDensity(0, sigma).cdf(v)).pValue > 1e-3);
});

test("Binder cumulant: −4/27 for the two-level density, 0 for a Gaussian, −1/3 for the semicircle, within jackknife errors", () => {
  const cases: [Law, number][] = [
    [new TwoLevelDensity(3, 0.1), -4 / 27],
    [new Semicircle(0, 1), -1 / 3],
  ];
  for (const [law, u] of cases) {
    const b = binderCumulant(law.sample(new Stream(23, 1), new Float64Array(200000)), 50);
    assert.ok(Math.abs(b.value - u) < 4 * b.se, `${law.name}: ${b.value} ± ${b.se}`);
    assert.ok(b.se < 0.02);
  }
  const g = binderCumulant(new Stream(23, 2).fillNormal(new Float64Array(200000)), 50);
  assert.ok(Math.abs(g.value) < 4 * g.se);
  assert.ok(Math.abs(g.value - -4 / 27) > 4 * g.se, "a Gaussian is distinguishable from the two-level density");
  assert.throws(() => binderCumulant(new Float64Array(100).fill(2), 10), /constant sample/);
});

test("Marchenko–Pastur: a Wishart spectrum (p = 400, n = 1600) matches r = 1/4; r = 1/2 does not; bad ratios are refused", () => {
  const e = symmetricEigenvalues(wishart(new Stream(24, 0), 400, 1600), 400);
  assert.ok(ksOneSample(e, (x) => new MarchenkoPastur(0.25).cdf(x)).statistic < 0.02);
  assert.ok(ksOneSample(e, (x) => new MarchenkoPastur(0.5).cdf(x)).statistic > 0.1);
  assert.throws(() => new MarchenkoPastur(0), /ratio r = N\/M must be in \(0, 1\]/);
  assert.throws(() => new MarchenkoPastur(1.5), /transpose W/);
  assert.throws(() => new MarchenkoPastur(0.5, 1, 1.2), /area A/);
});

test("finite-size moments: E tr X/N = Mv and E tr X²/N = (Mv)²(1 + r + 1/M) (M = 12, N = 6, 3000 matrices); the limit law's 1 + r is rejected", () => {
  const M = 12,
    N = 6,
    v = 0.5,
    s = new Stream(25, 0);
  const sc: number[] = [],
    m2: number[] = [];
  for (let t = 0; t < 3000; t++) {
    const w = gaussianMatrix(s, M, N, Math.sqrt(v));
    const x = new Float64Array(N * N);
    for (let k = 0; k < M; k++)
      for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) x[i * N + j] += w[k * N + i] * w[k * N + j];
    const e = symmetricEigenvalues(x, N);
    sc.push(momentEstimate(e, M).scale);
    m2.push(e.reduce((acc, y) => acc + y * y, 0) / N / (M * v) ** 2);
  }
  const a = meanWithError(sc),
    b = meanWithError(m2);
  assert.ok(Math.abs(a.value - M * v) < 4 * a.se);
  assert.ok(Math.abs(b.value - (1 + N / M + 1 / M)) < 4 * b.se, `${b.value} ± ${b.se}`);
  assert.ok(Math.abs(b.value - (1 + N / M)) > 4 * b.se);
});

test("notebook 07's scale checks: the moment estimate ŝ = tr X/N of X = WᵀW (M = 200, entries N(0, 1/M)) has mean 1 at r = 1/8, 1/4, 1/2 (t-interval at VERDICT_LEVEL over 24 matrices) and rejects entries of variance 1/N (s = 1/r)", () => {
  // moved from the notebook's verdict table (issue 34): E tr X/N = Mσ² is the trace identity, a check of the code
  const M = 200,
    reps = 24,
    t = studentTQuantile(1 - VERDICT_LEVEL / 2, reps - 1);
  for (const r of [0.125, 0.25, 0.5]) {
    const n = Math.round(r * M),
      eig = new SymmetricEigen(n);
    const s = meanWithError(
      Array.from(
        { length: reps },
        (_, k) => momentEstimate(eig.values(wishart(Stream.named(1, `07/fit/r=${r}`, k), n, M)), M).scale,
      ),
    );
    assert.ok(Math.abs(s.value - 1) <= t * s.se, `r = ${r}: ${s.value} ± ${s.se}`);
    assert.ok(Math.abs(s.value - 1 / r) > t * s.se);
  }
});

test("ksScaleFamily: accepts surmise groups with unknown scales, rejects Poisson groups at the run's level (sequential bootstrap)", () => {
  const s = new Stream(26, 0);
  const unit = (st: Stream, out: Float64Array) => new WignerSurmise(1).sample(st, out);
  const groups = [0.2, 0.5, 1.3].map((m) => new WignerSurmise(1, m).sample(s, new Float64Array(300)));
  const ok = ksScaleFamily(groups, (x) => new WignerSurmise(1).cdf(x), unit, new Stream(26, 1));
  assert.ok(
    ok.pValue > 1e-3 && ok.replicates < 2000,
    `p = ${ok.pValue} after ${ok.replicates} replicates: a typical sample stops early`,
  );
  const pois = [0.2, 0.5, 1.3].map((m) => new PoissonSpacing(m).sample(s, new Float64Array(300)));
  // far from the law: every replicate runs, and p resolves the run's level (a fixed 200 could not go below 1/201)
  const bad = ksScaleFamily(pois, (x) => new WignerSurmise(1).cdf(x), unit, new Stream(26, 2));
  assert.ok(
    bad.pValue < VERDICT_LEVEL && bad.replicates === Math.ceil(1 / VERDICT_LEVEL),
    `p = ${bad.pValue} after ${bad.replicates}`,
  );
  assert.throws(
    () => ksScaleFamily(groups, (x) => new WignerSurmise(1).cdf(x), unit, new Stream(26, 3), { exceedances: 0 }),
    /exceedances/,
  );
});

test("Binder cumulant at small n: the plain estimate is biased by O(1/n), the jackknife-corrected one is not", () => {
  const law = new TwoLevelDensity(0, 1);
  let plain = 0,
    corrected = 0;
  const reps = 3000,
    s = new Stream(31, 0),
    x = new Float64Array(60);
  for (let r = 0; r < reps; r++) {
    const b = binderCumulant(law.sample(s, x), 10);
    plain += b.value / reps;
    corrected += b.corrected / reps;
  }
  // per-estimate sd is about 0.1, so the mean of 3000 has se ≈ 0.002
  assert.ok(plain < -4 / 27 - 0.008, `plain mean ${plain} should be biased low`);
  assert.ok(Math.abs(corrected + 4 / 27) < 0.008, `corrected mean ${corrected}`);
});
