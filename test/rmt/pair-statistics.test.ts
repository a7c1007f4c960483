import { test } from "node:test";
import assert from "node:assert/strict";
import { Stream } from "../../lib/random";
import { scaledSpacings, spacingCollapse, pairFits, pairBinder } from "../../lib/rmt";
import { VERDICT_LEVEL } from "../../lib/params";
import { studentTQuantile } from "../../lib/stats";

/** Ensembles of 4-level spectra: two pairs at 1 and 3, each a 2×2 GOE block of width σ (or two independent levels). */
function ensemble(runs: number, sigma: number, stream: Stream, repel = true): number[][] {
  return Array.from({ length: runs }, () => {
    const out: number[] = [];
    for (const c of [1, 3]) {
      const a = sigma * stream.normal(),
        b = sigma * stream.normal(),
        off = (sigma / Math.SQRT2) * stream.normal();
      if (repel) {
        const m = (a + b) / 2,
          r = Math.hypot((a - b) / 2, off);
        out.push(c + m - r, c + m + r);
      } else out.push(...[c + a, c + b].sort((x, y) => x - y));
    }
    return out;
  });
}

test("pair statistics of ensembles: GOE pairs collapse onto the surmise (Poisson rejected), their fits recover σ and their Binder cumulant is −4/27; uncorrelated levels fail both", () => {
  const s = Stream.named(1, "test/pair-statistics");
  const goe = [0.05, 0.1, 0.2].map((sg) => ensemble(400, sg, s));
  const c = spacingCollapse(goe, [0, 2], s);
  assert.equal(c.groups.length, 6, "groups");
  assert.ok(c.surmise.pValue > 1e-3, `surmise p = ${c.surmise.pValue}`);
  assert.ok(c.poisson.pValue < 1e-6, `poisson p ${c.poisson.pValue}`);
  const scaled = scaledSpacings(c.groups);
  for (let g = 0; g < 6; g++)
    assert.ok(
      Math.abs(scaled.slice(g * 400, (g + 1) * 400).reduce((a, v) => a + v, 0) / 400 - 1) < 1e-12,
      "scaled mean",
    );
  for (const f of pairFits(goe[1], [0, 2], s)) {
    assert.ok(Math.abs(f.sigma - 0.1) < 4 * f.sigmaSe, `two-level σ̂ = ${f.sigma} ± ${f.sigmaSe}`);
    assert.ok(Math.abs(f.surmiseSigma - 0.1) < 4 * f.surmiseSe, `surmise σ̂ = ${f.surmiseSigma} ± ${f.surmiseSe}`);
    assert.equal(f.levels.length, 400);
  }
  // 16 groups (8 ensembles × 2 pairs): Student's t on 15 dof at the run's level
  const many = [0.05, 0.07, 0.1, 0.14, 0.2, 0.28, 0.4, 0.5].map((sg) => ensemble(400, sg, s));
  const b = pairBinder(many, [0, 2], 20),
    t = studentTQuantile(1 - VERDICT_LEVEL / 2, b.dof);
  assert.ok(Math.abs(b.value + 4 / 27) <= t * b.se, `U₄ = ${b.value} ± ${b.se}`);
  assert.ok(Math.abs(b.value) > t * b.se, `binder vs 0: ${b.value} ± ${b.se}`);
  const indep = [0.05, 0.07, 0.1, 0.14, 0.2, 0.28, 0.4, 0.5].map((sg) => ensemble(400, sg, s, false));
  const ci = spacingCollapse(indep, [0, 2], s, { maxReplicates: 200 });
  assert.ok(ci.surmise.pValue < 0.01, `independent surmise p ${ci.surmise.pValue}`);
  const bi = pairBinder(indep, [0, 2], 20);
  assert.ok(
    Math.abs(bi.value + 4 / 27) > studentTQuantile(1 - VERDICT_LEVEL / 2, bi.dof) * bi.se,
    `independent levels: U₄ = ${bi.value} ± ${bi.se}`,
  );
});
