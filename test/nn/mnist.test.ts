import { test } from "node:test";
import assert from "node:assert/strict";
import { loadMnist } from "../../lib/nn";
import { Stream } from "../../lib/random";

test("loadMnist: balanced, deterministic, disjoint by offset, normalised as asked, one-hot consistent", () => {
  const a = loadMnist({ perDigit: 5, oneHot: true });
  assert.equal(a.n, 50);
  assert.equal(a.images.length, 50 * 784);
  assert.deepEqual(Array.from(a.labels.slice(0, 12)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
  for (let i = 0; i < a.n; i++) assert.equal(a.oneHot![i * 10 + a.labels[i]], 1);
  assert.ok(Math.min(...a.images) >= 0 && Math.max(...a.images) <= 1 && Math.max(...a.images) > 0.9);
  assert.deepEqual(loadMnist({ perDigit: 5 }).images, a.images, "deterministic");
  const b = loadMnist({ perDigit: 5, offset: 5 });
  assert.notDeepEqual(b.images.slice(0, 784), a.images.slice(0, 784), "another digit");
  const s = loadMnist({ perDigit: 20, normalise: "standardize", shuffle: Stream.named(1, "test/mnist") });
  for (const p of [300, 400]) {
    let m = 0, v = 0;
    for (let i = 0; i < s.n; i++) m += s.images[i * 784 + p] / s.n;
    for (let i = 0; i < s.n; i++) v += (s.images[i * 784 + p] - m) ** 2 / s.n;
    assert.ok(Math.abs(m) < 1e-12 && Math.abs(v - 1) < 1e-12, `pixel ${p}: mean ${m}, var ${v}`);
  }
  assert.notDeepEqual(Array.from(s.labels.slice(0, 10)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], "shuffled");
  assert.throws(() => loadMnist({ perDigit: 900, offset: 100 }), /class 2 has 991 digits; offset 100 \+ perDigit 900/);
});
