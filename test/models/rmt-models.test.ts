import { test } from "node:test";
import assert from "node:assert/strict";
import {
  teacherStudentData,
  TeacherStudentSgd,
  GaussianRbm,
  latticeSpectrum,
  latticeKernel,
  latticeFieldData,
  latticeModes,
  alignedRbmWeights,
  rbmModeDiagonal,
  rbmModeMatrix,
  rbmRuns,
  teacherStudentGapRuns,
} from "../../lib/models";
import { meanWithError } from "../../lib/stats";
import { symmetricEigenvalues } from "../../lib/linalg";
import { Stream } from "../../lib/random";
import { pairSpacingsAndGap, levelsByTarget, degeneratePairs } from "../../lib/rmt";

test("teacher–student data: whitened inputs, white noise orthogonal to them, and the least-squares solution is exactly the teacher", () => {
  const d = teacherStudentData({
    inputs: 4,
    outputs: 6,
    samples: 40,
    target: [1, 1, 2, 2],
    noise: 0.3,
    stream: new Stream(51, 0),
  });
  const { x, y, teacher } = d;
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++) {
      let s = 0;
      for (let b = 0; b < 40; b++) s += x[b * 4 + i] * x[b * 4 + j];
      assert.ok(Math.abs(s / 40 - (i === j ? 1 : 0)) < 1e-12);
    }
  // (YᵀX)/n = W*: the full-batch gradient vanishes at the teacher.
  for (let i = 0; i < 6; i++)
    for (let j = 0; j < 4; j++) {
      let s = 0;
      for (let b = 0; b < 40; b++) s += y[b * 6 + i] * x[b * 4 + j];
      assert.ok(Math.abs(s / 40 - teacher[i * 4 + j]) < 1e-12);
    }
  const sgd = new TeacherStudentSgd(d, 0.05, 40, new Stream(51, 1));
  assert.deepEqual(
    Array.from(sgd.spectrum(), (v) => +v.toFixed(10)),
    [1, 1, 2, 2],
  );
  sgd.run(10); // |B| = n: full-batch GD stays at the minimum
  assert.ok(Math.abs(sgd.spectrum()[3] - 2) < 1e-12);
  const noisy = new TeacherStudentSgd(d, 0.05, 2, new Stream(51, 2)).run(200);
  assert.ok(Math.abs(noisy.spectrum()[0] - 1) > 1e-4, "minibatches keep W moving");
});

test("teacher–student: bad learning rate, batch size and sizes are refused", () => {
  const d = teacherStudentData({
    inputs: 2,
    outputs: 2,
    samples: 8,
    target: [1, 1],
    noise: 0.1,
    stream: new Stream(52, 0),
  });
  assert.throws(() => new TeacherStudentSgd(d, 0, 2, new Stream(1)), /learning rate α must be a finite number > 0/);
  assert.throws(() => new TeacherStudentSgd(d, -1, 2, new Stream(1)), /learning rate α/);
  assert.throws(
    () => new TeacherStudentSgd(d, 0.1, 0, new Stream(1)),
    /batch size \|B\| must be an integer in \[1, 8\]/,
  );
  assert.throws(
    () => teacherStudentData({ inputs: 2, outputs: 2, samples: 3, target: [1, 1], noise: 0.1, stream: new Stream(1) }),
    /samples/,
  );
});

test("lattice field: κ_k = m² + 2 − 2cos(2πk/N) is the spectrum of K, and the data's covariance is exactly K⁻¹", () => {
  const N = 6,
    m2 = 0.5;
  const k = latticeKernel(N, m2);
  const ev = symmetricEigenvalues(k, N),
    kap = latticeSpectrum(N, m2);
  for (let i = 0; i < N; i++) assert.ok(Math.abs(ev[i] - kap[i]) < 1e-13);
  const data = latticeFieldData(N, m2, 50, new Stream(53, 0));
  // C = (1/n) Σ φφᵀ must satisfy C·K = I.
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let l = 0; l < N; l++) {
        let c = 0;
        for (let b = 0; b < 50; b++) c += data[b * N + i] * data[b * N + l];
        s += (c / 50) * k[l * N + j];
      }
      assert.ok(Math.abs(s - (i === j ? 1 : 0)) < 1e-12);
    }
});

test("RBM: PCD learns the target spectrum μ² − κ up to the SGD spread; bad input is refused", () => {
  const N = 6,
    m2 = 1,
    mu2 = 6;
  const data = latticeFieldData(N, m2, 400, new Stream(54, 0));
  const rbm = new GaussianRbm({
    visible: N,
    hidden: N,
    mu2,
    data,
    alpha: 0.01,
    batch: 32,
    stream: new Stream(54, 1),
    initScale: 1,
  });
  rbm.run(8000);
  const mean = new Float64Array(N);
  for (let r = 0; r < 50; r++) {
    const sp = rbm.run(100).spectrum();
    for (let i = 0; i < N; i++) mean[i] += sp[i] / 50;
  }
  const target = Array.from(latticeSpectrum(N, m2), (k) => mu2 - k).sort((a, b) => a - b);
  for (let i = 0; i < N; i++) assert.ok(Math.abs(mean[i] - target[i]) < 0.35, `mode ${i}: ${mean[i]} vs ${target[i]}`);
  assert.throws(
    () => new GaussianRbm({ visible: N, hidden: N, mu2, data, alpha: 0, batch: 4, stream: new Stream(1) }),
    /learning rate α/,
  );
  assert.throws(
    () => new GaussianRbm({ visible: N, hidden: N, mu2, data, alpha: 0.1, batch: 0, stream: new Stream(1) }),
    /batch size/,
  );
});

test("RBM with aligned weights: one PCD run follows the exact-gradient map x' = x(1 + α(1/κ − 1/(μ² − x)))², not the factor-1 drift", async () => {
  const { alignedRbmWeights, latticeModes, rbmExactGradientSpectrum, rbmRuns } = await import("../../lib/models");
  const { kappa, basis } = latticeModes(6, 1);
  // the modes are orthonormal eigenvectors of K with the listed κ
  const K = latticeKernel(6, 1);
  for (let a = 0; a < 6; a++) {
    for (let b = 0; b < 6; b++) {
      let dot = 0,
        kab = 0;
      for (let i = 0; i < 6; i++) {
        dot += basis[i * 6 + a] * basis[i * 6 + b];
        for (let j = 0; j < 6; j++) kab += basis[i * 6 + a] * K[i * 6 + j] * basis[j * 6 + b];
      }
      assert.ok(Math.abs(dot - (a === b ? 1 : 0)) < 1e-12 && Math.abs(kab - (a === b ? kappa[a] : 0)) < 1e-12);
    }
  }
  const w = alignedRbmWeights(6, 1, 6, 0.5);
  const spec = { sites: 6, mass2: 1, mu2: 6, samples: 4096, dataSeed: 2 };
  const steps = 150,
    alpha = 0.01;
  const res = rbmRuns({ spec, alpha, batch: 64, steps, seed: 3, first: 0, count: 4, initWeights: Array.from(w) });
  const trace = res.spectra.reduce((a, e) => a + e.reduce((u, v) => u + v, 0), 0) / 4;
  const x0 = new Array(6).fill(0.5);
  const two = rbmExactGradientSpectrum(kappa, 6, x0, alpha, steps).reduce((a, b) => a + b, 0);
  const one = rbmExactGradientSpectrum(kappa, 6, x0, alpha, steps, 1).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(trace - two) < 0.05 * two, `PCD trace ${trace}, exact-gradient map ${two}`);
  assert.ok(Math.abs(trace - one) > 0.2 * one, `factor-1 map ${one} should be far from ${trace}`);
});

test("ensemble tasks: blocks give the same runs whatever the block size, and the stream index fixes each run", async () => {
  const { teacherStudentRuns, runBlocks } = await import("../../lib/models");
  const spec = { inputs: 3, outputs: 3, samples: 32, target: [1, 1, 2], noise: 0.5, dataSeed: 4 };
  const base = { spec, alpha: 0.05, batch: 4, steps: 40, seed: 9 };
  const whole = teacherStudentRuns({ ...base, first: 10, count: 5, checkpoints: [10, 40] });
  const parts = runBlocks(base, 5, { first: 10, size: 2 }).map((b) => teacherStudentRuns(b));
  assert.deepEqual(
    parts.flatMap((p) => p.spectra),
    whole.spectra,
  );
  assert.deepEqual(
    whole.history.map((h) => h[1]),
    whole.spectra,
  ); // the last checkpoint is the end
  assert.notDeepEqual(whole.spectra[0], whole.spectra[1]);
  assert.throws(() => teacherStudentRuns({ ...base, first: 0, count: 1, checkpoints: [30, 20] }), /ascending/);
});

test("teacher–student pair width: the discrete-step formula (with f and k₄) matches an ensemble, the leading order is its α → 0 limit", async () => {
  const { teacherStudentPairWidth, teacherStudentRuns, teacherStudentDataOf } = await import("../../lib/models");
  const { meanSpacing } = await import("../../lib/rmt");
  const spec = { inputs: 2, outputs: 2, samples: 48, target: [4, 4], noise: 1, dataSeed: 5 };
  const data = teacherStudentDataOf(spec);
  const alpha = 0.15,
    batch = 2;
  const w = teacherStudentPairWidth(data, alpha, batch);
  assert.ok(Math.abs(w.q - 1) < 0.2 && Math.abs(w.k4 - 3) < 1, `q ${w.q}, k4 ${w.k4}`);
  const tiny = teacherStudentPairWidth(data, 1e-6, 1);
  assert.ok(Math.abs(tiny.discrete(1) / tiny.leading(1) - w.q) < 1e-3);
  const runs = teacherStudentRuns({ spec, alpha, batch, steps: 150, seed: 2, first: 0, count: 1500 });
  const S = meanSpacing(runs.spectra, 0);
  const sigma2 = (S.value * S.value) / Math.PI,
    se = (2 * S.value * S.se) / Math.PI;
  assert.ok(Math.abs(sigma2 - w.discrete(4)) < 4 * se, `σ² ${sigma2} ± ${se} vs ${w.discrete(4)}`);
  // the finite-population and step corrections are resolved here: the leading order is off
  assert.ok(
    Math.abs(sigma2 - w.leading(4)) > 4 * se,
    `leading ${w.leading(4)} should be excluded (σ² ${sigma2} ± ${se})`,
  );
  assert.throws(() => teacherStudentPairWidth(data, 1.5, 4), /no stationary variance/);
});

test("degenerate pairs: found in a sorted target; spacings and levels per pair", async () => {
  const { degeneratePairs, pairSpacings, pairLevels } = await import("../../lib/rmt");
  assert.deepEqual(degeneratePairs([1, 2, 2, 3, 4, 4]), [1, 4]);
  assert.throws(() => degeneratePairs([1, 1, 1]), /multiplicity/);
  const spectra = [
    [0.9, 1.1, 2],
    [0.8, 1.3, 2],
  ];
  assert.deepEqual(
    Array.from(pairSpacings(spectra, 0)).map((v) => +v.toFixed(12)),
    [0.2, 0.5],
  );
  assert.deepEqual(Array.from(pairLevels(spectra, 0)), [0.9, 1.1, 0.8, 1.3]);
});

test("teacher–student pair spacing beyond first order: δ(x*) matches the exact gap of W* + Δ for Gaussian Δ (paired with the first-order gap)", async () => {
  // Independent of the derivation: sample Δ with i.i.d. N(0, v) entries around W* = [diag(√x); 0],
  // compute the exact eigenvalues of WᵀW and, from the same Δ, the first-order gap
  // 2ξ|(p − s, q + r)| of the pair's block, whose mean is √(π·4x*v) exactly. The paired difference
  // resolves δ to a few percent of itself; the first-order prediction δ = 0 and the within-pair
  // term alone, v/(4x*), are excluded.
  const { pairSpacingCorrection } = await import("../../lib/models");
  const { SymmetricEigen } = await import("../../lib/linalg");
  const { Stream } = await import("../../lib/random");
  const target = [1, 1, 2, 2, 3, 3, 4, 4],
    N = 8,
    v = 2.5e-4,
    n = 40000;
  for (const M of [8, 10]) {
    const s = new Stream(3, M),
      eig = new SymmetricEigen(N);
    const d = new Float64Array(M * N),
      w = new Float64Array(M * N),
      x = new Float64Array(N * N),
      ev = new Float64Array(N);
    const sum = [0, 0, 0, 0],
      sum2 = [0, 0, 0, 0];
    for (let r = 0; r < n; r++) {
      s.fillNormal(d);
      for (let k = 0; k < d.length; k++)
        w[k] = Math.sqrt(v) * d[k] + (k % (N + 1) === 0 && k < N * N ? Math.sqrt(target[k / (N + 1)]) : 0);
      x.fill(0);
      for (let m = 0; m < M; m++)
        for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) x[i * N + j] += w[m * N + i] * w[m * N + j];
      eig.values(x, ev, Infinity);
      for (let p = 0; p < 4; p++) {
        const a = 2 * p,
          b = a + 1,
          sv = Math.sqrt(v);
        const first =
          2 * Math.sqrt(target[a]) * sv * Math.hypot(d[a * N + a] - d[b * N + b], d[a * N + b] + d[b * N + a]);
        const D = ev[b] - ev[a] - first;
        sum[p] += D;
        sum2[p] += D * D;
      }
    }
    for (let p = 0; p < 4; p++) {
      const xs = target[2 * p],
        S1 = Math.sqrt(Math.PI * 4 * xs * v);
      const mean = sum[p] / n,
        se = Math.sqrt((sum2[p] / n - mean * mean) / (n - 1));
      const measured = mean / S1,
        err = se / S1,
        predicted = pairSpacingCorrection(target, M, xs, v);
      assert.ok(
        Math.abs(measured - predicted) < 4 * err,
        `M = ${M}, x* = ${xs}: δ measured ${measured} ± ${err}, predicted ${predicted}`,
      );
      assert.ok(Math.abs(measured) > 4 * err, `first order (δ = 0) should be excluded at x* = ${xs}`);
      assert.ok(
        Math.abs(measured - (v * (1 + M - N)) / (4 * xs)) > 4 * err,
        `within-pair term alone should be excluded at x* = ${xs}`,
      );
    }
  }
  assert.throws(() => pairSpacingCorrection([1, 2, 3], 3, 2, 1e-3), /degenerate pair/);
  assert.throws(() => pairSpacingCorrection([1, 1, 2], 2, 1, 1e-3), /outputs/);
});

test("pairSpacingsAndGap: each pair's spacing, then the gap from the last pair's centre to the level above", () => {
  assert.deepEqual(pairSpacingsAndGap([1, 1.5, 2, 3, 3.2, 4], [0, 3]), [0.5, 0.20000000000000018, 4 - 3.1]);
  assert.throws(() => pairSpacingsAndGap([1, 2, 3], [1]), /no level above/);
  assert.throws(() => pairSpacingsAndGap([1, 2, 3], []), /at least one pair/);
});

test("falsified readings of notebook 09: the diagonal in the target's basis (modeDiagonal, rbmModeDiagonal, rbmModeMatrix) is the target at the teacher / at aligned weights, sums to tr WᵀW, and the tasks' \"diagonal\" levels come sorted by target, pairs ascending", () => {
  const data = teacherStudentData({
    inputs: 4,
    outputs: 5,
    samples: 64,
    target: [2, 1, 2, 1],
    noise: 0.5,
    stream: new Stream("test/ts-diag", 0),
  });
  const m = new TeacherStudentSgd(data, 0.01, 4, new Stream("test/ts-diag", 1));
  Array.from(m.modeDiagonal()).forEach((v, k) => assert.ok(Math.abs(v - [2, 1, 2, 1][k]) < 1e-12));
  m.run(50);
  const d = m.modeDiagonal(),
    e = m.spectrum();
  assert.ok(Math.abs(d.reduce((a, v) => a + v, 0) - e.reduce((a, v) => a + v, 0)) < 1e-12);
  const sorted = levelsByTarget(d, data.levels);
  assert.deepEqual(Array.from(sorted), [...[d[1], d[3]].sort((a, b) => a - b), ...[d[0], d[2]].sort((a, b) => a - b)]);
  assert.throws(() => levelsByTarget([1, 2], [1]), /levelsByTarget/);
  const w = alignedRbmWeights(6, 1, 6, 0.7);
  Array.from(rbmModeDiagonal(w, 6, 6, 1)).forEach((v) => assert.ok(Math.abs(v - 0.7) < 1e-12));
  const w2 = Float64Array.from(w, (v, k) => v + 0.01 * Math.sin(k));
  const y = rbmModeMatrix(w2, 6, 6, 1),
    diag = rbmModeDiagonal(w2, 6, 6, 1);
  diag.forEach((v, k) => assert.ok(Math.abs(v - y[k * 6 + k]) < 1e-12));
  assert.ok(
    Math.abs(symmetricEigenvalues(y, 6).reduce((a, v) => a + v, 0) - w2.reduce((a, v) => a + v * v, 0)) < 1e-12,
  );
  const spec = { sites: 6, mass2: 1, mu2: 8, samples: 256, dataSeed: 3 };
  const block = rbmRuns({
    spec,
    alpha: 0.01,
    batch: 16,
    steps: 20,
    seed: "test/rbm-diag",
    first: 0,
    count: 2,
    checkpoints: [10],
    keepWeights: true,
    initWeights: Array.from(alignedRbmWeights(6, 1, 6, 3)),
  });
  const byMode = Array.from(latticeModes(6, 1).kappa, (k) => 8 - k),
    target = [...byMode].sort((a, b) => a - b);
  block.diagonals.forEach((run, r) => {
    for (const p of degeneratePairs(target)) assert.ok(run[p] <= run[p + 1]);
    // the same run read two ways: the diagonal in the modes' basis, sorted by target, and the spectrum
    assert.deepEqual(
      run,
      Array.from(levelsByTarget(rbmModeDiagonal(Float64Array.from(block.weights![r]), 6, 6, 1), byMode)),
    );
    const trace = (v: number[]) => v.reduce((a, x) => a + x, 0);
    assert.ok(Math.abs(trace(run) - trace(block.spectra[r])) < 1e-10);
    assert.ok(Math.abs(trace(block.diagonalHistory[r][0]) - trace(block.history[r][0])) < 1e-10);
    // coupled levels: the first run's spectrum is not its diagonal (the pairs mix during training)
    assert.ok(Math.max(...run.map((x, k) => Math.abs(x - block.spectra[r][k]))) > 1e-9);
  });
  assert.throws(
    () =>
      teacherStudentGapRuns({
        spec: { inputs: 4, outputs: 4, samples: 64, target: [1, 1, 2, 2], noise: 0.5, dataSeed: 1 },
        alpha: 0.01,
        batch: 8,
        steps: 1,
        seed: "test/ts-gap",
        first: 0,
        count: 1,
        levels: "trace" as "diagonal",
      }),
    /levels/,
  );
});

test("Langevin in place of minibatch noise: the teacher–student's per-entry variance is 2T/(2 − α) whatever |B|; the RBM's level variance is 2Tκ² (stationary law ∝ e^{L/T}); bad temperatures are refused", () => {
  const data = teacherStudentData({
    inputs: 3,
    outputs: 3,
    samples: 64,
    target: [1, 2, 3],
    noise: 1,
    stream: new Stream("test/ts-langevin", 0),
  });
  const T = 1e-3,
    alpha = 0.1;
  for (const batch of [1, 16]) {
    const m = new TeacherStudentSgd(data, alpha, batch, new Stream("test/ts-langevin", batch), { langevin: T }).run(
      200,
    );
    const blocks: number[] = [];
    for (let b = 0; b < 40; b++) {
      let acc = 0;
      for (let t = 0; t < 200; t++) {
        m.run(1);
        for (let k = 0; k < 9; k++) acc += (m.w[k] - data.teacher[k]) ** 2;
      }
      blocks.push(acc / 1800);
    }
    const v = meanWithError(blocks),
      want = (2 * T) / (2 - alpha);
    assert.ok(Math.abs(v.value - want) < 4 * v.se, `|B| = ${batch}: ${v.value} ± ${v.se} vs ${want}`);
  }
  assert.throws(() => new TeacherStudentSgd(data, alpha, 4, new Stream(1, 0), { langevin: -1 }), /temperature/);
  // one RBM mode, κ = 3: Var δx = 2Tκ² for small T (a Gaussian around ξ* with curvature 2x*/κ² in ξ)
  const kappa = 3,
    n = 1024;
  const z = new Stream("test/rbm-langevin-data", 0).fillNormal(new Float64Array(n));
  const norm = Math.sqrt(z.reduce((a, b) => a + b * b, 0) / n);
  const rbmData = z.map((u) => u / norm / Math.sqrt(kappa));
  const rbm = new GaussianRbm({
    visible: 1,
    hidden: 1,
    mu2: 8,
    data: rbmData,
    alpha: 0.05,
    batch: 8,
    stream: new Stream("test/rbm-langevin", 0),
    initWeights: [Math.sqrt(5)],
    langevin: 2e-4,
  });
  rbm.run(2000);
  const blocks: number[] = [];
  for (let b = 0; b < 40; b++) {
    let acc = 0;
    for (let t = 0; t < 500; t++) {
      rbm.run(1);
      acc += (rbm.w[0] ** 2 - 5) ** 2;
    }
    blocks.push(acc / 500);
  }
  // linearised in δξ: an AR(1) with coefficient 1 − αΩ, Ω = 2x*/κ², so Var δx = 4x*·Var δξ = 2Tκ²/(1 − αΩ/2)
  const omega = (2 * 5) / kappa ** 2;
  const v = meanWithError(blocks),
    want = (2 * 2e-4 * kappa * kappa) / (1 - (0.05 * omega) / 2);
  assert.ok(Math.abs(v.value - want) < 4 * v.se, `${v.value} ± ${v.se} vs ${want}`);
  assert.throws(
    () =>
      new GaussianRbm({
        visible: 1,
        hidden: 1,
        mu2: 8,
        data: rbmData,
        alpha: 0.05,
        batch: 8,
        stream: new Stream(1, 0),
        langevin: 0,
      }),
    /temperature/,
  );
});
