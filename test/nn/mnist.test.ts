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
    let m = 0,
      v = 0;
    for (let i = 0; i < s.n; i++) m += s.images[i * 784 + p] / s.n;
    for (let i = 0; i < s.n; i++) v += (s.images[i * 784 + p] - m) ** 2 / s.n;
    assert.ok(Math.abs(m) < 1e-12 && Math.abs(v - 1) < 1e-12, `pixel ${p}: mean ${m}, var ${v}`);
  }
  assert.notDeepEqual(Array.from(s.labels.slice(0, 10)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], "shuffled");
  assert.throws(() => loadMnist({ perDigit: 900, offset: 100 }), /class 2 has 991 digits; offset 100 \+ perDigit 900/);
  assert.throws(() => loadMnist({ pool: 3 }), /pool must divide 28/);
});

test("loadMnist pooling: each pooled pixel is the mean of its block; the image total is conserved up to the block area", () => {
  const a = loadMnist({ perDigit: 2 }),
    p = loadMnist({ perDigit: 2, pool: 2 });
  assert.equal(p.pixels, 196);
  assert.equal(p.images.length, 20 * 196);
  for (const [i, r, c] of [
    [0, 7, 7],
    [3, 10, 4],
    [19, 13, 13],
  ]) {
    const block = [0, 1].flatMap((dr) => [0, 1].map((dc) => a.images[i * 784 + (2 * r + dr) * 28 + 2 * c + dc]));
    assert.ok(Math.abs(p.images[i * 196 + r * 14 + c] - block.reduce((x, y) => x + y, 0) / 4) < 1e-15);
  }
  for (let i = 0; i < 20; i++) {
    const sa = a.images.slice(i * 784, (i + 1) * 784).reduce((x, y) => x + y, 0);
    const sp = p.images.slice(i * 196, (i + 1) * 196).reduce((x, y) => x + y, 0);
    assert.ok(Math.abs(sa - 4 * sp) < 1e-10 * sa);
  }
});
