import { test } from "node:test";
import assert from "node:assert/strict";
import {
  correlationDimension,
  informationDimension,
  henonMap,
  kaplanYorkeDimension,
  reviewKaplanYorke,
  reviewSharpnessDimension,
} from "../../lib/lyapunov";
import { Stream } from "../../lib/random";

/** n uniform points on the unit circle (n × 2, row-major). */
function circleSample(s: Stream, n: number): Float64Array {
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const a = 2 * Math.PI * s.uniform();
    out[2 * i] = Math.cos(a);
    out[2 * i + 1] = Math.sin(a);
  }
  return out;
}

test("correlation dimension: a circle gives 1 and the Hénon attractor Grassberger & Procaccia's 1.21 ± 0.01, each within 4.5 of the combined standard errors", () => {
  const circle = circleSample(Stream.named(2, "test/lyapunov/circle"), 4000);
  const c = correlationDimension(circle, 2);
  assert.ok(Math.abs(c.value - 1) <= 4.5 * c.se, `circle: ${c.value} ± ${c.se}`);
  // a wrong answer (the ambient dimension 2) is far outside
  assert.ok(Math.abs(c.value - 2) > 20 * c.se);
  const f = henonMap(),
    x = new Float64Array([0.1, 0.1]),
    nx = new Float64Array(2),
    pts = new Float64Array(2 * 8000);
  for (let t = 0; t < 1000; t++) {
    f.map(x, nx);
    x.set(nx);
  }
  for (let t = 0; t < 8000; t++) {
    for (let k = 0; k < 7; k++) {
      f.map(x, nx);
      x.set(nx);
    }
    pts.set(x, 2 * t);
  }
  const h = correlationDimension(pts, 2);
  assert.ok(Math.abs(h.value - 1.21) <= 4.5 * Math.hypot(h.se, 0.01), `Hénon: ${h.value} ± ${h.se}`);
  assert.equal(h.slopes.length, 8);
  assert.equal(h.atomicGroups, 0);
  assert.ok(h.correlationSum[0] < h.correlationSum[9]);
  assert.throws(() => correlationDimension(pts.subarray(0, 2 * 300), 2), /at least 50 per group/);
  assert.throws(() => correlationDimension(pts, 3), /points\.length \/ d/);
  assert.throws(() => correlationDimension(pts, 2, { resolution: -1 }), /resolution/);
  assert.throws(
    () => correlationDimension(pts.subarray(0, 2 * 400), 2, { range: [1e-4, 1e-3], minPairs: 5 }),
    /group 0 has no scaling range/,
  );
});

/** Groups that differ in scale: the first half of the sample a unit circle, the second half one of radius 1e-3 (runs that settle in different places). */
function twoScaleCircles(s: Stream, n: number): Float64Array {
  const out = circleSample(s, n);
  for (let i = n / 2; i < n; i++) {
    out[2 * i] *= 1e-3;
    out[2 * i + 1] *= 1e-3;
  }
  return out;
}

test("the scaling range adapts to each group: groups of different scale (which made a common range from group 0 throw) each give the circle's 1, D₁ and D₂ alike", () => {
  const pts = twoScaleCircles(Stream.named(3, "test/lyapunov/two-scales"), 1600);
  const c = correlationDimension(pts, 2),
    i = informationDimension(pts, 2);
  for (const [name, e] of [
    ["D₂", c],
    ["D₁", i],
  ] as const) {
    assert.ok(Math.abs(e.value - 1) <= 4.5 * Math.max(e.se, 0.02), `${name}: ${e.value} ± ${e.se}`);
    assert.ok(Math.abs(e.value - 2) > 20 * Math.max(e.se, 0.02), `${name} far from the plane's 2`);
  }
  // each group's range sits at its own scale: the small circle's radii are ~1e-3 of the large one's
  assert.ok(c.ranges[2 * 7 + 1] < 1e-2 * c.ranges[1], `${c.ranges[15]} vs ${c.ranges[1]}`);
  // with the first group's range imposed on all (the old rule), the small groups' C would be 1 at every radius: slope 0, not 1
  assert.ok(
    c.slopes.every((v) => v > 0.8),
    Array.from(c.slopes).join(", "),
  );
});

test("a finite set (a period-2 orbit to rounding, a fixed point) has dimension 0 in both estimators, reported group by group; a few exact repeats give no log 0; a set of equidistant points is neither a continuum nor a finite set", () => {
  const n = 800,
    cycle = new Float64Array(2 * n),
    s = Stream.named(4, "test/lyapunov/cycle");
  for (let i = 0; i < n; i++) {
    const a = i % 2 === 0 ? 1.2 : 0.7;
    cycle[2 * i] = a * (1 + 1e-16 * s.normal());
    cycle[2 * i + 1] = a;
  }
  for (const e of [correlationDimension(cycle, 2), informationDimension(cycle, 2)]) {
    assert.equal(e.value, 0);
    assert.equal(e.se, 0);
    assert.equal(e.atomicGroups, 8);
  }
  const fixed = new Float64Array(2 * n);
  assert.equal(correlationDimension(fixed, 2).value, 0);
  assert.equal(informationDimension(fixed, 2).value, 0);
  // a few exact repeats inside a continuum give no log 0: one point of a circle sample appears four times
  const circle = circleSample(Stream.named(5, "test/lyapunov/repeats"), 2000);
  for (const j of [1, 2, 3]) circle.set(circle.subarray(0, 2), 2 * j);
  const d1 = informationDimension(circle, 2),
    d2 = correlationDimension(circle, 2);
  assert.equal(d1.atomicGroups + d2.atomicGroups, 0);
  assert.ok(
    Math.abs(d1.value - 1) <= 4.5 * d1.se && Math.abs(d2.value - 1) <= 4.5 * d2.se,
    `${d1.value} ± ${d1.se}, ${d2.value} ± ${d2.se}`,
  );
  // the corners of a simplex (basis vectors of R^50): every neighbour at the same distance √2
  const simplex = new Float64Array(400 * 50);
  for (let i = 0; i < 400; i++) simplex[i * 50 + (i % 50)] = 1;
  assert.throws(() => informationDimension(simplex, 50), /does not grow with the rank/);
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
  assert.ok(Math.abs(c.value - 1) <= 4.5 * c.se, `circle: ${c.value} ± ${c.se}`);
  const lg = new Float64Array(8000);
  let u = 0.3;
  for (let t = 0; t < 1000; t++) u = 4 * u * (1 - u);
  for (let t = 0; t < 8000; t++) {
    for (let k = 0; k < 7; k++) u = 4 * u * (1 - u);
    lg[t] = u;
  }
  const l1 = informationDimension(lg, 1),
    l2 = correlationDimension(lg, 1);
  assert.ok(Math.abs(l1.value - 1) <= 4.5 * Math.hypot(l1.se, 0.005), `logistic D₁: ${l1.value} ± ${l1.se}`);
  assert.ok(l1.value - l2.value > 4.5 * Math.hypot(l1.se, l2.se), `D₂ = ${l2.value} below D₁`);
  const f = henonMap(),
    x = new Float64Array([0.1, 0.1]),
    nx = new Float64Array(2),
    pts = new Float64Array(2 * 8000);
  for (let t = 0; t < 1000; t++) {
    f.map(x, nx);
    x.set(nx);
  }
  for (let t = 0; t < 8000; t++) {
    for (let k = 0; k < 7; k++) {
      f.map(x, nx);
      x.set(nx);
    }
    pts.set(x, 2 * t);
  }
  const h = informationDimension(pts, 2);
  assert.ok(
    Math.abs(h.value - kaplanYorkeDimension([0.4192, -1.6232])) <= 4.5 * Math.hypot(h.se, 0.01),
    `Hénon D₁: ${h.value} ± ${h.se}`,
  );
  assert.ok(h.ranks[0] === 2 && h.meanLogRadius[0] < h.meanLogRadius[h.ranks.length - 1]);
  assert.throws(() => informationDimension(pts.subarray(0, 2 * 300), 2), /at least 50 per group/);
  assert.throws(() => informationDimension(pts, 2, { massRange: 0.7 }), /massRange/);
});
