import { test } from "node:test";
import assert from "node:assert/strict";
import { Stream } from "../../lib/random";
import { symmetricEigenvalues } from "../../lib/linalg";
import {
  fitBulk,
  bootstrapBulk,
  pairedBulkBootstrap,
  bulkChange,
  bulkGrowthRatio,
  ensembleSpacings,
  WignerSurmise,
  PoissonSpacing,
  gramSpectrum,
  columnGramSpectrum,
} from "../../lib/rmt";
import { ksOneSample } from "../../lib/stats";

// eigenvalues of WᵀW for W [64, 16] with N(0, s²) entries: MP(r = 1/4) with mean 64 s²
function wishart(stream: Stream, s = 0.02): number[] {
  const w = stream.fillNormal(new Float64Array(64 * 16)).map((x) => x * s);
  const x = new Float64Array(256);
  for (let a = 0; a < 16; a++)
    for (let b = 0; b < 16; b++) {
      let acc = 0;
      for (let r = 0; r < 64; r++) acc += w[r * 16 + a] * w[r * 16 + b];
      x[a * 16 + b] = acc;
    }
  return Array.from(symmetricEigenvalues(x, 16)).sort((p, q) => p - q);
}

test("fitBulk / bootstrapBulk: A = 1 and σ² = 64s² for Wishart heads; a planted tail of 2 levels in 16 gives A ≈ 7/8 within its bootstrap error", () => {
  const st = new Stream("test/bulk", 0);
  const clean = Array.from({ length: 32 }, () => wishart(st));
  const b = bootstrapBulk(clean, 0.25, new Stream("test/bulk", 1), { reps: 60 });
  assert.ok(b.area.value > 0.97, `A = ${b.area.value}`);
  assert.ok(Math.abs(b.sigma2.value - 0.0256) < 4 * b.sigma2.se + 0.001, `σ² = ${b.sigma2.value} ± ${b.sigma2.se}`);
  // move the top two levels of every head far out: 1/8 of the weight leaves the bulk
  const tailed = clean.map((m) => m.map((x, i) => (i >= 14 ? x * 20 : x)));
  const t = bootstrapBulk(tailed, 0.25, new Stream("test/bulk", 2), { reps: 60 });
  assert.ok(Math.abs(t.area.value - 0.875) < 4 * t.area.se + 0.03, `A = ${t.area.value} ± ${t.area.se}`);
  assert.ok(fitBulk(tailed.flat(), 0.25).area < 0.93);
  assert.throws(() => fitBulk([1, 2, 3], 0.25), /number of eigenvalues/);
});

test("ensembleSpacings: Wishart heads follow the Wigner surmise, not Poisson; the mean spacing is 1", () => {
  const st = new Stream("test/spacings", 0);
  const s = ensembleSpacings(Array.from({ length: 60 }, () => wishart(st)));
  assert.ok(Math.abs(s.reduce((a, b) => a + b, 0) / s.length - 1) < 1e-12);
  assert.ok(ksOneSample(s, (x) => new WignerSurmise(1).cdf(x)).pValue > 1e-3);
  assert.ok(ksOneSample(s, (x) => new PoissonSpacing().cdf(x)).pValue < 1e-10);
});

test("gramSpectrum and columnGramSpectrum: W and Wᵀ share their nonzero spectrum, which sums to ‖W‖²_F; a column block is the Gram of those columns; bad blocks are refused", () => {
  const s = Stream.named(3, "test/rmt/gram");
  const rows = 6,
    cols = 4,
    W = new Float64Array(2 + rows * cols),
    Wt = new Float64Array(rows * cols);
  for (let i = 0; i < rows * cols; i++) W[2 + i] = s.normal();
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) Wt[c * rows + r] = W[2 + r * cols + c];
  const a = gramSpectrum(W, 2, rows, cols),
    b = gramSpectrum(Wt, 0, cols, rows);
  assert.equal(a.length, cols);
  assert.equal(b.length, cols);
  for (let i = 0; i < cols; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-12 * a[cols - 1]);
  const frob = W.reduce((acc, x) => acc + x * x, 0);
  assert.ok(Math.abs(a.reduce((x, y) => x + y, 0) - frob) < 1e-12 * frob);
  assert.ok(
    a.every((x, i) => i === 0 || x >= a[i - 1]),
    "ascending",
  );
  // columns 1 and 2: a 2 × 2 Gram matrix, checked by its trace and determinant
  const blk = columnGramSpectrum(W, 2, rows, cols, 1, 2);
  let g11 = 0,
    g22 = 0,
    g12 = 0;
  for (let r = 0; r < rows; r++) {
    const x = W[2 + r * cols + 1],
      y = W[2 + r * cols + 2];
    g11 += x * x;
    g22 += y * y;
    g12 += x * y;
  }
  assert.ok(Math.abs(blk[0] + blk[1] - (g11 + g22)) < 1e-12 * (g11 + g22));
  assert.ok(Math.abs(blk[0] * blk[1] - (g11 * g22 - g12 * g12)) < 1e-10 * g11 * g22);
  assert.throws(() => columnGramSpectrum(W, 2, rows, cols, 3, 2), /c0 \(first column\)/);
  assert.throws(() => gramSpectrum(W, 3, rows, cols), /runs past/);
});

test("pairedBulkBootstrap / bulkChange: the same matrices scaled by c change σ² by exactly (c − 1)σ² in every replicate; an unchanged set gives 0 ± 0", () => {
  const st = new Stream("test/paired", 0);
  const heads = Array.from({ length: 16 }, () => wishart(st));
  const grown = heads.map((m) => m.map((x) => 1.5 * x));
  const d = bulkChange([{ initial: heads, final: grown }], 0.25, new Stream("test/paired", 1), { reps: 40 });
  const s0 = fitBulk(heads.flat(), 0.25).sigma2;
  assert.ok(Math.abs(d.value - 0.5 * s0) < 1e-4 * s0, `Δσ² = ${d.value}, expected ${0.5 * s0}`);
  // paired: each replicate's growth is 0.5 × that replicate's σ², so the spread is that of σ² itself, far below an unpaired difference's
  const b = bootstrapBulk(heads, 0.25, new Stream("test/paired", 2), { reps: 40 });
  assert.ok(d.se < 0.6 * b.sigma2.se + 1e-6, `paired se ${d.se} against σ²'s se ${b.sigma2.se}`);
  const zero = bulkChange([{ initial: heads, final: heads }], 0.25, new Stream("test/paired", 3), {
    reps: 20,
    quantity: "area",
  });
  assert.equal(zero.value, 0);
  assert.equal(zero.se, 0);
  assert.throws(
    () => pairedBulkBootstrap([heads, heads.slice(1)], 0.25, new Stream("test/paired", 4), () => 0),
    /set 1 has 15 matrices/,
  );
});

test("bulkGrowthRatio: a growth that is a function of ηt gives R = 1; one at half the size (Brownian at η/2 after 2t) gives R = 1/2; no growth gives NaN", () => {
  const st = new Stream("test/ratio", 0);
  const heads = Array.from({ length: 16 }, () => wishart(st));
  const scaled = (c: number) => heads.map((m) => m.map((x) => c * x));
  const drift = bulkGrowthRatio(
    [{ initial: heads, numerator: [scaled(1.2), scaled(1.4)], denominator: [scaled(1.2), scaled(1.4)] }],
    0.25,
    new Stream("test/ratio", 1),
    { reps: 20 },
  );
  assert.equal(drift.value, 1);
  assert.equal(drift.se, 0);
  const brownian = bulkGrowthRatio(
    [{ initial: heads, numerator: [scaled(1.1), scaled(1.2)], denominator: [scaled(1.2), scaled(1.4)] }],
    0.25,
    new Stream("test/ratio", 2),
    { reps: 20 },
  );
  assert.ok(Math.abs(brownian.value - 0.5) < 1e-3, `R = ${brownian.value}`);
  const none = bulkGrowthRatio(
    [{ initial: heads, numerator: [heads], denominator: [heads] }],
    0.25,
    new Stream("test/ratio", 3),
    { reps: 20 },
  );
  assert.ok(Number.isNaN(none.value));
  assert.throws(
    () => bulkGrowthRatio([{ initial: heads, numerator: [heads], denominator: [] }], 0.25, new Stream("test/ratio", 4)),
    /series 0 has 1 numerator and 0 denominator/,
  );
});
