import { test } from "node:test";
import assert from "node:assert/strict";
import { pearsonCorrelation, fisherInterval, rankCorrelation } from "../../lib/stats";
import { Stream } from "../../lib/random";

test("pearsonCorrelation: r of an exact line is ±1, of a known set its closed form; the bootstrap interval holds r", () => {
  const s = Stream.named(1, "test/stats/pearson");
  const x = [1, 2, 3, 4, 5, 6],
    y = x.map((v) => 3 - 2 * v);
  assert.ok(Math.abs(pearsonCorrelation(x, y, { stream: s }).r + 1) < 1e-15);
  // x = 1…5, y = (2, 1, 4, 3, 5): Σ(x − 3)(y − 3) = 8, Σ(x − 3)² = Σ(y − 3)² = 10, r = 0.8
  const c = pearsonCorrelation([1, 2, 3, 4, 5], [2, 1, 4, 3, 5], { stream: s });
  assert.ok(Math.abs(c.r - 0.8) < 1e-15);
  assert.ok(c.low <= c.r && c.r <= c.high);
  assert.throws(() => pearsonCorrelation([1, 1, 1, 1], [1, 2, 3, 4], { stream: s }), /constant/);
  assert.throws(() => pearsonCorrelation([1, 2, 3], [1, 2, 3], { stream: s }), /number of pairs/);
});

test("fisherInterval covers the true correlation at its confidence (bivariate normal, ρ = 0.5, n = 40; Pearson and Spearman)", () => {
  const s = Stream.named(1, "test/stats/fisher"),
    rho = 0.5,
    n = 40,
    reps = 1500,
    conf = 0.9;
  // Spearman's population value for a bivariate normal: (6/π) asin(ρ/2)
  const rhoS = (6 / Math.PI) * Math.asin(rho / 2);
  let hitP = 0,
    hitS = 0;
  for (let r = 0; r < reps; r++) {
    const x: number[] = [],
      y: number[] = [];
    for (let i = 0; i < n; i++) {
      const a = s.normal(),
        b = s.normal();
      x.push(a);
      y.push(rho * a + Math.sqrt(1 - rho * rho) * b);
    }
    const p = pearsonCorrelation(x, y, { stream: s, resamples: 100 }).r,
      sp = rankCorrelation(x, y, { stream: s, resamples: 100 }).rho;
    const ip = fisherInterval(p, n, conf),
      is = fisherInterval(sp, n, conf, { method: "spearman" });
    if (ip.low <= rho && rho <= ip.high) hitP++;
    if (is.low <= rhoS && rhoS <= is.high) hitS++;
  }
  // binomial tolerance: 4 sd of a coverage of 0.9 over 1500 repetitions
  const tol = 4 * Math.sqrt((conf * (1 - conf)) / reps);
  assert.ok(Math.abs(hitP / reps - conf) < tol, `Pearson coverage ${hitP / reps}`);
  assert.ok(Math.abs(hitS / reps - conf) < tol, `Spearman coverage ${hitS / reps}`);
  assert.throws(() => fisherInterval(1.5, 10, 0.9), /r/);
  assert.throws(() => fisherInterval(0.5, 3, 0.9), /n/);
});
