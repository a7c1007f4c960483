import { test } from "node:test";
import assert from "node:assert/strict";
import { correlationDimension, informationDimension, henonMap, kaplanYorkeDimension, reviewKaplanYorke, reviewSharpnessDimension } from "../../lib/lyapunov";
import { Stream } from "../../lib/random";

/** n uniform points on the unit circle (n × 2, row-major). */
function circleSample(s: Stream, n: number): Float64Array {
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) { const a = 2 * Math.PI * s.uniform(); out[2 * i] = Math.cos(a); out[2 * i + 1] = Math.sin(a); }
  return out;
}

test("correlation dimension: a circle gives 1 and the Hénon attractor Grassberger & Procaccia's 1.21 ± 0.01, each within 4.5 of the combined standard errors", () => {
  const circle = circleSample(Stream.named(2, "test/lyapunov/circle"), 4000);
  const c = correlationDimension(circle, 2);
  assert.ok(Math.abs(c.dimension - 1) <= 4.5 * c.standardError, `circle: ${c.dimension} ± ${c.standardError}`);
  // a wrong answer (the ambient dimension 2) is far outside
  assert.ok(Math.abs(c.dimension - 2) > 20 * c.standardError);
  const f = henonMap(), x = new Float64Array([0.1, 0.1]), nx = new Float64Array(2), pts = new Float64Array(2 * 8000);
  for (let t = 0; t < 1000; t++) { f.map(x, nx); x.set(nx); }
  for (let t = 0; t < 8000; t++) { for (let k = 0; k < 7; k++) { f.map(x, nx); x.set(nx); } pts.set(x, 2 * t); }
  const h = correlationDimension(pts, 2);
  assert.ok(Math.abs(h.dimension - 1.21) <= 4.5 * Math.hypot(h.standardError, 0.01), `Hénon: ${h.dimension} ± ${h.standardError}`);
  assert.equal(h.slopes.length, 8);
  assert.ok(h.correlationSum[0] < h.correlationSum[9]);
  assert.throws(() => correlationDimension(pts.subarray(0, 2 * 300), 2), /at least 50 per group/);
  assert.throws(() => correlationDimension(new Float64Array(2 * 800), 2), /scaling range .* is empty/);
  assert.throws(() => correlationDimension(pts, 3), /points\.length \/ d/);
});

test("the review's two dimension formulas against Kaplan–Yorke on spectra where they differ", () => {
  // Hénon: λ = (0.4192, −1.6232). KY = §8.2 = 1.258; §3.3 gives 4.87, more than the plane's 2
  const henon = [0.4192, -1.6232];
  assert.ok(Math.abs(kaplanYorkeDimension(henon) - (1 + 0.4192 / 1.6232)) < 1e-12);
  assert.equal(reviewKaplanYorke(henon), kaplanYorkeDimension(henon));
  assert.ok(Math.abs(reviewSharpnessDimension(henon) - (1 + 1.6232 / 0.4192)) < 1e-12);
  // partial sums positive past the positive exponents: §8.2 takes the wrong k
  const l = [1, -0.2, -0.3, -2];
  assert.ok(Math.abs(kaplanYorkeDimension(l) - 3.25) < 1e-12);
  assert.ok(Math.abs(reviewKaplanYorke(l) - 6) < 1e-12);
  assert.ok(Math.abs(reviewSharpnessDimension(l) - 1.2) < 1e-12);
  assert.equal(reviewSharpnessDimension([-0.1, -1]), 0);
  assert.equal(reviewKaplanYorke([0.5, 0.1]), 2);
  assert.throws(() => reviewKaplanYorke([NaN, 1]), /exponent/);
});

test("information dimension (fixed mass): a circle 1, the logistic map at r = 4 1 (where D₂'s finite-range estimate sits near 0.89 because of the arcsine density's edges), Hénon D_KY = 1.258", () => {
  const circle = circleSample(Stream.named(2, "test/lyapunov/information-circle"), 4000);
  const c = informationDimension(circle, 2);
  assert.ok(Math.abs(c.dimension - 1) <= 4.5 * c.standardError, `circle: ${c.dimension} ± ${c.standardError}`);
  const lg = new Float64Array(8000);
  let u = 0.3;
  for (let t = 0; t < 1000; t++) u = 4 * u * (1 - u);
  for (let t = 0; t < 8000; t++) { for (let k = 0; k < 7; k++) u = 4 * u * (1 - u); lg[t] = u; }
  const l1 = informationDimension(lg, 1), l2 = correlationDimension(lg, 1);
  assert.ok(Math.abs(l1.dimension - 1) <= 4.5 * Math.hypot(l1.standardError, 0.005), `logistic D₁: ${l1.dimension} ± ${l1.standardError}`);
  assert.ok(l1.dimension - l2.dimension > 4.5 * Math.hypot(l1.standardError, l2.standardError), `D₂ = ${l2.dimension} below D₁`);
  const f = henonMap(), x = new Float64Array([0.1, 0.1]), nx = new Float64Array(2), pts = new Float64Array(2 * 8000);
  for (let t = 0; t < 1000; t++) { f.map(x, nx); x.set(nx); }
  for (let t = 0; t < 8000; t++) { for (let k = 0; k < 7; k++) { f.map(x, nx); x.set(nx); } pts.set(x, 2 * t); }
  const h = informationDimension(pts, 2);
  assert.ok(Math.abs(h.dimension - kaplanYorkeDimension([0.4192, -1.6232])) <= 4.5 * Math.hypot(h.standardError, 0.01), `Hénon D₁: ${h.dimension} ± ${h.standardError}`);
  assert.ok(h.ranks[0] === 2 && h.meanLogRadius[0] < h.meanLogRadius[h.ranks.length - 1]);
  assert.throws(() => informationDimension(pts.subarray(0, 2 * 300), 2), /at least 50 per group/);
  assert.throws(() => informationDimension(new Float64Array(2 * 800), 2), /repeated points/);
  assert.throws(() => informationDimension(pts, 2, { massRange: 0.7 }), /massRange/);
});
