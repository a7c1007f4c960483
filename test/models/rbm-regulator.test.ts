import { test } from "node:test";
import assert from "node:assert/strict";
import { Stream } from "../../lib/random";
import {
  rbmRegulatedSpectrum,
  ultravioletFixedPoint,
  covarianceModes,
  modeLevels,
  modeWeightFractions,
  classifyLearnedModes,
  compareToRegulated,
  trainModeLevelsToFixedPoint,
  ExactGradientRbm,
  trainRbmToFixedPoint,
  latticeModes,
  latticeFieldData,
  GaussianRbm,
  rbmExactGradientSpectrum,
} from "../../lib/models";
import { sampleCovariance } from "../../lib/stats";

const N = 8,
  m2 = 1;
const modes = latticeModes(N, m2);
const data = latticeFieldData(N, m2, 512, new Stream(3, 0));
const C = sampleCovariance(data, 512, N, false);

test("rbmRegulatedSpectrum: N_h and μ² cut the spectrum off in the ultraviolet", () => {
  // κ = 1, 1.586 (×2), 3 (×2), 4.414 (×2), 5
  const full = rbmRegulatedSpectrum(modes.kappa, 8, 8);
  assert.deepEqual(
    Array.from(full.x, (v) => +v.toFixed(6)),
    Array.from(modes.kappa, (k) => +(8 - k).toFixed(6)).sort((a, b) => a - b),
  );
  const three = rbmRegulatedSpectrum(modes.kappa, 8, 3);
  assert.deepEqual(Array.from(three.learned), [0, 1, 2]);
  assert.equal(three.kernel.filter((k) => k === 8).length, 5);
  const cut = rbmRegulatedSpectrum(modes.kappa, 3.7, 8);
  assert.equal(cut.learnable, 5);
  assert.equal(cut.x.filter((v) => v === 0).length, 3);
  assert.equal(cut.kernel.filter((k) => k === 3.7).length, 3);
  // a degenerate pair split by N_h = 2 is flagged; the gain is ½(t − 1 − log t) and 0 beyond μ²
  assert.equal(rbmRegulatedSpectrum(modes.kappa, 8, 2).ambiguous, true);
  assert.equal(three.ambiguous, false);
  assert.ok(Math.abs(full.gain[0] - 0.5 * (8 - 1 - Math.log(8))) < 1e-15);
  assert.equal(cut.gain[N - 1], 0);
  // a direction without variance (κ = ∞) is never learned
  assert.equal(rbmRegulatedSpectrum([1, Infinity], 4, 2).learnable, 1);
});

test("rbmRegulatedSpectrum and ExactGradientRbm refuse bad input with the parameter's name", () => {
  assert.throws(() => rbmRegulatedSpectrum(modes.kappa, 8, 9), /hidden units N_h/);
  assert.throws(() => rbmRegulatedSpectrum(modes.kappa, 0, 3), /μ²/);
  assert.throws(() => rbmRegulatedSpectrum(modes.kappa, -1, 3), /μ²/);
  assert.throws(() => rbmRegulatedSpectrum([1, 0], 4, 1), /κ\[1\]/);
  assert.throws(
    () =>
      new ExactGradientRbm({ covariance: C, visible: N, hidden: N + 1, mu2: 8, alpha: 0.05, stream: new Stream(1) }),
    /hidden units N_h/,
  );
  assert.throws(
    () => new ExactGradientRbm({ covariance: C, visible: N, hidden: 3, mu2: 0, alpha: 0.05, stream: new Stream(1) }),
    /μ²/,
  );
  assert.throws(
    () => new ExactGradientRbm({ covariance: C, visible: N, hidden: 3, mu2: 8, alpha: 0.05 }),
    /initWeights or a stream/,
  );
  assert.throws(
    () => new ExactGradientRbm({ covariance: C, visible: N, hidden: 3, mu2: 0.01, alpha: 0.05, stream: new Stream(1) }),
    /eigenvalue of WWᵀ ≥ μ²/,
  );
  assert.throws(
    () =>
      new ExactGradientRbm({ covariance: C, visible: N, hidden: 3, mu2: 8, alpha: 5, stream: new Stream(1) }).run(50),
    /lost positive definiteness.*lower α/,
  );
  assert.throws(
    () => new GaussianRbm({ visible: N, hidden: N + 1, mu2: 8, data, alpha: 0.01, batch: 4, stream: new Stream(1) }),
    /hidden/,
  );
  assert.throws(
    () => new GaussianRbm({ visible: N, hidden: 3, mu2: -1, data, alpha: 0.01, batch: 4, stream: new Stream(1) }),
    /μ²/,
  );
});

test("ExactGradientRbm: aligned weights follow the exact map x' = x(1 + α(1/κ − 1/(μ² − x)))² mode by mode", () => {
  // W = E diag(√x₀) on the first N_h modes: the update keeps the alignment, so each level follows
  // the scalar map that rbmExactGradientSpectrum iterates (an independent implementation).
  const H = 5,
    mu2 = 8,
    alpha = 0.02,
    x0 = 0.5;
  const w = new Float64Array(N * H);
  for (let i = 0; i < N; i++) for (let a = 0; a < H; a++) w[i * H + a] = modes.basis[i * N + a] * Math.sqrt(x0);
  const rbm = new ExactGradientRbm({ covariance: C, visible: N, hidden: H, mu2, alpha, initWeights: w }).run(40);
  const expected = Array.from(
    rbmExactGradientSpectrum(modes.kappa.subarray(0, H), mu2, new Array(H).fill(x0), alpha, 40, 2),
  ).sort((a, b) => a - b);
  const got = rbm.spectrum();
  for (let a = 0; a < H; a++)
    assert.ok(Math.abs(got[a] - expected[a]) < 1e-12, `level ${a}: ${got[a]} vs ${expected[a]}`);
});

test("ExactGradientRbm: the update is the log-likelihood's gradient (central differences)", () => {
  const H = 3,
    mu2 = 8,
    alpha = 1e-6;
  const rbm = new ExactGradientRbm({ covariance: C, visible: N, hidden: H, mu2, alpha, stream: new Stream(7) });
  const w0 = Float64Array.from(rbm.w);
  const l0 = rbm.logLikelihood();
  rbm.run(1);
  const step = Float64Array.from(rbm.w, (v, n) => (v - w0[n]) / alpha); // = ∂ℓ/∂W
  const probe = new ExactGradientRbm({ covariance: C, visible: N, hidden: H, mu2, alpha, initWeights: w0 });
  const h = 1e-5;
  for (const n of [0, 7, 13, 23]) {
    probe.w.set(w0);
    probe.w[n] += h;
    const up = probe.logLikelihood();
    probe.w.set(w0);
    probe.w[n] -= h;
    const down = probe.logLikelihood();
    const fd = (up - down) / (2 * h);
    assert.ok(Math.abs(fd - step[n]) < 1e-7 * Math.max(1, Math.abs(fd)), `entry ${n}: ${fd} vs ${step[n]}`);
  }
  assert.ok(Number.isFinite(l0));
});

test("trainRbmToFixedPoint: a random start ends at the predicted spectrum within its own remainder bound", () => {
  for (const [mu2, H] of [
    [8, 3],
    [3.7, 8],
  ]) {
    const pred = rbmRegulatedSpectrum(modes.kappa, mu2, H);
    const run = trainRbmToFixedPoint({
      covariance: C,
      visible: N,
      hidden: H,
      mu2,
      alpha: 0.05,
      stream: new Stream(2, H),
      block: 50,
      maxSteps: 40000,
    });
    assert.ok(run.converged);
    const x = run.rbm.spectrum();
    for (let a = 0; a < H; a++)
      assert.ok(
        Math.abs(x[a] - pred.x[a]) <= run.levelRemainder + 1e-13,
        `μ² = ${mu2}, N_h = ${H}, level ${a}: ${x[a]} vs ${pred.x[a]} (bound ${run.levelRemainder})`,
      );
    const f = modeWeightFractions(run.rbm.w, N, H, modes.basis);
    assert.ok(Math.abs(f.reduce((s, v) => s + v, 0) - 1) < 1e-14);
    const outside = 1 - Array.from(pred.learned).reduce((s, k) => s + f[k], 0);
    // at the limit the columns lie in the learned modes, so ‖P_out W_T‖ ≤ ‖W_T − W_∞‖ ≤ the weight remainder
    const norm2 = run.rbm.w.reduce((s, v) => s + v * v, 0);
    assert.ok(
      outside <= run.weightRemainder ** 2 / norm2 + 1e-15,
      `weight outside the learned modes: ${outside} (bound ${run.weightRemainder ** 2 / norm2})`,
    );
    assert.ok(outside < 1e-6);
  }
});

test("ExactGradientRbm.sample: draws have the model covariance K⁻¹", () => {
  const H = 2,
    mu2 = 4;
  const w = new Float64Array(N * H);
  for (let i = 0; i < N; i++) for (let a = 0; a < H; a++) w[i * H + a] = modes.basis[i * N + a];
  const rbm = new ExactGradientRbm({ covariance: C, visible: N, hidden: H, mu2, alpha: 0.01, initWeights: w });
  const n = 40000;
  const s = rbm.sample(new Stream(11), n);
  const cov = sampleCovariance(s, n, N, false);
  // along mode 0 the kernel is μ² − 1 = 3, so the variance is 1/3; along mode 5 it is 1/μ² = 1/4
  for (const [k, v] of [
    [0, 1 / 3],
    [5, 1 / 4],
  ] as const) {
    let q = 0;
    for (let i = 0; i < N; i++)
      for (let j = 0; j < N; j++) q += modes.basis[i * N + k] * cov[i * N + j] * modes.basis[j * N + k];
    // the sample variance of a N(0, v) variable has standard error v√(2/n): allow 5 of them
    assert.ok(Math.abs(q - v) < 5 * v * Math.sqrt(2 / n), `mode ${k}: ${q} vs ${v}`);
  }
});

test("sampleCovariance: centres by default, divides by n", () => {
  const c = sampleCovariance([1, 2, 3, 6], 2, 2);
  assert.deepEqual(Array.from(c), [1, 2, 2, 4]);
  assert.deepEqual(Array.from(sampleCovariance([1, 2, 3, 6], 2, 2, false)), [5, 10, 10, 20]);
  assert.throws(() => sampleCovariance([1, 2, 3], 2, 2), /n·p/);
});

test("the kernel's spectrum (the talk's D_K): μ² − x_a for the N_h levels x_a of WᵀW, and μ² on the other N_v − N_h directions", () => {
  const H = 3,
    mu2 = 8;
  const rbm = new ExactGradientRbm({ covariance: C, visible: N, hidden: H, mu2, alpha: 0.01, stream: new Stream(5) });
  const x = rbm.spectrum(),
    k = rbm.kernelSpectrum();
  const expected = [...Array.from(x, (v) => mu2 - v), ...new Array(N - H).fill(mu2)].sort((a, b) => a - b);
  for (let i = 0; i < N; i++)
    assert.ok(Math.abs(k[i] - expected[i]) < 1e-13 * mu2, `eigenvalue ${i}: ${k[i]} vs ${expected[i]}`);
});

test("ultravioletFixedPoint: the N_h largest κ below μ² learned, the saddle beside rbmRegulatedSpectrum's maximum", () => {
  const uv = ultravioletFixedPoint(modes.kappa, 8, 3);
  assert.deepEqual(
    Array.from(uv.learned).map((k) => +modes.kappa[k].toFixed(3)),
    [4.414, 4.414, 5],
  );
  assert.deepEqual(
    Array.from(uv.x, (v) => +v.toFixed(3)),
    [3, 3.586, 3.586],
  );
  assert.equal(uv.kernel.filter((v) => v === 8).length, 5);
  // below μ² = 3.7 only κ < μ² can be learned: the largest three of them
  assert.deepEqual(
    Array.from(ultravioletFixedPoint(modes.kappa, 3.7, 3).x, (v) => +v.toFixed(3)),
    [0.7, 0.7, 2.114],
  );
  // when N_h holds every learnable mode, the two fixed points coincide
  assert.deepEqual(ultravioletFixedPoint(modes.kappa, 3.7, 5).kernel, rbmRegulatedSpectrum(modes.kappa, 3.7, 5).kernel);
  assert.throws(() => ultravioletFixedPoint(modes.kappa, 8, 9), /hidden units N_h/);
});

test("covarianceModes: C u_k = λ_k u_k with orthonormal u_k, κ = 1/λ (∞ without variance), and a rounding bound on κ", () => {
  const m = covarianceModes(C, N);
  assert.deepEqual(
    m.kappa.map((k) => +k.toFixed(9)).sort((a, b) => a - b),
    Array.from(modes.kappa, (k) => +k.toFixed(9)).sort((a, b) => a - b),
  );
  for (let k = 0; k < N; k++) {
    let norm = 0;
    for (let i = 0; i < N; i++) {
      let cu = 0;
      for (let j = 0; j < N; j++) cu += C[i * N + j] * m.basis[j * N + k];
      assert.ok(Math.abs(cu - m.variance[k] * m.basis[i * N + k]) < 1e-12, `C u_${k} at ${i}`);
      norm += m.basis[i * N + k] ** 2;
    }
    assert.ok(Math.abs(norm - 1) < 1e-12);
    assert.ok(m.kappaError[k] > 0 && m.kappaError[k] < 1e-9 * m.kappa[k]);
  }
  // a direction without variance: κ = ∞, and so is its error bound
  const flat = covarianceModes([1, 0, 0, 0], 2);
  assert.deepEqual(flat.kappa.slice().sort(), [1, Infinity]);
  assert.ok(flat.kappaError.includes(Infinity));
  assert.throws(() => covarianceModes([1, 0, 0], 2), /covariance/);
});

test("modeLevels and classifyLearnedModes: the weight per mode and per eigenspace, classified against the prediction, whatever basis spans a degenerate pair", () => {
  const mu2 = 8,
    H = 3,
    pred = rbmRegulatedSpectrum(modes.kappa, mu2, H);
  // W at the predicted maximum: columns on modes 0, 1, 2 with x = μ² − κ; then rotate the pair (modes 1, 2) inside its span
  const w = new Float64Array(N * H),
    c = Math.cos(0.7),
    sn = Math.sin(0.7);
  for (let i = 0; i < N; i++) {
    w[i * H] = modes.basis[i * N] * Math.sqrt(mu2 - modes.kappa[0]);
    w[i * H + 1] = (c * modes.basis[i * N + 1] + sn * modes.basis[i * N + 2]) * Math.sqrt(mu2 - modes.kappa[1]);
    w[i * H + 2] = (-sn * modes.basis[i * N + 1] + c * modes.basis[i * N + 2]) * Math.sqrt(mu2 - modes.kappa[2]);
  }
  const x = modeLevels(w, N, H, modes.basis);
  assert.ok(Math.abs(x.reduce((a, v) => a + v, 0) - w.reduce((a, v) => a + v * v, 0)) < 1e-12);
  assert.ok(Math.abs(x[0] - 7) < 1e-12 && Math.abs(x[1] + x[2] - 2 * (8 - modes.kappa[1])) < 1e-12);
  const ok = classifyLearnedModes(w, N, H, modes.basis, modes.kappa, pred);
  assert.equal(ok.eigenspaces.length, 5); // κ = 1, 1.586 (×2), 3 (×2), 4.414 (×2), 5
  assert.equal(ok.mismatches, 0);
  assert.ok(ok.deviation < 1e-12);
  // thresholds: half the predicted weight (κ = 1.586: one level 6.414 per mode, two modes), half a level (κ = 5: 3/2)
  assert.ok(
    Math.abs(ok.eigenspaces[1].threshold - (8 - modes.kappa[1])) < 1e-12 &&
      Math.abs(ok.eigenspaces[4].threshold - 1.5) < 1e-12,
  );
  // move the third column onto the κ = 5 mode at its fixed point x = 3: the pair is half learned (still above its
  // threshold 6.414), κ = 5 is learned by mistake
  for (let i = 0; i < N; i++) w[i * H + 2] = modes.basis[i * N + 7] * Math.sqrt(3);
  const bad = classifyLearnedModes(w, N, H, modes.basis, modes.kappa, pred);
  assert.equal(bad.mismatches, 1);
  assert.ok(bad.deviation > 2 - 1e-9, `deviation ${bad.deviation}`);
  // below μ² = 3.7 the modes κ = 4.414, 5 cannot be learned: their threshold is half the smallest predicted level,
  // (3.7 − 1.586)/2; the pair κ = 3, learnable but left out by N_h = 3, has half its level, (3.7 − 3)/2
  const cut = classifyLearnedModes(w, N, H, modes.basis, modes.kappa, rbmRegulatedSpectrum(modes.kappa, 3.7, 3));
  assert.ok(Math.abs(cut.eigenspaces[4].threshold - (3.7 - modes.kappa[1]) / 2) < 1e-12 && cut.eigenspaces[4].learned);
  assert.ok(Math.abs(cut.eigenspaces[2].threshold - 0.35) < 1e-12 && !cut.eigenspaces[2].learned);
  assert.throws(() => classifyLearnedModes(w, N, H, modes.basis, modes.kappa.subarray(1), pred), /κ/);
});

test("compareToRegulated: a converged run is within its bounds of the maximum and far from the UV fixed point; a run of another N_h or an unconverged one is held to the tolerance and fails", () => {
  const pred = rbmRegulatedSpectrum(modes.kappa, 8, 3);
  const run = trainRbmToFixedPoint({
    covariance: C,
    visible: N,
    hidden: 3,
    mu2: 8,
    alpha: 0.05,
    stream: new Stream(4, 3),
    block: 50,
    maxSteps: 40000,
  });
  const fit = compareToRegulated(run, pred, modes.basis);
  assert.ok(run.converged && fit.ratio <= 1, `ratio ${fit.ratio}`);
  assert.ok(compareToRegulated(run, ultravioletFixedPoint(modes.kappa, 8, 3), modes.basis).ratio > 1e6);
  // an RBM without the hidden regulator learns every mode: it fails the N_h = 3 prediction
  const open = trainRbmToFixedPoint({
    covariance: C,
    visible: N,
    hidden: N,
    mu2: 8,
    alpha: 0.05,
    stream: new Stream(4, 8),
    block: 50,
    maxSteps: 40000,
  });
  const wrong = compareToRegulated(open, pred, modes.basis);
  assert.ok(wrong.kernelError > 2 && wrong.outside > 0.4, `kernel ${wrong.kernelError}, outside ${wrong.outside}`);
  // stopped early: the bound is the tolerance (not the large remainder), and the run fails
  const early = trainRbmToFixedPoint({
    covariance: C,
    visible: N,
    hidden: 3,
    mu2: 8,
    alpha: 0.05,
    stream: new Stream(4, 3),
    block: 50,
    maxSteps: 100,
  });
  const e = compareToRegulated(early, pred, modes.basis);
  assert.ok(!early.converged && e.kernelBound === early.tolerance && e.ratio > 1);
  assert.throws(() => compareToRegulated(run, rbmRegulatedSpectrum([1, 2], 8, 1), modes.basis), /N_v/);
});

test("trainRbmToFixedPoint: the slowest level relaxes at the derived rate, (1 − α(1/κ_a − 1/κ_b))^(2·block) for the last learned mode a and the first unlearned b, or a column's radial rate (1 − 2αx_a/κ_a²)^block", () => {
  // At the fixed point a column on mode a turns away from mode b by 1 − α(1/κ_a − 1/κ_b) per step (the
  // K⁻¹ perturbation included), and WᵀW is even in that angle, so the level sees the square (ERRATA 26).
  const kappa = [...covarianceModes(C, N).kappa].sort((a, b) => a - b);
  for (const [mu2, H, alpha, block] of [
    [8, 3, 0.05, 50],
    [8, 1, 0.05, 50],
    [8, 5, 0.05, 50],
    [3.7, 3, 0.05, 50],
    [8, 3, 0.02, 20],
  ]) {
    const run = trainRbmToFixedPoint({
      covariance: C,
      visible: N,
      hidden: H,
      mu2,
      alpha,
      stream: new Stream(2, H),
      block,
    });
    const turn = (1 - alpha * (1 / kappa[H - 1] - 1 / kappa[H])) ** (2 * block);
    const radial = Math.max(...kappa.slice(0, H).map((k) => Math.abs(1 - (2 * alpha * (mu2 - k)) / k ** 2) ** block));
    const derived = Math.max(turn, radial);
    assert.ok(run.converged);
    assert.ok(
      Math.abs(run.contraction - derived) < 0.01 * derived,
      `μ² = ${mu2}, N_h = ${H}, α = ${alpha}: measured ${run.contraction} per block, derived ${derived}`,
    );
  }
});

test("trainModeLevelsToFixedPoint: each level has its own tail bound, so a fast level far from its well does not hide a slow level near its own", () => {
  // per block of 10 steps the level on κ = 3.12 contracts by about 0.6 and the one on κ = 4.16 by about 0.8;
  // started 1 and 1e-5 from their wells, the fast level's displacement is the larger one until after the
  // tolerance is reached. One tail on max_a |Δx_a| then used the fast rate and ended at 1.25 times its bound.
  const mu2 = 8,
    kappa = [3.12, 4.16];
  const run = trainModeLevelsToFixedPoint({
    kappa,
    mu2,
    x0: [mu2 - kappa[0] - 1, mu2 - kappa[1] + 1e-5],
    alpha: 0.05,
    block: 10,
  });
  assert.ok(run.converged);
  const limit = kappa.map((k) => mu2 - k).sort((a, b) => a - b);
  const error = Math.max(...limit.map((v, a) => Math.abs(run.x[a] - v)));
  assert.ok(error <= run.levelRemainder, `max_a |x_a − (μ² − κ_a)| = ${error} > bound ${run.levelRemainder}`);
  assert.ok(error > 0.2 * run.levelRemainder, `the bound ${run.levelRemainder} is loose (${error})`);
});

test("trainModeLevelsToFixedPoint: the eigenvalue-only picture keeps every level in its own well, where the full update leaves the ultraviolet saddle (even from an exact alignment, seeded by rounding)", () => {
  const uv = [5, 6, 7],
    mu2 = 8,
    kUv = uv.map((k) => modes.kappa[k]);
  const levels = trainModeLevelsToFixedPoint({
    kappa: kUv,
    mu2,
    x0: [0.5, 0.5, 0.5],
    alpha: 0.05,
    block: 10,
    maxSteps: 60000,
  });
  const uvFixed = ultravioletFixedPoint(modes.kappa, mu2, 3).x;
  assert.ok(levels.converged);
  for (let a = 0; a < 3; a++)
    assert.ok(
      Math.abs(levels.x[a] - uvFixed[a]) <= levels.levelRemainder,
      `level ${a}: ${levels.x[a]} vs ${uvFixed[a]}`,
    );
  // it is the per-mode exact map, step for step
  const direct = Float64Array.from(rbmExactGradientSpectrum(kUv, mu2, [0.5, 0.5, 0.5], 0.05, levels.steps, 2)).sort();
  assert.deepEqual(levels.x, direct);
  // a mode above μ² decays to 0 (κ = 5 with μ² = 4)
  const cut = trainModeLevelsToFixedPoint({ kappa: [5], mu2: 4, x0: [0.5], alpha: 0.05, maxSteps: 60000 });
  assert.ok(cut.converged && cut.x[0] < 1e-9);
  // the full update from the exactly aligned ultraviolet start ends at the infrared maximum
  const w0 = new Float64Array(N * 3);
  for (let i = 0; i < N; i++) for (let a = 0; a < 3; a++) w0[i * 3 + a] = modes.basis[i * N + uv[a]] * Math.sqrt(0.5);
  const full = trainRbmToFixedPoint({
    covariance: C,
    visible: N,
    hidden: 3,
    mu2,
    alpha: 0.05,
    initWeights: w0,
    block: 10,
    maxSteps: 60000,
  });
  const ir = rbmRegulatedSpectrum(modes.kappa, mu2, 3).x,
    fx = full.rbm.spectrum();
  for (let a = 0; a < 3; a++)
    assert.ok(Math.abs(fx[a] - ir[a]) < 1e-6, `full update, level ${a}: ${fx[a]} vs ${ir[a]}`);
  assert.throws(() => trainModeLevelsToFixedPoint({ kappa: kUv, mu2, x0: [0.5], alpha: 0.05 }), /x0/);
});
