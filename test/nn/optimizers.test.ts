import { test } from "node:test";
import assert from "node:assert/strict";
import { gradientDescent, momentum, adam, adamW, epochBatches } from "../../lib/nn";
import { Stream } from "../../lib/random";

const close = (a: ArrayLike<number>, b: number[], tol = 1e-15) =>
  b.forEach((v, i) => assert.ok(Math.abs(a[i] - v) <= tol * Math.max(1, Math.abs(v)), `entry ${i}: ${a[i]} vs ${v}`));

test("each optimizer against two steps computed by hand", () => {
  const g1 = Float64Array.of(1, -2),
    g2 = Float64Array.of(0.5, 4);
  // GD η = 0.1: (1, 1) → (0.9, 1.2) → (0.85, 0.8)
  let th = Float64Array.of(1, 1);
  const gd = gradientDescent({ eta: 0.1 });
  gd.step(th, g1);
  gd.step(th, g2);
  close(th, [0.85, 0.8]);
  // momentum η = 0.1, β = 0.5: v1 = g1, θ1 = (0.9, 1.2); v2 = 0.5g1 + g2 = (1, 3), θ2 = (0.8, 0.9)
  th = Float64Array.of(1, 1);
  const mo = momentum({ eta: 0.1, beta: 0.5 });
  mo.step(th, g1);
  mo.step(th, g2);
  close(th, [0.8, 0.9]);
  // Adam η = 0.1, ε = 0: step 1 moves each coordinate by −η·sign(g) exactly
  th = Float64Array.of(1, 1);
  const ad = adam({ eta: 0.1, eps: 0 });
  ad.step(th, g1);
  close(th, [0.9, 1.1]);
  // step 2: m = 0.9·(0.1g1) + 0.1g2, v = 0.999·(0.001g1²) + 0.001g2², m̂ = m/(1 − 0.9²), v̂ = v/(1 − 0.999²)
  ad.step(th, g2);
  const m = [0.09 * 1 + 0.1 * 0.5, 0.09 * -2 + 0.1 * 4],
    v = [0.000999 * 1 + 0.001 * 0.25, 0.000999 * 4 + 0.001 * 16];
  const c1 = 1 - 0.81,
    c2 = 1 - 0.999 ** 2;
  close(th, [0.9 - (0.1 * m[0]) / c1 / Math.sqrt(v[0] / c2), 1.1 - (0.1 * m[1]) / c1 / Math.sqrt(v[1] / c2)], 1e-14);
  // AdamW λ = 0.5: the decay θ ← θ(1 − ηλ) comes first and is not seen by the moments
  th = Float64Array.of(1, 1);
  const aw = adamW({ eta: 0.1, eps: 0, weightDecay: 0.5 });
  aw.step(th, g1);
  close(th, [0.95 - 0.1, 0.95 + 0.1], 1e-15);
});

test("epochBatches: a partition of 0…n−1, reproducible from the stream, last batch shorter; bad sizes refused", () => {
  const b = epochBatches(10, 4, Stream.named(1, "test/nn/batches"));
  assert.deepEqual(
    b.map((x) => x.length),
    [4, 4, 2],
  );
  assert.deepEqual(
    Array.from(b.flatMap((x) => Array.from(x))).sort((x, y) => x - y),
    Array.from({ length: 10 }, (_, i) => i),
  );
  assert.deepEqual(epochBatches(10, 4, Stream.named(1, "test/nn/batches")), b);
  assert.notDeepEqual(epochBatches(10, 4, Stream.named(2, "test/nn/batches")), b);
  assert.throws(() => epochBatches(10, 11, Stream.named(1, "x")), /batch size \(samples per step, N = 10\)/);
  assert.throws(() => gradientDescent({ eta: 0 }), /eta/);
  assert.throws(() => momentum({ eta: 0.1, beta: 1 }), /beta/);
});
