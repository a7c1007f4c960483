import { test } from "node:test";
import assert from "node:assert/strict";
import { Tape, Node, slice, sum, mul, causalAttention, composedCausalAttention } from "../../lib/nn";
import { Stream } from "../../lib/random";
import { centralDifference, derivatives, rnd, type Build } from "./finite-difference";

// 3 sequences of T = 4 tokens, 2 heads of width 3: Q, K, V are [12, 6]
const B = 3,
  T = 4,
  H = 2,
  S = 3,
  rows = B * T,
  width = H * S,
  size = rows * width,
  c = 0.7;

const weights = Float64Array.from(rnd(Stream.named(3, "test/nn/causal-attention/weights"), size));
/** A scalar of the attention's output, θ = [Q, K, V] flattened; `constantV` feeds V as a constant. */
const build =
  (op: (tape: Tape, Q: Node, K: Node, V: Node) => Node, constantV = false): Build =>
  (tape, th) => {
    const Q = slice(tape, th, 0, [rows, width]),
      K = slice(tape, th, size, [rows, width]),
      V = constantV
        ? tape.constant(
            weights.map((w) => 0.5 * w),
            [rows, width],
          )
        : slice(tape, th, 2 * size, [rows, width]);
    const O = op(tape, Q, K, V);
    return sum(tape, mul(tape, mul(tape, O, O), tape.constant(weights, [rows, width])));
  };
const fused = (tape: Tape, Q: Node, K: Node, V: Node) => causalAttention(tape, Q, K, V, H, B, c);
const reference = (tape: Tape, Q: Node, K: Node, V: Node) => composedCausalAttention(tape, Q, K, V, H, B, c);

test("causalAttention equals attention composed from the tested primitives: value, gradient and Hessian-vector product (several sequences and heads)", () => {
  const s = Stream.named(3, "test/nn/causal-attention/compare");
  const theta = rnd(s, 3 * size, 0.8),
    v = rnd(s, 3 * size);
  for (const constantV of [false, true]) {
    const a = derivatives(build(fused, constantV), theta, v),
      b = derivatives(build(reference, constantV), theta, v);
    const close = (x: Float64Array, y: Float64Array, what: string) => {
      const scaleOf = Math.max(...y.map(Math.abs));
      for (let i = 0; i < y.length; i++)
        assert.ok(
          Math.abs(x[i] - y[i]) <= 1e-13 * scaleOf,
          `${what}[${i}]: ${x[i]} vs ${y[i]} (V constant: ${constantV})`,
        );
    };
    assert.ok(Math.abs(a.f - b.f) <= 1e-13 * Math.abs(b.f));
    close(a.g, b.g, "gradient");
    close(a.hv, b.hv, "H v");
    assert.ok(Math.max(...a.hv.map(Math.abs)) > 1e-3, "the HVP is not trivially zero");
  }
});

test("causalAttention: gradient and Hessian-vector product against central differences", () => {
  const s = Stream.named(4, "test/nn/causal-attention/fd");
  const theta = rnd(s, 3 * size, 0.8),
    v = rnd(s, 3 * size);
  const { g, hv } = derivatives(build(fused), theta, v);
  const fd = centralDifference((t) => Float64Array.of(derivatives(build(fused), t).f), theta, v, 1e-3);
  const gv = g.reduce((acc, x, i) => acc + x * v[i], 0);
  assert.ok(Math.abs(gv - fd.value[0]) <= fd.tol[0], `∇f·v = ${gv} vs ${fd.value[0]} ± ${fd.tol[0]}`);
  const fdh = centralDifference((t) => derivatives(build(fused), t).g, theta, v, 1e-3);
  for (let i = 0; i < hv.length; i++)
    assert.ok(Math.abs(hv[i] - fdh.value[i]) <= fdh.tol[i], `(Hv)${i} = ${hv[i]} vs ${fdh.value[i]} ± ${fdh.tol[i]}`);
});

test("causalAttention is causal and refuses inconsistent shapes", () => {
  const s = Stream.named(5, "test/nn/causal-attention/causal");
  const run = (q: Float64Array) => {
    const tape = new Tape();
    const m = (x: Float64Array) => tape.constant(x, [rows, width]);
    return causalAttention(tape, m(q), m(q.map((x) => -x)), m(weights), H, B, c).value;
  };
  const q = rnd(s, size),
    later = Float64Array.from(q);
  later[(T - 1) * width] += 1; // the last token of the first sequence
  const a = run(q),
    b = run(later);
  for (let i = 0; i < size; i++)
    if (Math.floor(i / width) !== T - 1) assert.equal(a[i], b[i], `entry ${i} is not the changed token's: unchanged`);
  assert.notEqual(a[(T - 1) * width], b[(T - 1) * width]);
  const tape = new Tape();
  const m = (r: number, w: number) => tape.constant(new Float64Array(r * w), [r, w]);
  assert.throws(() => causalAttention(tape, m(12, 6), m(12, 6), m(12, 5), 2, 3, 1), /one shape/);
  assert.throws(
    () => causalAttention(tape, m(12, 6), m(12, 6), m(12, 6), 4, 3, 1),
    /6 columns do not split into 4 heads/,
  );
  assert.throws(
    () => causalAttention(tape, m(12, 6), m(12, 6), m(12, 6), 2, 5, 1),
    /12 rows do not split into 5 sequences/,
  );
});
