import { test } from "node:test";
import assert from "node:assert/strict";
import { principalComponents } from "../../lib/linalg";
import { Stream } from "../../lib/random";

test("points on a known plane in R^50: two components carry all the variance, with the plane's variances, and the scores reproduce every distance", () => {
  const s = Stream.named(1, "test/linalg/pca"),
    n = 120,
    d = 50;
  // an orthonormal pair e1, e2 (Gram–Schmidt of two Gaussian vectors) and coordinates of sd 3 and 1
  const e1 = s.fillNormal(new Float64Array(d)),
    e2 = s.fillNormal(new Float64Array(d));
  const dot = (a: Float64Array, b: Float64Array) => a.reduce((t, x, i) => t + x * b[i], 0);
  const n1 = Math.sqrt(dot(e1, e1));
  e1.forEach((x, i, a) => (a[i] = x / n1));
  const c = dot(e1, e2);
  e2.forEach((x, i, a) => (a[i] = x - c * e1[i]));
  const n2 = Math.sqrt(dot(e2, e2));
  e2.forEach((x, i, a) => (a[i] = x / n2));
  const offset = s.fillNormal(new Float64Array(d)),
    pts = new Float64Array(n * d),
    a = new Float64Array(n),
    b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = 3 * s.normal();
    b[i] = s.normal();
    for (let j = 0; j < d; j++) pts[i * d + j] = offset[j] + a[i] * e1[j] + b[i] * e2[j];
  }
  const r = principalComponents(pts, d, 3);
  const mean = (v: Float64Array) => v.reduce((t, x) => t + x, 0) / v.length;
  const va = a.reduce((t, x) => t + (x - mean(a)) ** 2, 0) / n,
    vb = b.reduce((t, x) => t + (x - mean(b)) ** 2, 0) / n;
  assert.ok(Math.abs(r.total - (va + vb)) < 1e-10 * r.total, `total ${r.total} vs ${va + vb}`);
  assert.ok(Math.abs(r.variances[0] + r.variances[1] - r.total) < 1e-9 * r.total);
  assert.ok(r.variances[2] < 1e-12 * r.total, `third variance ${r.variances[2]}`);
  assert.ok(r.variances[0] >= r.variances[1]);
  // distances in the plane equal distances of the 2-D scores
  for (const [i, j] of [
    [0, 1],
    [5, 77],
    [119, 3],
  ]) {
    let full = 0;
    for (let k = 0; k < d; k++) full += (pts[i * d + k] - pts[j * d + k]) ** 2;
    const proj = (r.scores[i * 3] - r.scores[j * 3]) ** 2 + (r.scores[i * 3 + 1] - r.scores[j * 3 + 1]) ** 2;
    assert.ok(Math.abs(full - proj) < 1e-9 * full, `pair ${i}, ${j}`);
  }
});

test("bad input: wrong lengths, too few points, too many components, NaN", () => {
  assert.throws(() => principalComponents(new Float64Array(7), 3, 1), /number of points/);
  assert.throws(() => principalComponents(new Float64Array(3), 3, 1), /number of points/);
  assert.throws(() => principalComponents(new Float64Array(12), 3, 4), /components/);
  assert.throws(() => principalComponents([1, 2, NaN, 4, 5, 6], 3, 1), /points/);
});
