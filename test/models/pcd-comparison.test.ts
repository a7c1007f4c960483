import { test } from "node:test";
import assert from "node:assert/strict";
import { Stream } from "../../lib/random";
import {
  latticeModes,
  pcdGaussianSpectra,
  pcdMeanMatrix,
  pcdSpacingComparison,
  pcdLevelMeans,
  meanShiftAmplitude,
  teacherStudentData,
  teacherStudentScaledSpacings,
  teacherStudentPairWidth,
} from "../../lib/models";
import { degeneratePairs } from "../../lib/rmt";
import { chiSquareSurvival } from "../../lib/stats";

const modes = latticeModes(10, 1),
  mu2 = 8;
const target = Array.from(modes.kappa, (k) => mu2 - k).sort((a, b) => a - b);
const pairs = degeneratePairs(target);
const setup = (alpha: number, batch: number) => ({ kappa: modes.kappa, mu2, alpha, batch, samples: 4096 });

test("pcdSpacingComparison: an ensemble drawn from the coupled model fits it (χ² of the whitened spacings), and rejects uncorrelated chains; one drawn from independent blocks fails the gap", () => {
  const o = setup(0.02, 32);
  const fromFull = pcdGaussianSpectra(o, 300, Stream.named(1, "test/pcd-cmp/data"));
  const c = pcdSpacingComparison({
    setup: o,
    spectra: fromFull,
    target,
    pairs,
    draws: 10000,
    streams: { full: Stream.named(1, "test/pcd-cmp/full"), blocks: Stream.named(1, "test/pcd-cmp/blocks") },
  });
  const chi2 = c.spacingResiduals.reduce((a, v) => a + v * v, 0) + c.gapResidual ** 2;
  assert.ok(chiSquareSurvival(chi2, 5) > 1e-3, `χ² = ${chi2}`);
  assert.ok(
    chiSquareSurvival(
      c.whiteResiduals.reduce((a, v) => a + v * v, 0),
      4,
    ) < 1e-6,
  );
  assert.equal(c.full.wallSpacings.length, 10000);
  const fromBlocks = pcdGaussianSpectra(o, 300, Stream.named(1, "test/pcd-cmp/data-blocks"), "blocks");
  const b = pcdSpacingComparison({
    setup: o,
    spectra: fromBlocks,
    target,
    pairs,
    draws: 10000,
    streams: { full: Stream.named(1, "test/pcd-cmp/full"), blocks: Stream.named(1, "test/pcd-cmp/blocks") },
  });
  assert.ok(
    Math.abs(b.gapResidual) > 4 && Math.abs(b.gapBlocksResidual) < 4,
    `gap residuals ${b.gapResidual}, ${b.gapBlocksResidual}`,
  );
  assert.throws(
    () =>
      pcdSpacingComparison({
        setup: o,
        spectra: fromFull,
        target: target.map((x) => x + 0.1),
        pairs,
        draws: 100,
        streams: { full: Stream.named(1, "x"), blocks: Stream.named(1, "y") },
      }),
    /wall pair/,
  );
});

test("meanShiftAmplitude: levels drawn at second order give A = 1, at linear order A = 0, within the fit's error; the per-point amplitudes combine to the pooled one", () => {
  const grid = [setup(0.02, 32), setup(0.01, 32), setup(0.005, 64)];
  const fit = (secondOrder: boolean) =>
    meanShiftAmplitude(
      grid.map((o, gi) =>
        pcdLevelMeans({
          setup: o,
          draws: 10000,
          spectra: pcdGaussianSpectra(o, 400, Stream.named(2, `test/level-shift/data/${secondOrder}`, gi), "full", {
            mean: pcdMeanMatrix(o, { secondOrder }),
          }),
          streams: {
            linear: Stream.named(2, "test/level-shift/model", gi),
            second: Stream.named(2, "test/level-shift/model", gi),
          },
        }),
      ),
    );
  const second = fit(true),
    linear = fit(false);
  assert.ok(
    Math.abs(second.amplitude.value - 1) < 4 * second.amplitude.se,
    `second order: A = ${second.amplitude.value} ± ${second.amplitude.se}`,
  );
  assert.ok(
    Math.abs(linear.amplitude.value) < 4 * linear.amplitude.se,
    `linear: A = ${linear.amplitude.value} ± ${linear.amplitude.se}`,
  );
  assert.ok(Math.abs(second.amplitude.value) > 4 * second.amplitude.se, "the data resolve the shift");
  assert.equal(second.dof, 29);
  assert.ok(chiSquareSurvival(second.chi2, second.dof) > 1e-3, `χ² = ${second.chi2}`);
  const w = second.perPoint.map((p) => 1 / p.se ** 2);
  const pooled = second.perPoint.reduce((a, p, i) => a + p.value * w[i], 0) / w.reduce((a, v) => a + v, 0);
  assert.ok(Math.abs(pooled - second.amplitude.value) < 1e-12);
  assert.throws(() => meanShiftAmplitude([]), /no grid points/);
});

test("teacherStudentScaledSpacings: Ŝ averages each run's pairs scaled to x* = 1; c is the derived prediction over the leading order", () => {
  const data = teacherStudentData({
    inputs: 4,
    outputs: 4,
    samples: 256,
    target: [1, 1, 4, 4],
    noise: 1,
    stream: new Stream("test/ts-scaled", 0),
  });
  const spectra = [
    [1, 1.1, 4, 4.4],
    [0.9, 1.1, 3.8, 4.2],
  ];
  const [p] = teacherStudentScaledSpacings(data, [{ alpha: 0.01, batch: 8, spectra }]);
  assert.ok(Math.abs(p.s - ((0.1 + 0.4 / 2) / 2 + (0.2 + 0.4 / 2) / 2) / 2) < 1e-12);
  const w = teacherStudentPairWidth(data, 0.01, 8);
  const predicted = (w.meanSpacing(1) + w.meanSpacing(4) / 2) / 2;
  assert.ok(
    Math.abs(p.predicted - predicted) < 1e-15 &&
      Math.abs(p.c - predicted / Math.sqrt((2 * Math.PI * 0.01) / 8)) < 1e-12,
  );
  assert.ok(Math.abs(p.c - 1) < 0.05, `c = ${p.c}: within a few per cent of the leading order`);
});
