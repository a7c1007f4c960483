import { test } from "node:test";
import assert from "node:assert/strict";
import { Stream } from "../../lib/random";
import {
  GaussianRbm,
  pcdElementVariance,
  pcdElementVariances,
  pcdGaussianSpectra,
  pcdMeanShift,
  pcdMeanMatrix,
} from "../../lib/models";
import { rbmModePotential } from "../../lib/diffusion";
import { twoChargeGas, quadraticPotential } from "../../lib/rmt";
import { meanWithError } from "../../lib/stats";

const mu2 = 8;

test("pcdElementVariance: the small-α limit is 2αx*(f + τ)/|B| with the chains' autocorrelation time τ", () => {
  for (const kappa of [1.382, 3, 5]) {
    const x = mu2 - kappa,
      rho2 = (x / mu2) ** 2,
      tau = (1 + rho2) / (1 - rho2);
    for (const [batch, samples] of [
      [16, Infinity],
      [64, 4096],
    ]) {
      const alpha = 1e-7;
      const f = samples === Infinity ? 1 : (samples - batch) / (samples - 1);
      const got = pcdElementVariance({ kappa: [kappa], mu2, alpha, batch, samples }, 0, 0);
      const limit = (2 * alpha * x * (f + tau)) / batch;
      assert.ok(Math.abs(got / limit - 1) < 1e-5, `κ = ${kappa}, |B| = ${batch}: ${got} against ${limit}`);
    }
  }
});

test("pcdElementVariances: a degenerate pair is a GOE block (off-diagonal variance half the diagonal), and 'blocks' cuts the coupling of different κ", () => {
  const o = { kappa: [1.382, 1.382, 1], mu2, alpha: 0.02, batch: 32 };
  const v = pcdElementVariances(o);
  assert.ok(Math.abs(v[1] / v[0] - 0.5) < 1e-12);
  assert.ok(Math.abs(v[4] / v[0] - 1) < 1e-12);
  assert.ok(v[2] > 0 && v[2] === v[6]);
  const b = pcdElementVariances(o, "blocks");
  assert.equal(b[2], 0);
  assert.equal(b[1], v[1]);
});

test("pcdElementVariance: the Lyapunov solution equals the variance of a direct simulation of the linear recursion", () => {
  // The two-state recursion of the header, iterated with its own noises (an independent check of
  // the algebra of A, Q and the 3×3 solve). Batch means of 2000 steps give the error.
  const kappa = 1.382,
    alpha = 0.02,
    batch = 8;
  const x = mu2 - kappa,
    v = 1 / kappa,
    rho = x / mu2,
    r = rho * rho;
  const c = (2 * x * v + 1) / mu2 ** 2,
    g = 2 * alpha * x;
  const sdC = Math.sqrt((2 * v * v) / batch),
    sdNu = Math.sqrt((2 * v * v * (1 - r * r)) / batch);
  const s = new Stream("test/pcd-linear", 0);
  let y = 0,
    m = 0;
  const blocks: number[] = [];
  let acc = 0;
  for (let n = 0; n < 2000 * 400 + 5000; n++) {
    m = r * m + c * y + sdNu * s.normal();
    y = y + g * (sdC * s.normal() - m);
    if (n >= 5000) {
      acc += y * y;
      if ((n - 5000 + 1) % 2000 === 0) {
        blocks.push(acc / 2000);
        acc = 0;
      }
    }
  }
  const est = meanWithError(blocks);
  const want = pcdElementVariance({ kappa: [kappa], mu2, alpha, batch }, 0, 0);
  assert.ok(Math.abs(est.value - want) < 4 * est.se, `simulated ${est.value} ± ${est.se}, Lyapunov ${want}`);
  // and the white-chain picture (chains independent between steps: 2αx*(f + 1)/|B|) is far off
  const white = (2 * alpha * x * 2) / batch;
  assert.ok(Math.abs(est.value - white) > 10 * est.se);
});

test("pcdElementVariance: predicts the width of a real one-mode PCD run (nonlinear, finite data set) within its error", () => {
  // A 1×1 Gaussian RBM on n samples of variance exactly 1/κ, trained by GaussianRbm itself:
  // an independent simulation of the linearised theory. x = w² is sampled every step after the
  // transient; batch means over 1000 steps (≫ the relaxation time 1/(αΩ) ≈ 7) give the error.
  const kappa = 2,
    alpha = 0.05,
    batch = 256,
    n = 4096;
  const z = new Stream("test/pcd-rbm-data", 0).fillNormal(new Float64Array(n));
  const norm = Math.sqrt(z.reduce((a, b) => a + b * b, 0) / n);
  const data = z.map((u) => u / norm / Math.sqrt(kappa));
  const rbm = new GaussianRbm({
    visible: 1,
    hidden: 1,
    mu2,
    data,
    alpha,
    batch,
    stream: new Stream("test/pcd-rbm", 0),
    initWeights: [Math.sqrt(mu2 - kappa)],
  });
  rbm.run(500);
  const xs = mu2 - kappa;
  const blocks: number[] = [];
  for (let b = 0; b < 40; b++) {
    let acc = 0;
    for (let t = 0; t < 1000; t++) {
      rbm.run(1);
      acc += (rbm.w[0] ** 2 - xs) ** 2;
    }
    blocks.push(acc / 1000);
  }
  const est = meanWithError(blocks);
  const want = pcdElementVariance({ kappa: [kappa], mu2, alpha, batch, samples: n }, 0, 0);
  // second-order (anharmonic) terms are O((σ/ℓ)²) ≈ 2 % here, below the 4-se band (≈ 7 %; measured +1.4 % ± 1.7 %)
  assert.ok(Math.abs(est.value - want) < 4 * est.se, `PCD ${est.value} ± ${est.se}, linear theory ${want}`);
  const rho2 = (xs / mu2) ** 2;
  const white = want * (((n - batch) / (n - 1) + 1) / ((n - batch) / (n - 1) + (1 + rho2) / (1 - rho2)));
  assert.ok(Math.abs(est.value - white) > 4 * est.se, `white-chain alternative ${white} not excluded`);
});

test("pcdGaussianSpectra: seeded, ascending, and an isolated degenerate pair has the surmise's mean spacing √π σ", () => {
  const o = { kappa: [2, 2, 5], mu2, alpha: 0.01, batch: 64 };
  const a = pcdGaussianSpectra(o, 50, new Stream("test/pcd-gm", 0));
  const b = pcdGaussianSpectra(o, 50, new Stream("test/pcd-gm", 0));
  assert.deepEqual(
    a.map((r) => Array.from(r)),
    b.map((r) => Array.from(r)),
  );
  for (const r of a) assert.ok(r[0] <= r[1] && r[1] <= r[2]);
  const s = pcdGaussianSpectra(o, 20000, new Stream("test/pcd-gm", 1), "blocks");
  const sp = meanWithError(s.map((r) => r[2] - r[1]));
  const sigma = Math.sqrt(pcdElementVariance(o, 0, 0));
  assert.ok(
    Math.abs(sp.value - Math.sqrt(Math.PI) * sigma) < 4 * sp.se,
    `${sp.value} ± ${sp.se} against ${Math.sqrt(Math.PI) * sigma}`,
  );
});

test("pcdElementVariance: bad input", () => {
  assert.throws(() => pcdElementVariance({ kappa: [9], mu2, alpha: 0.01, batch: 8 }, 0, 0), /must lie in \(0, μ²/);
  assert.throws(() => pcdElementVariance({ kappa: [1], mu2: -1, alpha: 0.01, batch: 8 }, 0, 0), /μ²/);
  assert.throws(() => pcdElementVariance({ kappa: [1], mu2, alpha: 0, batch: 8 }, 0, 0), /learning rate/);
  assert.throws(() => pcdElementVariance({ kappa: [1], mu2, alpha: 0.01, batch: 0 }, 0, 0), /batch/);
  assert.throws(() => pcdElementVariance({ kappa: [1], mu2, alpha: 0.01, batch: 8 }, 0, 1), /j/);
  assert.throws(() => pcdElementVariance({ kappa: [1], mu2, alpha: 0.01, batch: 8, samples: 4 }, 0, 0), /samples/);
  // det A = r, so the linear update is stable while gc < 2(1 + r): α < 1.08 for κ = 1 (the chains'
  // lag moves the limit far beyond the quasi-static αΩ < 2, α < 0.14)
  assert.doesNotThrow(() => pcdElementVariance({ kappa: [1], mu2, alpha: 1.07, batch: 8 }, 0, 0));
  assert.throws(() => pcdElementVariance({ kappa: [1], mu2, alpha: 1.09, batch: 8 }, 0, 0), /unstable/);
  assert.throws(() => pcdGaussianSpectra({ kappa: [1], mu2, alpha: 0.01, batch: 8 }, 0, new Stream(1, 0)), /runs/);
});

test("twoChargeGas: a quadratic well gives the surmise's ⟨S⟩ = √π σ (second-order quadrature), and the RBM's wall pushes the pair down", () => {
  const omega = 3,
    g2 = 0.02,
    sigma = Math.sqrt(g2 / omega);
  const errs = [200, 400].map((n) =>
    Math.abs(
      twoChargeGas(quadraticPotential(omega, 1).value, g2, 1 - 10 * sigma, 1 + 10 * sigma, n).meanSpacing /
        (Math.sqrt(Math.PI) * sigma) -
        1,
    ),
  );
  assert.ok(errs[0] / errs[1] > 3.8 && errs[0] / errs[1] < 4.2, `order 2: error ratio ${errs[0] / errs[1]}`);
  const sym = twoChargeGas(quadraticPotential(omega, 1).value, g2, 1 - 10 * sigma, 1 + 10 * sigma);
  assert.ok(Math.abs(sym.meanSpacing / (Math.sqrt(Math.PI) * sigma) - 1) < 5e-5);
  assert.ok(Math.abs(sym.meanCentre - 1) < 1e-12);
  // The RBM level nearest the wall: V''' = −4μ²/κ³ < 0 softens the lower side, so the centre moves
  // by ½V'''⟨δx²⟩/Ω with ⟨δx²⟩ = 3σ²/2 per level of a GOE pair: −(3/2)μ²σ²/(κx*) to leading order.
  const kappa = 1.382,
    x = mu2 - kappa,
    om = (2 * x) / kappa ** 2,
    s2 = 0.001;
  const wall = twoChargeGas(
    rbmModePotential(kappa, mu2, 2).potential,
    s2 * om,
    x - 12 * Math.sqrt(s2),
    Math.min(x + 12 * Math.sqrt(s2), mu2),
  );
  const shift = wall.meanCentre - x,
    pert = (-1.5 * mu2 * s2) / (kappa * x);
  assert.ok(Math.abs(shift / pert - 1) < 0.02, `shift ${shift}, perturbative ${pert}`);
  assert.throws(() => twoChargeGas(rbmModePotential(kappa, mu2, 2).potential, 0.01, 6, 9), /not finite/);
  assert.throws(() => twoChargeGas(quadraticPotential(1).value, -1, 0, 1), /g²/);
});

/** Data with exactly the covariance diag(1/κ): orthonormal columns scaled by √n/√κ_k. */
function exactModeData(kappa: number[], n: number, stream: Stream): Float64Array {
  const V = kappa.length,
    z = stream.fillNormal(new Float64Array(n * V));
  for (let k = 0; k < V; k++) {
    for (let q = 0; q < k; q++) {
      // Gram–Schmidt against the earlier columns
      let d = 0;
      for (let b = 0; b < n; b++) d += z[b * V + k] * z[b * V + q];
      for (let b = 0; b < n; b++) z[b * V + k] -= (d / n) * z[b * V + q];
    }
    let s = 0;
    for (let b = 0; b < n; b++) s += z[b * V + k] ** 2;
    for (let b = 0; b < n; b++) z[b * V + k] *= Math.sqrt(n / s / kappa[k]);
  }
  return z;
}

/** Time averages of the diagonal of WWᵀ over a long PCD run, in blocks (batch means). */
function pcdDiagonalMeans(
  kappa: number[],
  alpha: number,
  batch: number,
  blocks: number,
  blockSteps: number,
  name: string,
) {
  const n = 4096,
    V = kappa.length;
  const data = exactModeData(kappa, n, new Stream(`${name}/data`, 0));
  const w0 = Array.from({ length: V * V }, (_, k) => (k % (V + 1) === 0 ? Math.sqrt(mu2 - kappa[k / (V + 1)]) : 0));
  const rbm = new GaussianRbm({
    visible: V,
    hidden: V,
    mu2,
    data,
    alpha,
    batch,
    stream: new Stream(name, 0),
    initWeights: w0,
  });
  rbm.run(Math.ceil(20 / (alpha * 0.1)));
  const per = kappa.map(() => [] as number[]);
  for (let b = 0; b < blocks; b++) {
    const acc = new Float64Array(V);
    for (let t = 0; t < blockSteps; t++) {
      rbm.run(1);
      for (let i = 0; i < V; i++) {
        let y = 0;
        for (let a = 0; a < V; a++) y += rbm.w[i * V + a] ** 2;
        acc[i] += y;
      }
    }
    acc.forEach((v, i) => per[i].push(v / blockSteps - (mu2 - kappa[i])));
  }
  return { means: per.map((p) => meanWithError(p)), setup: { kappa, mu2, alpha, batch, samples: n } };
}

test("pcdMeanShift: one PCD mode sits below its target by the second-order shift (time average of a real GaussianRbm run); the linear theory's 0 is rejected", () => {
  // κ = 2, x* = 6, α = 0.05, |B| = 16: σ ≈ 0.3, the predicted shift ≈ −0.05; 60 blocks of 2000 steps
  // (the relaxation time 1/(αΩ) ≈ 7 steps). Third-order terms are O(σ²/ℓ²) of the shift, ℓ = κx*/2μ² = 0.375.
  const { means, setup } = pcdDiagonalMeans([2], 0.05, 16, 60, 2000, "test/pcd-mean-one");
  const want = pcdMeanShift(setup)[0];
  assert.ok(want < 0);
  assert.ok(
    Math.abs(means[0].value - want) < 4 * means[0].se,
    `run ${means[0].value} ± ${means[0].se}, second order ${want}`,
  );
  assert.ok(Math.abs(means[0].value) > 4 * means[0].se, "the linear theory (no shift) is not rejected");
});

test("pcdMeanShift: two coupled modes (κ = 3, 5) shift by their own and each other's fluctuations, as a real two-mode PCD run measures", () => {
  // α = 0.08, |B| = 16: predicted shifts −0.028 and −0.033 (half of the latter from the other mode), σ ≈ 0.41
  // and 0.27, relaxation times 11 and 52 steps; 200 blocks of 2000 steps
  const { means, setup } = pcdDiagonalMeans([3, 5], 0.08, 16, 200, 2000, "test/pcd-mean-two");
  const want = pcdMeanShift(setup);
  means.forEach((m, i) => {
    assert.ok(Math.abs(m.value - want[i]) < 4 * m.se, `mode ${i}: run ${m.value} ± ${m.se}, second order ${want[i]}`);
    assert.ok(Math.abs(m.value) > 4 * m.se, `mode ${i}: the linear theory's 0 is not rejected`);
  });
  // the cross terms matter: each mode alone predicts a different shift
  const alone = [0, 1].map((i) => pcdMeanShift({ ...setup, kappa: [setup.kappa[i]] })[0]);
  assert.ok(
    alone.some((a, i) => Math.abs(means[i].value - a) > 4 * means[i].se),
    `single-mode shifts ${alone} fit as well`,
  );
});

test("pcdMeanMatrix: the stationary mean, plus a start's deviation relaxed by each element's linear map; bad starts are refused", () => {
  const o = { kappa: [1, 1.4, 1.4, 3], mu2, alpha: 0.01, batch: 32, samples: 4096 };
  const n = 4,
    lin = pcdMeanMatrix(o),
    second = pcdMeanMatrix(o, { secondOrder: true }),
    shift = pcdMeanShift(o);
  for (let i = 0; i < n; i++) {
    assert.equal(lin[i * n + i], mu2 - o.kappa[i]);
    assert.equal(second[i * n + i], mu2 - o.kappa[i] + shift[i]);
  }
  const y = Float64Array.from(second);
  y[0] += 0.3;
  y[1] = y[4] = 0.05;
  // no steps: the start itself, up to the chains' fresh start (which acts only from the first step)
  const m0 = pcdMeanMatrix(o, { secondOrder: true, start: { y, steps: 0 } });
  assert.deepEqual(Array.from(m0), Array.from(y));
  // many steps: back to the stationary mean
  const far = pcdMeanMatrix(o, { secondOrder: true, start: { y, steps: 20000 } });
  far.forEach((v, k) => assert.ok(Math.abs(v - second[k]) < 1e-9));
  // in between the off-diagonal deviation decays, and the start's sign is kept
  const mid = pcdMeanMatrix(o, { secondOrder: true, start: { y, steps: 100 } });
  assert.ok(mid[1] > 0 && mid[1] < 0.05 && mid[1] === mid[4]);
  const bad = Float64Array.from(y);
  bad[1] = 1;
  assert.throws(() => pcdMeanMatrix(o, { start: { y: bad, steps: 10 } }), /symmetric/);
  assert.throws(() => pcdMeanMatrix(o, { start: { y: y.subarray(1), steps: 10 } }), /start.y/);
  assert.throws(() => pcdGaussianSpectra(o, 2, new Stream("test/pcd-gm", 2), "full", { mean: [1, 2] }), /mean/);
});
