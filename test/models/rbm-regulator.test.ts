import { test } from "node:test";
import assert from "node:assert/strict";
import { Stream } from "../../lib/random";
import { rbmRegulatedSpectrum, modeWeightFractions, ExactGradientRbm, trainRbmToFixedPoint, latticeModes, latticeFieldData, GaussianRbm, rbmExactGradientSpectrum } from "../../lib/models";
import { sampleCovariance } from "../../lib/stats";

const N = 8, m2 = 1;
const modes = latticeModes(N, m2);
const data = latticeFieldData(N, m2, 512, new Stream(3, 0));
const C = sampleCovariance(data, 512, N, false);

test("rbmRegulatedSpectrum: N_h and μ² cut the spectrum off in the ultraviolet", () => {
  // κ = 1, 1.586 (×2), 3 (×2), 4.414 (×2), 5
  const full = rbmRegulatedSpectrum(modes.kappa, 8, 8);
  assert.deepEqual(Array.from(full.x, (v) => +v.toFixed(6)), Array.from(modes.kappa, (k) => +(8 - k).toFixed(6)).sort((a, b) => a - b));
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
  assert.throws(() => new ExactGradientRbm({ covariance: C, visible: N, hidden: N + 1, mu2: 8, alpha: 0.05, stream: new Stream(1) }), /hidden units N_h/);
  assert.throws(() => new ExactGradientRbm({ covariance: C, visible: N, hidden: 3, mu2: 0, alpha: 0.05, stream: new Stream(1) }), /μ²/);
  assert.throws(() => new ExactGradientRbm({ covariance: C, visible: N, hidden: 3, mu2: 8, alpha: 0.05 }), /initWeights or a stream/);
  assert.throws(() => new ExactGradientRbm({ covariance: C, visible: N, hidden: 3, mu2: 0.01, alpha: 0.05, stream: new Stream(1) }), /eigenvalue of WWᵀ ≥ μ²/);
  assert.throws(() => new ExactGradientRbm({ covariance: C, visible: N, hidden: 3, mu2: 8, alpha: 5, stream: new Stream(1) }).run(50), /lost positive definiteness.*lower α/);
  assert.throws(() => new GaussianRbm({ visible: N, hidden: N + 1, mu2: 8, data, alpha: 0.01, batch: 4, stream: new Stream(1) }), /hidden/);
  assert.throws(() => new GaussianRbm({ visible: N, hidden: 3, mu2: -1, data, alpha: 0.01, batch: 4, stream: new Stream(1) }), /μ²/);
});

test("ExactGradientRbm: aligned weights follow the exact map x' = x(1 + α(1/κ − 1/(μ² − x)))² mode by mode", () => {
  // W = E diag(√x₀) on the first N_h modes: the update keeps the alignment, so each level follows
  // the scalar map that rbmExactGradientSpectrum iterates (an independent implementation).
  const H = 5, mu2 = 8, alpha = 0.02, x0 = 0.5;
  const w = new Float64Array(N * H);
  for (let i = 0; i < N; i++) for (let a = 0; a < H; a++) w[i * H + a] = modes.basis[i * N + a] * Math.sqrt(x0);
  const rbm = new ExactGradientRbm({ covariance: C, visible: N, hidden: H, mu2, alpha, initWeights: w }).run(40);
  const expected = Array.from(rbmExactGradientSpectrum(modes.kappa.subarray(0, H), mu2, new Array(H).fill(x0), alpha, 40, 2)).sort((a, b) => a - b);
  const got = rbm.spectrum();
  for (let a = 0; a < H; a++) assert.ok(Math.abs(got[a] - expected[a]) < 1e-12, `level ${a}: ${got[a]} vs ${expected[a]}`);
});

test("ExactGradientRbm: the update is the log-likelihood's gradient (central differences)", () => {
  const H = 3, mu2 = 8, alpha = 1e-6;
  const rbm = new ExactGradientRbm({ covariance: C, visible: N, hidden: H, mu2, alpha, stream: new Stream(7) });
  const w0 = Float64Array.from(rbm.w);
  const l0 = rbm.logLikelihood();
  rbm.run(1);
  const step = Float64Array.from(rbm.w, (v, n) => (v - w0[n]) / alpha); // = ∂ℓ/∂W
  const probe = new ExactGradientRbm({ covariance: C, visible: N, hidden: H, mu2, alpha, initWeights: w0 });
  const h = 1e-5;
  for (const n of [0, 7, 13, 23]) {
    probe.w.set(w0); probe.w[n] += h; const up = probe.logLikelihood();
    probe.w.set(w0); probe.w[n] -= h; const down = probe.logLikelihood();
    const fd = (up - down) / (2 * h);
    assert.ok(Math.abs(fd - step[n]) < 1e-7 * Math.max(1, Math.abs(fd)), `entry ${n}: ${fd} vs ${step[n]}`);
  }
  assert.ok(Number.isFinite(l0));
});

test("trainRbmToFixedPoint: a random start ends at the predicted spectrum within its own remainder bound", () => {
  for (const [mu2, H] of [[8, 3], [3.7, 8]]) {
    const pred = rbmRegulatedSpectrum(modes.kappa, mu2, H);
    const run = trainRbmToFixedPoint({ covariance: C, visible: N, hidden: H, mu2, alpha: 0.05, stream: new Stream(2, H), block: 50, maxSteps: 40000 });
    assert.ok(run.converged);
    const x = run.rbm.spectrum();
    for (let a = 0; a < H; a++) assert.ok(Math.abs(x[a] - pred.x[a]) <= run.levelRemainder + 1e-13, `μ² = ${mu2}, N_h = ${H}, level ${a}: ${x[a]} vs ${pred.x[a]} (bound ${run.levelRemainder})`);
    const f = modeWeightFractions(run.rbm.w, N, H, modes.basis);
    assert.ok(Math.abs(f.reduce((s, v) => s + v, 0) - 1) < 1e-14);
    const outside = 1 - Array.from(pred.learned).reduce((s, k) => s + f[k], 0);
    // at the limit the columns lie in the learned modes, so ‖P_out W_T‖ ≤ ‖W_T − W_∞‖ ≤ the weight remainder
    const norm2 = run.rbm.w.reduce((s, v) => s + v * v, 0);
    assert.ok(outside <= run.weightRemainder ** 2 / norm2 + 1e-15, `weight outside the learned modes: ${outside} (bound ${run.weightRemainder ** 2 / norm2})`);
    assert.ok(outside < 1e-6);
  }
});

test("ExactGradientRbm.sample: draws have the model covariance K⁻¹", () => {
  const H = 2, mu2 = 4;
  const w = new Float64Array(N * H);
  for (let i = 0; i < N; i++) for (let a = 0; a < H; a++) w[i * H + a] = modes.basis[i * N + a];
  const rbm = new ExactGradientRbm({ covariance: C, visible: N, hidden: H, mu2, alpha: 0.01, initWeights: w });
  const n = 40000;
  const s = rbm.sample(new Stream(11), n);
  const cov = sampleCovariance(s, n, N, false);
  // along mode 0 the kernel is μ² − 1 = 3, so the variance is 1/3; along mode 5 it is 1/μ² = 1/4
  for (const [k, v] of [[0, 1 / 3], [5, 1 / 4]] as const) {
    let q = 0;
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) q += modes.basis[i * N + k] * cov[i * N + j] * modes.basis[j * N + k];
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
