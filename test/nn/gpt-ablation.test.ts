import { test } from "node:test";
import assert from "node:assert/strict";
import { Stream } from "../../lib/random";
import {
  gptAblationMatrices,
  gptInit,
  weightSpectra,
  ablateMatrix,
  randomDirections,
  gramEigenpairs,
} from "../../lib/nn";

const spec = { vocab: 11, block: 8, layers: 2, heads: 4, dModel: 16 };

test("gptAblationMatrices: the names and Gram spectra of weightSpectra", () => {
  const theta = gptInit(spec, Stream.named(1, "test/ablation/init"));
  const sp = weightSpectra(spec, theta, 0);
  const ms = gptAblationMatrices(spec);
  assert.deepEqual(ms.map((m) => m.name).sort(), Object.keys(sp.matrices).sort());
  for (const m of ms) {
    const { values } = gramEigenpairs(theta, m);
    const want = sp.matrices[m.name];
    assert.equal(values.length, want.length);
    for (let i = 0; i < want.length; i++)
      assert.ok(Math.abs(values[i] - want[i]) <= 1e-12 * Math.max(1, want[want.length - 1]), `${m.name}[${i}]`);
  }
});

test("ablateMatrix: removing the bulk zeroes exactly the eigenvalues ≤ cut and keeps the rest; the tail likewise; nothing else in θ moves", () => {
  const theta0 = gptInit(spec, Stream.named(2, "test/ablation/init"));
  for (const m of gptAblationMatrices(spec).filter((x) => ["h0.K.head1", "h1.mlp.W1", "h1.mlp.W2"].includes(x.name))) {
    const before = gramEigenpairs(theta0, m).values;
    const cut = before[Math.floor(before.length / 2)];
    for (const mode of ["bulk", "tail"] as const) {
      const theta = Float64Array.from(theta0);
      const removed = ablateMatrix(theta, m, { mode, cut });
      const after = gramEigenpairs(theta, m).values;
      const kept = Array.from(before).filter((x) => (mode === "bulk" ? x > cut : x <= cut));
      const zeros = Array.from(after).filter((x) => Math.abs(x) < 1e-10 * before[before.length - 1]);
      assert.equal(removed, before.length - kept.length);
      assert.equal(zeros.length, removed, `${m.name} ${mode}`);
      const rest = Array.from(after).filter((x) => Math.abs(x) >= 1e-10 * before[before.length - 1]);
      for (let i = 0; i < kept.length; i++)
        assert.ok(Math.abs(rest[i] - kept[i]) < 1e-10 * before[before.length - 1], `${m.name} ${mode} level ${i}`);
      // outside the ablated block nothing changes
      let changed = 0;
      for (let i = 0; i < theta.length; i++)
        if (theta[i] !== theta0[i]) {
          const inBlock =
            i >= m.offset &&
            i < m.offset + m.rows * m.cols &&
            (i - m.offset) % m.cols >= m.c0 &&
            (i - m.offset) % m.cols < m.c0 + m.width;
          if (!inBlock) changed++;
        }
      assert.equal(changed, 0);
    }
    // half the bulk: the smallest ⌈n_bulk/2⌉ levels go
    const theta = Float64Array.from(theta0);
    const nBulk = Array.from(before).filter((x) => x <= cut).length;
    assert.equal(ablateMatrix(theta, m, { mode: "bulk", cut, fraction: 0.5 }), Math.ceil(nBulk / 2));
  }
  assert.throws(
    () => ablateMatrix(Float64Array.from(theta0), gptAblationMatrices(spec)[0], { mode: "bulk", cut: 1, fraction: 2 }),
    /fraction/,
  );
});

test("randomDirections: orthonormal, and removing k of them lowers the Frobenius norm by about k/n on average", () => {
  const st = Stream.named(3, "test/ablation/random");
  const u = randomDirections(10, 4, st);
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++) {
      const dot = u[i].reduce((a, x, k) => a + x * u[j][k], 0);
      assert.ok(Math.abs(dot - (i === j ? 1 : 0)) < 1e-12);
    }
  const theta0 = gptInit(spec, Stream.named(4, "test/ablation/init"));
  const m = gptAblationMatrices(spec).find((x) => x.name === "h0.mlp.W2")!;
  const tr = (t: Float64Array) => gramEigenpairs(t, m).values.reduce((a, b) => a + b, 0);
  let share = 0;
  const reps = 200;
  for (let r = 0; r < reps; r++) {
    const theta = Float64Array.from(theta0);
    ablateMatrix(theta, m, { mode: "random", count: 4 }, Stream.named(5, "test/ablation/random", r));
    share += tr(theta) / tr(theta0) / reps;
  }
  assert.ok(Math.abs(share - (1 - 4 / 16)) < 0.02, `kept share ${share}`);
});
