import type { Stream } from "../random/stream";
import { SymmetricEigen } from "../linalg/symmetric-eigen";
import { gramMatrix } from "../linalg/gram";
import { requireInteger, requirePositive, requireLength } from "../util/validate";

// X = WᵀW with additive noise on W is a Wishart process, not Dyson motion (notebook 08). With
// W (rows × cols) and dW = g dB, Itô's formula gives dX = dWᵀW + WᵀdW + rows·g² I dt: X has an
// Itô drift rows·g² per diagonal entry, and noise whose size grows with W. Its eigenvalues follow
// (Bru 1991) dx_i = 2g√x_i dβ_i + g²[rows + Σ_{j≠i}(x_i + x_j)/(x_i − x_j)] dt: noise ∝ √x_i, a
// repulsion (x_i + x_j)/(x_i − x_j), and a hard wall at 0. Near a cluster of levels far from 0 this
// is Dyson motion with g_D² = 2g²x* (the repulsion tends to 2x*/(x_i − x_j)) plus a common drift;
// near 0 it is not.

/**
 * Exact moments of tr X(t) for X = WᵀW, W(t) = W₀ + gB(t): tr X = ‖W‖²_F is a sum of rows·cols
 * squared Gaussians with means w₀ and variance g²t, so
 * E tr X(t) = tr X₀ + rows·cols·g²t and Var tr X(t) = 4g²t·tr X₀ + 2·rows·cols·g⁴t².
 * Under Dyson motion of X itself (symmetric noise added to X) the mean would not move and the
 * variance would not depend on X₀. Errors: a RangeError for non-positive sizes, g or t, or tr X₀ < 0.
 */
export function wishartTraceMoments(
  trace0: number,
  rows: number,
  cols: number,
  g: number,
  t: number,
): { mean: number; variance: number } {
  requireInteger("rows", rows, 1);
  requireInteger("cols", cols, 1);
  requirePositive("g", g);
  requirePositive("t", t);
  if (!(trace0 >= 0)) throw new RangeError(`tr X₀ must be ≥ 0, got ${trace0}`);
  const g2t = g * g * t;
  return { mean: trace0 + rows * cols * g2t, variance: 4 * g2t * trace0 + 2 * rows * cols * g2t * g2t };
}

/** What `brownianGramSamples` returns. */
export interface GramSamples {
  /** tr X(t) of each sample. */
  traces: Float64Array;
  /** Eigenvalues of X(t), samples × cols, each row ascending. */
  spectra: Float64Array;
}

/**
 * Samples of X(t) = W(t)ᵀW(t) with W(t) = W₀ + g√t Z, Z a rows × cols standard normal matrix: the
 * exact law at time t of W under additive Brownian noise (no time step, no discretisation error).
 * `w0` is rows × cols, row-major. Errors: a RangeError for bad sizes, g ≤ 0 or t ≤ 0.
 */
export function brownianGramSamples(o: {
  w0: ArrayLike<number>;
  rows: number;
  cols: number;
  g: number;
  t: number;
  samples: number;
  stream: Stream;
}): GramSamples {
  const { rows, cols, samples } = o;
  requireInteger("rows", rows, 1);
  requireInteger("cols", cols, 1);
  requireInteger("samples", samples, 1);
  requireLength("w0 (rows·cols entries)", o.w0, rows * cols);
  requirePositive("g", o.g);
  requirePositive("t", o.t);
  const s = o.g * Math.sqrt(o.t);
  const w = new Float64Array(rows * cols),
    x = new Float64Array(cols * cols),
    ev = new Float64Array(cols);
  const eig = new SymmetricEigen(cols);
  const traces = new Float64Array(samples),
    spectra = new Float64Array(samples * cols);
  for (let n = 0; n < samples; n++) {
    o.stream.fillNormal(w);
    for (let k = 0; k < w.length; k++) w[k] = o.w0[k] + s * w[k];
    gramMatrix(w, rows, cols, x);
    let tr = 0;
    for (let a = 0; a < cols; a++) tr += x[a * cols + a];
    traces[n] = tr;
    spectra.set(eig.values(x, ev, Infinity), n * cols);
  }
  return { traces, spectra };
}

/**
 * The alternative to `brownianGramSamples`: Dyson motion of X itself, X(t) = X₀ + g√t·G with G a
 * cols × cols GOE matrix (diagonal variance 2, off-diagonal 1), the picture in which the noise is
 * added to X directly rather than to W. `x0` is cols × cols, symmetric, row-major. Its trace has
 * mean tr X₀ and variance 2·cols·g²t for every X₀ (notebook 08's falsified setting "noise-on-x").
 * Errors: a RangeError for bad sizes, g ≤ 0, t ≤ 0 or a non-symmetric x0.
 */
export function dysonGramSamples(o: {
  x0: ArrayLike<number>;
  cols: number;
  g: number;
  t: number;
  samples: number;
  stream: Stream;
}): GramSamples {
  const { cols, samples } = o;
  requireInteger("cols", cols, 1);
  requireInteger("samples", samples, 1);
  requireLength("x0 (cols·cols entries)", o.x0, cols * cols);
  for (let a = 0; a < cols; a++)
    for (let b = 0; b < a; b++)
      if (o.x0[a * cols + b] !== o.x0[b * cols + a])
        throw new RangeError(`x0 must be symmetric, x0[${a}][${b}] ≠ x0[${b}][${a}]`);
  requirePositive("g", o.g);
  requirePositive("t", o.t);
  const s = o.g * Math.sqrt(o.t);
  const x = new Float64Array(cols * cols),
    ev = new Float64Array(cols);
  const eig = new SymmetricEigen(cols);
  const traces = new Float64Array(samples),
    spectra = new Float64Array(samples * cols);
  for (let n = 0; n < samples; n++) {
    let tr = 0;
    for (let a = 0; a < cols; a++) {
      x[a * cols + a] = o.x0[a * cols + a] + s * Math.SQRT2 * o.stream.normal();
      tr += x[a * cols + a];
      for (let b = 0; b < a; b++) x[a * cols + b] = x[b * cols + a] = o.x0[a * cols + b] + s * o.stream.normal();
    }
    traces[n] = tr;
    spectra.set(eig.values(x, ev, Infinity), n * cols);
  }
  return { traces, spectra };
}

/**
 * Bru's drift of level i of the Wishart process, g²[rows + Σ_{j≠i}(x_i + x_j)/(x_i − x_j)] (the
 * header), at the distinct levels x. Errors: a RangeError for an index outside x or coinciding levels.
 */
export function bruDrift(levels: ArrayLike<number>, i: number, rows: number, g: number): number {
  requireInteger("i", i, 0, levels.length - 1);
  requireInteger("rows", rows, 1);
  requirePositive("g", g);
  let s = rows;
  for (let j = 0; j < levels.length; j++) {
    if (j === i) continue;
    if (levels[j] === levels[i]) throw new RangeError(`bruDrift: levels ${i} and ${j} coincide (${levels[i]})`);
    s += (levels[i] + levels[j]) / (levels[i] - levels[j]);
  }
  return g * g * s;
}
