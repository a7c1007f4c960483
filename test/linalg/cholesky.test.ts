import { test } from "node:test";
import assert from "node:assert/strict";
import { choleskyInPlace, choleskyInverse, choleskySolve } from "../../lib/linalg";
import { Stream } from "../../lib/random";

/** A symmetric positive definite p×p matrix BᵀB + p·I from a stream. */
function spd(p: number, s: Stream): Float64Array {
  const b = s.fillNormal(new Float64Array(p * p)),
    a = new Float64Array(p * p);
  for (let i = 0; i < p; i++)
    for (let j = 0; j < p; j++) {
      let acc = i === j ? p : 0;
      for (let k = 0; k < p; k++) acc += b[k * p + i] * b[k * p + j];
      a[i * p + j] = acc;
    }
  return a;
}

test("choleskyInverse: A·A⁻¹ = I to rounding, A⁻¹ symmetric, the 2×2 closed form; each column is choleskySolve's", () => {
  const s = Stream.named(3, "test/linalg/cholesky");
  for (const p of [1, 2, 5, 9]) {
    const a = spd(p, s),
      l = Float64Array.from(a);
    assert.ok(choleskyInPlace(l, p));
    const inv = choleskyInverse(l, p);
    let scale = 0;
    for (const v of a) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < p; i++)
      for (let j = 0; j < p; j++) {
        let acc = 0;
        for (let k = 0; k < p; k++) acc += a[i * p + k] * inv[k * p + j];
        assert.ok(Math.abs(acc - (i === j ? 1 : 0)) < 1e-12 * p * scale, `p = ${p}: (A·A⁻¹)[${i}, ${j}] = ${acc}`);
        assert.ok(Math.abs(inv[i * p + j] - inv[j * p + i]) < 1e-14 * scale, "symmetric");
      }
    const e = new Float64Array(p).fill(0);
    e[p - 1] = 1;
    const col = choleskySolve(l, e, new Float64Array(p), p);
    assert.deepEqual(
      Array.from({ length: p }, (_, i) => inv[i * p + p - 1]),
      Array.from(col),
      "the last column, bit for bit",
    );
  }
  // [[a, b], [b, d]]⁻¹ = [[d, −b], [−b, a]]/(ad − b²)
  const l = Float64Array.of(4, 2, 2, 3);
  choleskyInPlace(l, 2);
  const inv = choleskyInverse(l, 2, new Float64Array(4));
  [3 / 8, -2 / 8, -2 / 8, 4 / 8].forEach((v, i) =>
    assert.ok(Math.abs(inv[i] - v) < 1e-15, `entry ${i}: ${inv[i]} vs ${v}`),
  );
  assert.throws(() => choleskyInverse(l, 3), /p·p = 9 numbers, got 4 and 9/);
});
