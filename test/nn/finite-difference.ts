import { Tape, Node } from "../../lib/nn";
import { Stream } from "../../lib/random";

/** Finite-difference helpers shared by the lib/nn tests. */
export type Build = (tape: Tape, theta: Node) => Node;

/** Value, gradient and HVP of a scalar built on a flat parameter vector. */
export function derivatives(build: Build, theta: Float64Array, v?: Float64Array) {
  const tape = new Tape();
  const th = tape.param(theta, [theta.length], v);
  const f = build(tape, th);
  tape.backward(f);
  return {
    f: f.value[0],
    g: th.grad ?? new Float64Array(theta.length),
    hv: th.gradTangent ?? new Float64Array(theta.length),
  };
}

/**
 * Central difference of `fn` along direction u with steps h and h/2. The error of the finer one
 * is estimated from the scheme itself: truncation ≈ |D(h) − D(h/2)|/3 (O(h²) error), plus
 * rounding ≈ ε·max|fn|/h; the tolerance is 10× their sum.
 */
export function centralDifference(
  fn: (t: Float64Array) => Float64Array,
  theta: Float64Array,
  u: Float64Array,
  h: number,
) {
  const at = (s: number) => fn(theta.map((x, i) => x + s * u[i]));
  const d = (step: number) => {
    const p = at(step),
      m = at(-step);
    return p.map((x, i) => (x - m[i]) / (2 * step));
  };
  const coarse = d(h),
    fine = d(h / 2);
  const scale = Math.max(...at(0).map(Math.abs), 1);
  const tol = fine.map((x, i) => 10 * (Math.abs(coarse[i] - x) / 3 + (2.2e-16 * scale) / (h / 2)));
  return { value: fine, tol };
}

export const rnd = (s: Stream, n: number, scale = 1) => Float64Array.from({ length: n }, () => scale * s.normal());
