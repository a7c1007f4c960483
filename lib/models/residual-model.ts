import { requireInteger, requireLength } from "../util/validate";

/**
 * A square-loss learning problem written through its residuals: r_i(x) = Φ(x, y_i) − z_i for a
 * scalar output Φ, so that (the talk's training risk)
 *   L(x) = (1/N) Σ_i L_i(x),   L_i(x) = r_i(x)²,
 * and SGD on a minibatch B uses L_B = (1/|B|) Σ_{i∈B} L_i, an unbiased estimate of L.
 *
 * A model supplies r_i, ∇r_i and ∇²r_i exactly; everything else (loss, gradients, per-sample and
 * full Hessians) is derived here:
 *   ∇L_i = 2 r_i ∇r_i,   Hess L_i = 2 (∇r_i ∇r_iᵀ + r_i ∇²r_i).
 * At a global minimum every r_i = 0, so Hess L_i(x*) = 2 ∇r_i ∇r_iᵀ.
 */
export interface ResidualModel {
  /** Number of parameters D. */
  readonly dim: number;
  /** Number of data points N. */
  readonly n: number;
  /** r_i(x). */
  residual(i: number, x: Float64Array): number;
  /** ∇r_i(x) into out (length D); returns r_i(x) too, since it comes almost free. */
  residualGradient(i: number, x: Float64Array, out: Float64Array): number;
  /** out += weight · ∇²r_i(x), out a D×D row-major matrix. */
  addResidualHessian(i: number, x: Float64Array, weight: number, out: Float64Array): void;
  /**
   * Optional: out += weight · ∇²r_i(x) u (length D) without forming the matrix. Models that have it
   * let `descentTangent` carry k ≪ D tangent vectors in O(|B|·D·k) per step instead of O(|B|·D²).
   */
  addResidualHessianVector?(i: number, x: Float64Array, u: Float64Array, weight: number, out: Float64Array): void;
}

function checkPoint(m: ResidualModel, x: Float64Array): void {
  requireLength("x (one entry per parameter)", x, m.dim);
}

function checkSample(m: ResidualModel, i: number): void {
  requireInteger("sample index", i, 0, m.n - 1);
}

/** L(x) = (1/N) Σ r_i(x)². */
export function loss(m: ResidualModel, x: Float64Array): number {
  checkPoint(m, x);
  let s = 0;
  for (let i = 0; i < m.n; i++) s += m.residual(i, x) ** 2;
  return s / m.n;
}

/** All residuals r_1..r_N into out. */
export function residuals(m: ResidualModel, x: Float64Array, out: Float64Array = new Float64Array(m.n)): Float64Array {
  checkPoint(m, x);
  requireLength("out", out, m.n);
  for (let i = 0; i < m.n; i++) out[i] = m.residual(i, x);
  return out;
}

/**
 * Gradient of the minibatch loss L_B = (1/|B|) Σ_{i∈B} r_i² into out; returns L_B.
 * `batch` lists sample indices (all of 0..N−1 gives the full gradient ∇L). `scratch` (length D)
 * avoids allocation in loops.
 */
export function batchGradient(
  m: ResidualModel,
  x: Float64Array,
  batch: ArrayLike<number>,
  out: Float64Array,
  scratch: Float64Array = new Float64Array(m.dim),
): number {
  out.fill(0);
  let l = 0;
  for (let b = 0; b < batch.length; b++) {
    const r = m.residualGradient(batch[b], x, scratch);
    l += r * r;
    const c = 2 * r;
    for (let j = 0; j < m.dim; j++) out[j] += c * scratch[j];
  }
  const inv = 1 / batch.length;
  for (let j = 0; j < m.dim; j++) out[j] *= inv;
  return l * inv;
}

/** ∇L(x) = (2/N) Σ r_i ∇r_i into out; returns L(x). */
export function gradient(m: ResidualModel, x: Float64Array, out: Float64Array = new Float64Array(m.dim)): Float64Array {
  checkPoint(m, x);
  requireLength("out", out, m.dim);
  batchGradient(m, x, allSamples(m.n), out);
  return out;
}

/** Hess L_i(x) = 2(∇r_i ∇r_iᵀ + r_i ∇²r_i), D×D row-major. */
export function sampleHessian(
  m: ResidualModel,
  i: number,
  x: Float64Array,
  out: Float64Array = new Float64Array(m.dim * m.dim),
): Float64Array {
  checkPoint(m, x);
  checkSample(m, i);
  requireLength("out (D·D entries)", out, m.dim * m.dim);
  out.fill(0);
  addSampleHessian(m, i, x, 1, out, new Float64Array(m.dim));
  mirrorUpper(out, m.dim);
  return out;
}

/** Hess L(x) = (1/N) Σ_i Hess L_i(x), D×D row-major. */
export function hessian(
  m: ResidualModel,
  x: Float64Array,
  out: Float64Array = new Float64Array(m.dim * m.dim),
): Float64Array {
  checkPoint(m, x);
  requireLength("out (D·D entries)", out, m.dim * m.dim);
  out.fill(0);
  const g: Float64Array = new Float64Array(m.dim);
  for (let i = 0; i < m.n; i++) addSampleHessian(m, i, x, 1 / m.n, out, g);
  mirrorUpper(out, m.dim);
  return out;
}

/**
 * The minibatch Hessian Hess L_B(x) = (1/|B|) Σ_{i∈B} Hess L_i(x) into out (D×D, row-major);
 * `g` (length D) is scratch. No allocation: for loops along a trajectory.
 */
export function batchHessian(
  m: ResidualModel,
  x: Float64Array,
  batch: ArrayLike<number>,
  out: Float64Array,
  g: Float64Array = new Float64Array(m.dim),
): Float64Array {
  out.fill(0);
  for (let b = 0; b < batch.length; b++) addSampleHessian(m, batch[b], x, 1 / batch.length, out, g);
  mirrorUpper(out, m.dim);
  return out;
}

function addSampleHessian(
  m: ResidualModel,
  i: number,
  x: Float64Array,
  weight: number,
  out: Float64Array,
  g: Float64Array,
): void {
  // hot loop of every full-Hessian step: the rank-one term goes to the upper triangle only (half the
  // work); the residual Hessian is added whole, so the upper triangle holds the complete sum and the
  // caller copies it down once (mirrorUpper)
  const d = m.dim;
  const r = m.residualGradient(i, x, g);
  const c = 2 * weight;
  for (let a = 0; a < d; a++) {
    const ga = c * g[a];
    if (ga === 0) continue;
    const row = a * d;
    for (let b = a; b < d; b++) out[row + b] += ga * g[b];
  }
  if (r !== 0) m.addResidualHessian(i, x, c * r, out);
}

/** Copies the upper triangle of the d×d row-major matrix onto its lower triangle. */
function mirrorUpper(out: Float64Array, d: number): void {
  for (let a = 1; a < d; a++) for (let b = 0; b < a; b++) out[a * d + b] = out[b * d + a];
}

/**
 * The residual Jacobian J (N×D, row i = ∇r_i(x)ᵀ), row-major. At a point of M = {L = 0}, the
 * tangent space is ker J and the normal space is the row space of J.
 */
export function residualJacobian(
  m: ResidualModel,
  x: Float64Array,
  out: Float64Array = new Float64Array(m.n * m.dim),
): Float64Array {
  checkPoint(m, x);
  requireLength("out (N·D entries)", out, m.n * m.dim);
  const g = new Float64Array(m.dim);
  for (let i = 0; i < m.n; i++) {
    m.residualGradient(i, x, g);
    out.set(g, i * m.dim);
  }
  return out;
}

const allCache = new Map<number, Int32Array>();
/** The index list 0..n−1 (cached; do not modify). */
export function allSamples(n: number): Int32Array {
  let a = allCache.get(n);
  if (!a) {
    a = new Int32Array(n);
    for (let i = 0; i < n; i++) a[i] = i;
    allCache.set(n, a);
  }
  return a;
}
