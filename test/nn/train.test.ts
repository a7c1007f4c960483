import { test } from "node:test";
import assert from "node:assert/strict";
import {
  trainFullBatch,
  quadraticObjective,
  matrixWithSpectrum,
  gradientDescent,
  edgePhase,
  digitsGdRun,
  epochBatches,
  type TrainingRun,
} from "../../lib/nn";
import { SymmetricEigen } from "../../lib/linalg";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { Stream } from "../../lib/random";

/** Eigen-decomposition by ml-matrix (independent of lib): values and row-major eigenvector columns. */
function eigen(H: Float64Array) {
  const e = new EigenvalueDecomposition(
    new Matrix(Array.from({ length: 5 }, (_, i) => Array.from(H.subarray(i * 5, i * 5 + 5)))),
  );
  return { values: e.realEigenvalues, vectors: Float64Array.from(e.eigenvectorMatrix.to1DArray()) };
}

const spectrum = [1.6, 1.0, 0.5, 0.25, 0.1];

function quadratic(seedName: string) {
  const s = Stream.named(1, seedName);
  const { H } = matrixWithSpectrum(spectrum, () => s.normal());
  return {
    H,
    obj: quadraticObjective(H, spectrum.length),
    x0: Float64Array.from({ length: spectrum.length }, () => s.normal()),
  };
}

test("matrixWithSpectrum: symmetric, with exactly the requested eigenvalues", () => {
  const { H } = quadratic("test/nn/spectrum");
  const ev = Array.from(new SymmetricEigen(5).values(H)).sort((a, b) => b - a);
  ev.forEach((v, i) => assert.ok(Math.abs(v - spectrum[i]) < 1e-13, `${v} vs ${spectrum[i]}`));
});

test("trainFullBatch on a quadratic: the loss follows ½Σλᵢ(1 − ηλᵢ)^{2t}cᵢ² exactly, and the sharpness is λ_max within its residual", () => {
  const { H, obj, x0 } = quadratic("test/nn/gd");
  const eta = 1.1; // 2/λ_max = 1.25: stable
  const run = trainFullBatch(obj, x0, gradientDescent({ eta }), {
    steps: 40,
    sharpnessEvery: 10,
    lanczosSteps: 5,
    stream: Stream.named(1, "test/nn/gd-lanczos"),
  });
  assert.equal(run.divergence, null);
  assert.equal(run.losses.length, 41);
  const { values, vectors } = eigen(H);
  const c = Array.from(values, (_, k) => {
    let s = 0;
    for (let i = 0; i < 5; i++) s += vectors[i * 5 + k] * x0[i];
    return s;
  });
  for (const t of [0, 1, 7, 40]) {
    const exact = Array.from(values, (l, k) => 0.5 * l * (1 - eta * l) ** (2 * t) * c[k] ** 2).reduce(
      (a, b) => a + b,
      0,
    );
    assert.ok(Math.abs(run.losses[t] - exact) <= 1e-12 * run.losses[0], `t = ${t}: ${run.losses[t]} vs ${exact}`);
  }
  assert.deepEqual(
    run.sharpness.map((s) => s.step),
    [0, 10, 20, 30, 40],
  );
  for (const s of run.sharpness)
    assert.ok(Math.abs(s.value - 1.6) <= Math.max(s.residual, 1e-12), `${s.value} ± ${s.residual}`);
});

test("trainFullBatch: past 2/λ_max a quadratic diverges, recorded at the first step whose loss passes maxLoss (predicted from the top mode); a non-finite loss is a divergence too", () => {
  const { H, obj, x0 } = quadratic("test/nn/diverge");
  const eta = 1.3; // |1 − ηλ_max| = 1.08
  const { values, vectors } = eigen(H);
  const c = Array.from(values, (_, k) => {
    let s = 0;
    for (let i = 0; i < 5; i++) s += vectors[i * 5 + k] * x0[i];
    return s;
  });
  const lossAt = (t: number) =>
    Array.from(values, (l, k) => 0.5 * l * (1 - eta * l) ** (2 * t) * c[k] ** 2).reduce((a, b) => a + b, 0);
  const maxLoss = 1e6 * lossAt(0);
  let tStar = 0;
  while (lossAt(tStar) <= maxLoss) tStar++;
  const run = trainFullBatch(obj, x0, gradientDescent({ eta }), { steps: 1000, maxLoss });
  assert.ok(run.divergence, "diverged");
  assert.equal(run.divergence!.step, tStar);
  assert.match(run.divergence!.reason, /exceeds maxLoss/);
  assert.equal(run.losses.length, tStar);
  assert.ok(run.losses.every(Number.isFinite));
  // θ is the last recorded iterate: its loss is the last one in the record
  assert.ok(Math.abs(obj.evaluate(run.theta).loss - run.losses[tStar - 1]) <= 1e-12 * run.losses[tStar - 1]);
  const wild = trainFullBatch(obj, x0, gradientDescent({ eta: 1e150 }), { steps: 50 });
  assert.ok(wild.divergence && wild.divergence.step >= 1 && wild.divergence.step <= 4, JSON.stringify(wild.divergence));
  assert.match(wild.divergence!.reason, /Infinity|NaN|not finite/);
  assert.ok(wild.losses.every(Number.isFinite));
});

test("bad input: η ≤ 0, a batch size out of range, θ₀ or a Lanczos start of the wrong length, sharpness without a stream, a non-symmetric H", () => {
  const { obj, x0 } = quadratic("test/nn/bad");
  assert.throws(() => gradientDescent({ eta: 0 }), /η|eta/);
  assert.throws(() => gradientDescent({ eta: -1 }), /η|eta/);
  assert.throws(() => epochBatches(10, 11, Stream.named(1, "test/nn/bad-batch")), /batch size/);
  assert.throws(() => epochBatches(10, 0, Stream.named(1, "test/nn/bad-batch")), /batch size/);
  assert.throws(
    () => trainFullBatch(obj, x0.subarray(1), gradientDescent({ eta: 1 }), { steps: 2 }),
    /θ₀ has 4 entries, the objective has 5/,
  );
  assert.throws(
    () => trainFullBatch(obj, x0, gradientDescent({ eta: 1 }), { steps: 2, sharpnessEvery: 1 }),
    /need a stream/,
  );
  assert.throws(() => trainFullBatch(obj, x0, gradientDescent({ eta: 1 }), { steps: -1 }), /steps/);
  assert.throws(
    () =>
      trainFullBatch(obj, x0, gradientDescent({ eta: 1 }), {
        steps: 2,
        sharpnessEvery: 1,
        stream: Stream.named(1, "test/nn/bad-start"),
        start: new Float64Array(3),
      }),
    /start has 3 entries, the objective has 5/,
  );
  assert.throws(() => quadraticObjective([1, 2, 3, 4], 2), /not symmetric/);
  assert.throws(() => quadraticObjective([1, 2, 3], 2), /needs 4/);
});

test("edgePhase on a constructed run: crossing, the rate from the dip, window statistics (mean, trend and its se, excess), the loss's rises in and before the window, the fall of its floor; GD below its edge; a diverged run", () => {
  const eta = 2,
    steps = 400;
  const losses = Float64Array.from({ length: steps + 1 }, (_, t) => 1 - t / 1000 + (t > 200 && t % 2 === 1 ? 0.01 : 0));
  const sharpness = [];
  // a dip first (0.6 at step 0, 0.5 at 20), then a rise of 0.0025 per step to 2/η = 1 at step 200, then ±0.02 about 1
  for (let t = 0; t <= steps; t += 20)
    sharpness.push({
      step: t,
      value: t === 0 ? 0.6 : t <= 200 ? 0.5 + (0.0025 * (t - 20)) / 0.9 : 1 + (t % 40 === 0 ? 0.02 : -0.02),
      residual: 0,
    });
  const run: TrainingRun = {
    losses,
    gradientNorms: new Float64Array(0),
    sharpness,
    theta: new Float64Array(0),
    divergence: null,
    monitored: [],
  };
  const e = edgePhase(run, eta);
  assert.equal(e.crossingStep, 200);
  assert.equal(e.atEdge, true);
  assert.ok(Math.abs(e.sharpeningRate - 0.0025 / 0.9) < 1e-15, `${e.sharpeningRate}: the dip at step 0 is left out`);
  assert.deepEqual(e.window, [300, 400]);
  assert.equal(e.count, 6); // 300, 320, …, 400: 0.98, 1.02, …
  assert.ok(Math.abs(e.mean - 1) < 1e-12); // three +0.02 and three −0.02
  assert.ok(Math.abs(e.sd - 0.02 * Math.sqrt(6 / 5)) < 1e-12);
  // trend: Σ(x − x̄)(y − ȳ) = 1.2 over Σ(x − x̄)² = 7000; residuals alternate, so their lag-1 correlation is strongly negative
  assert.ok(Math.abs(e.trend - 1.2 / 7000) < 1e-15, `${e.trend}`);
  const rss = 6 * 0.02 ** 2 - 1.2 ** 2 / 7000;
  assert.ok(Math.abs(e.trendSe - Math.sqrt(rss / 4 / 7000)) < 1e-15 && e.trendDof === 4);
  assert.ok(e.residualLag1 < -0.5);
  assert.ok(Math.abs(e.excess) < 1e-12 && Math.abs(e.excessSe - Math.sqrt(rss / 4) / Math.sqrt(6)) < 1e-15);
  assert.equal(e.increases, 50); // every even step t in [300, 400): L_{t+1} − L_t = +0.009
  assert.ok(Math.abs(e.largestRise - 0.009 / (1 - 398 / 1000)) < 1e-12, `${e.largestRise}`);
  assert.ok(
    Math.abs(e.largestRiseBefore - -0.001) < 1e-12,
    `${e.largestRiseBefore}: before the crossing the loss only falls`,
  );
  // the loss's floor: 16 blocks of 6 steps, each block's minimum at its last even step, 1 − (t + 1.5)/1000 along
  // the blocks' middles: it falls by 0.001 per step, 0.1 over the window, exactly (the +0.01 spikes are not seen)
  assert.ok(
    Math.abs(e.lossFloorDrop - 0.1) < 1e-12 && e.lossFloorDropSe < 1e-12 && e.lossFloorDof === 14,
    `${e.lossFloorDrop} ± ${e.lossFloorDropSe}`,
  );
  assert.ok(
    Math.abs(e.lossFloorStart - (1 - 301.5 / 1000)) < 1e-12 && Math.abs(e.lossFloorEnd - (1 - 401.5 / 1000)) < 1e-12,
    `${e.lossFloorStart}, ${e.lossFloorEnd}`,
  );
  // a stalled loss with spikes: the floor does not fall
  const stalled = edgePhase(
    { ...run, losses: losses.map((_, t) => 0.5 + (t % 7 === 0 ? 0.2 : 0) + 0.01 * (t % 2)) },
    eta,
  );
  assert.ok(Math.abs(stalled.lossFloorDrop) < 1e-12, `${stalled.lossFloorDrop}`);
  // GD below its edge (2/η = 2 is never reached): the same statistics on the run's second half
  const below = edgePhase(run, 1);
  assert.equal(below.crossingStep, null);
  assert.equal(below.atEdge, false);
  assert.deepEqual(below.window, [200, 400]);
  // a diverged run with two samples: no window, no throw
  const short: TrainingRun = {
    ...run,
    losses: losses.subarray(0, 21),
    sharpness: sharpness.slice(0, 2),
    divergence: { step: 21, loss: Infinity, reason: "loss is Infinity" },
  };
  assert.equal(edgePhase(short, eta).window, null);
  assert.ok(Number.isNaN(edgePhase({ ...run, sharpness: sharpness.slice(0, 1) }, 0.1).sharpeningRate));
  assert.throws(() => edgePhase(run, 0), /η must be > 0/);
});

test("digitsGdRun: the same input gives the same run bit for bit; another index another run; losses and errors are recorded", () => {
  const input = {
    seed: Stream.path(1, "test/nn/digits"),
    index: 0,
    loss: "mse" as const,
    eta: 0.5,
    steps: 4,
    sharpnessEvery: 2,
    lanczosSteps: 3,
    hidden: [4],
    activation: "tanh" as const,
    perDigit: 3,
    heldOutPerDigit: 2,
    pool: 4,
  };
  const a = digitsGdRun(input),
    b = digitsGdRun(input),
    c = digitsGdRun({ ...input, index: 1 });
  assert.equal(a.eta, 0.5);
  assert.ok(a.initialSharpness > 0 && a.initialResidual >= 0);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.losses, c.losses);
  assert.equal(a.dim, 49 * 4 + 4 + 4 * 10 + 10);
  assert.equal(a.losses.length, 5);
  assert.deepEqual(
    a.sharpness.map((s) => s.step),
    [0, 2, 4],
  );
  assert.equal(a.heldOutError.length, 3);
  assert.ok(a.heldOutError.every((h) => h.value >= 0 && h.value <= 1));
  assert.throws(() => digitsGdRun({ ...input, eta: 0 }), /η|eta/);
  // η from the measured initial sharpness: 2/η = r·S₀, the same S₀ as with an explicit η (same init and Lanczos stream)
  const { eta: _, ...noEta } = input;
  const r = digitsGdRun({ ...noEta, edgeRatio: 1.5 });
  assert.equal(r.initialSharpness, a.initialSharpness);
  assert.ok(Math.abs(2 / r.eta - 1.5 * r.initialSharpness) < 1e-12 * r.initialSharpness);
  // the run's first sample is warm-started from S₀'s Ritz vector: the same eigenvalue within the residuals
  assert.ok(Math.abs(r.sharpness[0].value - r.initialSharpness) <= r.sharpness[0].residual + r.initialResidual + 1e-12);
  assert.throws(() => digitsGdRun({ ...noEta }), /exactly one of eta and edgeRatio/);
  assert.throws(() => digitsGdRun({ ...input, edgeRatio: 1.5 }), /exactly one of eta and edgeRatio/);
  assert.throws(() => digitsGdRun({ ...noEta, edgeRatio: 0 }), /edgeRatio/);
});
