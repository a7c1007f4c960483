import { test } from "node:test";
import assert from "node:assert/strict";
import {
  fitMarchenkoPastur,
  fitSurmise,
  fitTwoLevel,
  MarchenkoPastur,
  WignerSurmise,
  TwoLevelDensity,
} from "../../lib/rmt";
import { fitDensity, FitError, nelderMead } from "../../lib/fit";
import { Stream } from "../../lib/random";

test("Nelder–Mead finds the Rosenbrock minimum and says when it runs out of iterations", () => {
  const rosen = (x: Float64Array) => 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2;
  const r = nelderMead(rosen, [-1.2, 1], [0.5, 0.5]);
  assert.ok(r.converged && Math.abs(r.x[0] - 1) < 1e-6 && Math.abs(r.x[1] - 1) < 1e-6);
  assert.equal(nelderMead(rosen, [-1.2, 1], [0.5, 0.5], { maxIterations: 5 }).converged, false);
});

test("fits recover their parameters within 3.3 standard errors, and the errors are calibrated (coverage of ±1 se ≈ 68%)", () => {
  let cover = 0,
    total = 0;
  for (let t = 0; t < 40; t++) {
    const s = new Stream(41, t);
    const surm = fitSurmise(WignerSurmise.ofWidth(0.2).sample(s, new Float64Array(2000)));
    const two = fitTwoLevel(new TwoLevelDensity(3, 0.1).sample(s, new Float64Array(2000)));
    const mp = fitMarchenkoPastur(new MarchenkoPastur(0.3, 2).sample(s, new Float64Array(2000)));
    const checks: [number, number, number][] = [
      [surm.params[0], surm.errors[0], 0.2],
      [two.params[0], two.errors[0], 3],
      [two.params[1], two.errors[1], 0.1],
      [mp.params[0], mp.errors[0], 2],
      [mp.params[1], mp.errors[1], 0.3],
    ];
    for (const [v, e, truth] of checks) {
      assert.ok(Math.abs(v - truth) < 3.3 * e, `trial ${t}: ${v} ± ${e} vs ${truth}`);
      total++;
      if (Math.abs(v - truth) < e) cover++;
    }
  }
  const p = cover / total; // 200 estimates: 0.68 ± 0.033
  assert.ok(p > 0.55 && p < 0.8, `coverage ${p}`);
});

test("MP area fit: a bulk of weight 0.8 plus a far tail gives A ≈ 0.8", () => {
  const s = new Stream(42, 0),
    bulk = new MarchenkoPastur(0.5, 1).sample(s, new Float64Array(4000));
  const x = Float64Array.from({ length: 5000 }, (_, i) => (i < 4000 ? bulk[i] : 4 + 3 * s.uniform()));
  const f = fitMarchenkoPastur(x, { ratio: 0.5, area: true, hi: 3.5 });
  assert.ok(Math.abs(f.params[1] - 0.8) < 3.3 * f.errors[1] && Math.abs(f.params[0] - 1) < 3.3 * f.errors[0]);
});

test("bad input: an empty or constant sample, and a fit that cannot converge, say so", () => {
  assert.throws(() => fitSurmise([]), /empty sample/);
  assert.throws(() => fitTwoLevel([2, 2, 2, 2]), /constant sample/);
  assert.throws(() => fitMarchenkoPastur(new Float64Array(10).fill(1)), /constant sample/);
  assert.throws(() => fitMarchenkoPastur([1, 2], { area: true }), /needs the ratio/);
  const x = new WignerSurmise(1).sample(new Stream(43, 0), new Float64Array(500));
  assert.throws(
    () =>
      fitDensity(x, {
        names: ["σ"],
        start: [0.5],
        steps: [0.1],
        bins: 20,
        lo: 0,
        hi: 4,
        cdf: (v, t) => WignerSurmise.ofWidth(t[0]).cdf(v),
        valid: (t) => t[0] > 0,
        maxIterations: 3,
      }),
    (e: unknown) => e instanceof FitError && /did not converge in 3 iterations/.test((e as Error).message),
  );
  // A parameter the data cannot determine: the likelihood is flat in t[1].
  assert.throws(
    () =>
      fitDensity(x, {
        names: ["σ", "unused"],
        start: [0.5, 1],
        steps: [0.1, 0.1],
        bins: 20,
        lo: 0,
        hi: 4,
        cdf: (v, t) => WignerSurmise.ofWidth(t[0]).cdf(v),
        valid: (t) => t[0] > 0,
      }),
    FitError,
  );
});
