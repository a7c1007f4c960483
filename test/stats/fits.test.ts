import { test } from "node:test";
import assert from "node:assert/strict";
import { chiSquareSurvival, fitLine } from "../../lib/stats";
import { Stream } from "../../lib/random";

test("χ² survival at tabulated 5% points", () => {
  for (const [x, k] of [
    [3.841458820694124, 1],
    [18.307038053275146, 10],
    [124.34211340400407, 100],
  ]) {
    assert.ok(Math.abs(chiSquareSurvival(x, k) - 0.05) < 1e-8, `k = ${k}`);
  }
});

test("weighted line fit recovers slope and intercept within its standard errors (and the errors are calibrated)", () => {
  let inside = 0;
  const trials = 400;
  for (let t = 0; t < trials; t++) {
    const s = new Stream(5, t);
    const x = [0, 1, 2, 3, 4, 5];
    const sig = x.map((v) => 0.1 + 0.05 * v);
    const y = x.map((v, i) => 1.5 - 0.7 * v + sig[i] * s.normal());
    const f = fitLine(x, y, sig);
    if (Math.abs(f.slope + 0.7) < f.slopeError) inside++;
  }
  // a 1σ interval covers 68.3%; binomial sd over 400 trials is 2.3%
  assert.ok(Math.abs(inside / trials - 0.683) < 0.07, `coverage ${inside / trials}`);
  assert.throws(() => fitLine([1, 1, 1], [1, 2, 3]), /all equal/);
});

test("weighted linear model: recovers two exponents with calibrated errors, χ² ~ its dof, and refuses a dependent design", async () => {
  const { fitLinearModel } = await import("../../lib/stats");
  let inside = 0,
    chi = 0;
  const trials = 300;
  for (let t = 0; t < trials; t++) {
    const s = new Stream(11, t);
    const design: number[][] = [],
      y: number[] = [],
      sig: number[] = [],
      off: number[] = [];
    for (const la of [-3, -2, -1])
      for (const lb of [1, 2, 3, 4]) {
        const e = 0.02 + 0.01 * lb;
        design.push([1, la, lb]);
        off.push(0.1 * la * la); // a known, unfitted term
        y.push(0.3 + 0.5 * la - 0.5 * lb + 0.1 * la * la + e * s.normal());
        sig.push(e);
      }
    const f = fitLinearModel(design, y, sig, { names: ["c", "a", "b"], offset: off });
    if (Math.abs(f.coefficients[2] + 0.5) < f.standardErrors[2]) inside++;
    chi += f.chi2;
    assert.equal(f.dof, 9);
  }
  assert.ok(Math.abs(inside / trials - 0.683) < 0.08, `coverage ${inside / trials}`);
  assert.ok(Math.abs(chi / trials - 9) < 0.8, `mean χ² ${chi / trials} on 9 dof`);
  assert.throws(
    () =>
      fitLinearModel(
        [
          [1, 2],
          [2, 4],
          [3, 6],
        ],
        [1, 2, 3],
        [1, 1, 1],
      ),
    /linearly dependent/,
  );
  assert.throws(
    () =>
      fitLinearModel(
        [
          [1, 2],
          [2, 4],
        ],
        [1, 2],
        [1, 1],
      ),
    /need n > p/,
  );
  assert.throws(() => fitLinearModel([[1], [2], [3]], [1, 2, 3], [1, 0, 1]), /sigma\[1\]/);
});

test("groupResiduals: the within-group χ² has points − groups degrees of freedom (mean and 5 % tail over 4000 trials); the correlated form it replaces does not", async () => {
  const { groupResiduals, chiSquareSurvival } = await import("../../lib/stats");
  const { Stream } = await import("../../lib/random");
  const s = new Stream(21, 0);
  const trials = 4000,
    ses = [0.01, 0.02, 0.015, 0.01, 0.03, 0.02, 0.01];
  const keys = [1, 1, 1, 2, 2, 3, 3]; // groups of 3, 2, 2: dof = 7 − 3 = 4
  let sum = 0,
    tail = 0,
    sumOld = 0,
    tailOld = 0;
  for (let t = 0; t < trials; t++) {
    const pts = keys.map((k, i) => ({ key: k, value: 5 * k + ses[i] * s.normal(), se: ses[i] }));
    const { residuals, groups } = groupResiduals(pts);
    const chi2 = residuals.reduce((a, r) => a + r * r, 0),
      dof = residuals.length - groups;
    sum += chi2;
    if (chiSquareSurvival(chi2, dof) < 0.05) tail++;
    // the replaced form: (s − m)/√(se² − 1/W)
    let old = 0;
    for (const k of [1, 2, 3]) {
      const g = pts.filter((p) => p.key === k),
        W = g.reduce((a, p) => a + 1 / p.se ** 2, 0),
        m = g.reduce((a, p) => a + p.value / p.se ** 2, 0) / W;
      for (const p of g) old += (p.value - m) ** 2 / (p.se ** 2 - 1 / W);
    }
    sumOld += old;
    if (chiSquareSurvival(old, dof) < 0.05) tailOld++;
  }
  // E χ² = 4, sd of the mean √(8/4000) = 0.045; the tail count is Binomial(4000, 0.05): 200 ± 14
  assert.ok(Math.abs(sum / trials - 4) < 4 * 0.045, `mean χ² ${sum / trials}`);
  assert.ok(Math.abs(tail - 200) < 4 * 14, `5 % tail: ${tail}`);
  assert.ok(
    sumOld / trials > 6.5 && tailOld > 400,
    `the correlated form inflates χ²: mean ${sumOld / trials}, tail ${tailOld}`,
  );
  assert.throws(() => groupResiduals([{ key: 1, value: 1, se: 0 }]), /se/);
});

test("richardson: removes the leading O(dt^p) term (error falls from O(dt) to O(dt²)), propagates independent errors, refuses bad input", async () => {
  const { richardson } = await import("../../lib/stats");
  const f = (dt: number) => 1 + 0.7 * dt + 0.3 * dt * dt; // exact value 1, first-order scheme
  const errs = [0.1, 0.05, 0.025].map((dt) =>
    Math.abs(richardson({ value: f(dt), se: 0 }, { value: f(dt / 2), se: 0 }).value - 1),
  );
  assert.ok(
    Math.abs(Math.log2(errs[0] / errs[1]) - 2) < 0.05 && Math.abs(Math.log2(errs[1] / errs[2]) - 2) < 0.05,
    `orders ${errs}`,
  );
  const g = (dt: number) => 1 + 0.7 * dt * dt; // second order: exact after extrapolation with order 2
  assert.ok(Math.abs(richardson({ value: g(0.1), se: 0 }, { value: g(0.05), se: 0 }, 2).value - 1) < 1e-15);
  const e = richardson({ value: 1, se: 0.3 }, { value: 1, se: 0.1 });
  assert.equal(e.se, Math.sqrt(4 * 0.1 * 0.1 + 0.3 * 0.3));
  assert.throws(() => richardson({ value: NaN, se: 0 }, { value: 1, se: 0 }), /coarse.value/);
  assert.throws(() => richardson({ value: 1, se: 0 }, { value: 1, se: 0 }, 1, 1), /ratio/);
});

test("pairedRichardson: combines each replicate first, so the error of correlated coarse/fine pairs is the spread of the combinations", async () => {
  const { pairedRichardson, meanWithError, richardson } = await import("../../lib/stats");
  // replicate i: a common random part c_i plus the scheme's bias 0.7·dt at dt and dt/2
  const c = Array.from({ length: 50 }, (_, i) => Math.sin(1 + i * 7.3));
  const coarse = c.map((v) => v + 0.7 * 0.1),
    fine = c.map((v) => v + 0.7 * 0.05);
  const e = pairedRichardson(coarse, fine);
  const direct = meanWithError(c);
  assert.ok(Math.abs(e.value - direct.value) < 1e-15 && Math.abs(e.se - direct.se) < 1e-15);
  // the independent-error formula would count the common part twice over
  const ind = richardson(
    { value: meanWithError(coarse).value, se: meanWithError(coarse).se },
    { value: meanWithError(fine).value, se: meanWithError(fine).se },
  );
  assert.ok(ind.se > 2 * e.se);
  // order 2, ratio 2: (4f − c)/3
  assert.ok(Math.abs(pairedRichardson([1, 2], [4, 5], 2).value - (4 * 4.5 - 1.5) / 3) < 1e-15);
  assert.throws(() => pairedRichardson([1, 2], [1]), /pair up/);
  assert.throws(() => pairedRichardson([1], [1]), /two replicates/);
  assert.throws(() => pairedRichardson([1, NaN], [1, 2]), /coarse\[1\]/);
  assert.throws(() => pairedRichardson([1, 2], [1, 2], 1, 1), /ratio/);
});

test("stepCurvature and richardsonRemainder: the h² coefficient from three steps, and what Richardson leaves", async () => {
  const { stepCurvature, richardsonRemainder, richardson } = await import("../../lib/stats");
  const E = (h: number) => 1 + 0.7 * h + 3 * h * h;
  const b = stepCurvature([0.2, 0.1, 0.05].map((h) => ({ step: h, estimate: { value: E(h), se: 0.01 } })));
  assert.ok(Math.abs(b.value - 3) < 1e-9, `b = ${b.value}`);
  // the divided-difference weights for h = 0.2, 0.1, 0.05: 66.7, −200, 133.3
  assert.ok(Math.abs(b.se - 0.01 * Math.hypot(200 / 3, 200, 400 / 3)) < 1e-9);
  const r = richardson({ value: E(0.05), se: 0 }, { value: E(0.025), se: 0 });
  const rem = richardsonRemainder(b, 0.05, 0.025);
  assert.ok(Math.abs(r.value - rem.value - 1) < 1e-12, `corrected ${r.value - rem.value}`);
  // any step ratio: (3·E(h/3) − E(h))/2 leaves −b·h·h/3
  const r3 = richardson({ value: E(0.06), se: 0 }, { value: E(0.02), se: 0 }, 1, 3);
  assert.ok(Math.abs(r3.value - richardsonRemainder(b, 0.06, 0.02).value - 1) < 1e-12);
  assert.throws(() => stepCurvature([{ step: 1, estimate: { value: 1, se: 0 } }]), /three steps/);
  assert.throws(
    () => stepCurvature([0.1, 0.1, 0.05].map((h) => ({ step: h, estimate: { value: 1, se: 0 } }))),
    /differ/,
  );
  assert.throws(() => richardsonRemainder(b, 0.025, 0.05), /coarse > fine/);
});
