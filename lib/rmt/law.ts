import type { Stream } from "../random/stream";

/**
 * A probability law on the real line as the notebooks use it: density, distribution function,
 * sampling and moments. `mean` and `variance` are exact; `sample` fills `out` from a seeded stream.
 */
export interface Law {
  readonly name: string;
  /** The closed support [lo, hi] (±Infinity where unbounded). */
  readonly support: readonly [number, number];
  pdf(x: number): number;
  cdf(x: number): number;
  sample(stream: Stream, out: Float64Array): Float64Array;
  readonly mean: number;
  readonly variance: number;
}

/** A standard Gamma(shape) variate for the half-integer shapes the surmises need (shape = k/2). */
export function gammaHalfInteger(stream: Stream, shape: number): number {
  // Gamma(k/2) = χ²_k / 2: a sum of ⌊k/2⌋ exponentials plus Z²/2 when k is odd.
  let g = 0;
  let s = shape;
  while (s >= 1) {
    g -= Math.log(1 - stream.uniform());
    s -= 1;
  }
  if (s > 0) {
    const z = stream.normal();
    g += 0.5 * z * z;
  }
  return g;
}

/** Inverse of a continuous increasing cdf on [lo, hi] by bisection, to |Δx| ≤ 1e-13·(hi − lo). */
export function invertCdf(cdf: (x: number) => number, u: number, lo: number, hi: number): number {
  let a = lo,
    b = hi;
  const tol = 1e-13 * (hi - lo);
  while (b - a > tol) {
    const m = 0.5 * (a + b);
    if (cdf(m) < u) a = m;
    else b = m;
  }
  return 0.5 * (a + b);
}
