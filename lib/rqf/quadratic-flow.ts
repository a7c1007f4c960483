import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { requireInteger, requirePositive, requireLength } from "../util/validate";

// The deterministic quadratic form (DQF) of Engel & Shalova (2026), §2: the gradient flow of
// x ↦ ½⟨x, Ax⟩ on the sphere S^{n−1} for a symmetric A,
//   ẋ = P_x A x = Ax − ⟨x, Ax⟩x.
// Its solution is explicit: x(t) = e^{At}x₀ / |e^{At}x₀| (differentiate y/|y| with ẏ = Ay). In the
// eigenbasis (λ₁ > λ₂ ≥ … , coefficients c_k of x₀) the weight of mode k is c_k² e^{2λ_k t}, so
// every start with c₁ ≠ 0 (almost every start) converges to ±v₁, and the gap to the top of the
// quadratic form closes as
//   λ₁ − ⟨x, Ax⟩ = Σ_k (λ₁ − λ_k) c_k² e^{2λ_k t} / Σ_k c_k² e^{2λ_k t} ≈ (λ₁ − λ₂)(c₂/c₁)² e^{−2(λ₁−λ₂)t}:
// the rate is twice the spectral gap (the angle to ±v₁ closes at the gap itself).

function requireSymmetric(a: ArrayLike<number>, n: number): void {
  requireLength("A (n·n entries, row-major)", a, n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++)
      if (!(Math.abs(a[i * n + j] - a[j * n + i]) <= 1e-12 * (Math.abs(a[i * n + j]) + Math.abs(a[j * n + i]) + 1))) {
        throw new RangeError(`A must be symmetric for the quadratic-form flow: A[${i}][${j}] = ${a[i * n + j]} but A[${j}][${i}] = ${a[j * n + i]}`);
      }
}

function unitStart(x0: ArrayLike<number>, n: number): Float64Array {
  requireLength("x₀", x0, n);
  const x = Float64Array.from(x0);
  const norm = Math.hypot(...x);
  if (!(Math.abs(norm - 1) <= 1e-9)) throw new RangeError(`x₀ must lie on the unit sphere, |x₀| = ${norm}`);
  return x;
}

/**
 * Integrate ẋ = Ax − ⟨x, Ax⟩x from x₀ (|x₀| = 1) with the classical Runge–Kutta scheme of step dt,
 * renormalising after each step, and record λ(t) = ⟨x, Ax⟩ at the steps listed in `recordEvery`
 * multiples (default every step). Returns the final point and the records (time, ⟨x, Ax⟩).
 * Errors: a RangeError for a non-symmetric A, a start off the sphere, dt ≤ 0 or time ≤ 0.
 */
export function quadraticFlow(a: ArrayLike<number>, n: number, x0: ArrayLike<number>, o: { time: number; dt: number; recordEvery?: number }): { x: Float64Array; times: number[]; rayleigh: number[] } {
  requireInteger("n", n, 2);
  requireSymmetric(a, n);
  requirePositive("time", o.time);
  requirePositive("dt", o.dt);
  const every = o.recordEvery ?? 1;
  requireInteger("recordEvery", every, 1);
  const x = unitStart(x0, n);
  const k1 = new Float64Array(n), k2 = new Float64Array(n), k3 = new Float64Array(n), k4 = new Float64Array(n), y = new Float64Array(n), ax = new Float64Array(n);
  // f(x) = Ax − ⟨x, Ax⟩x, written into out; returns ⟨x, Ax⟩
  const f = (p: Float64Array, out: Float64Array): number => {
    let r = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j] * p[j];
      ax[i] = s;
      r += p[i] * s;
    }
    for (let i = 0; i < n; i++) out[i] = ax[i] - r * p[i];
    return r;
  };
  const steps = Math.round(o.time / o.dt), h = o.dt;
  const times: number[] = [], rayleigh: number[] = [];
  for (let s = 0; s <= steps; s++) {
    const r = f(x, k1);
    if (s % every === 0) { times.push(s * h); rayleigh.push(r); }
    if (s === steps) break;
    for (let i = 0; i < n; i++) y[i] = x[i] + 0.5 * h * k1[i];
    f(y, k2);
    for (let i = 0; i < n; i++) y[i] = x[i] + 0.5 * h * k2[i];
    f(y, k3);
    for (let i = 0; i < n; i++) y[i] = x[i] + h * k3[i];
    f(y, k4);
    let norm = 0;
    for (let i = 0; i < n; i++) {
      x[i] += (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
      norm += x[i] * x[i];
    }
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) x[i] /= norm;
  }
  return { x, times, rayleigh };
}

/** The eigenvalues (descending) and orthonormal eigenvectors (columns, row-major n×n) of a symmetric A. */
export function symmetricEigenpairs(a: ArrayLike<number>, n: number): { values: Float64Array; vectors: Float64Array } {
  requireInteger("n", n, 1);
  requireSymmetric(a, n);
  const m = new Matrix(Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => a[i * n + j])));
  const e = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  const order = e.realEigenvalues.map((v, i) => [v, i] as const).sort((p, q) => q[0] - p[0]);
  const v = e.eigenvectorMatrix;
  const values = Float64Array.from(order.map(([val]) => val));
  const vectors = new Float64Array(n * n);
  order.forEach(([, col], k) => { for (let i = 0; i < n; i++) vectors[i * n + k] = v.get(i, col); });
  return { values, vectors };
}

/**
 * The exact solution x(t) = e^{At}x₀/|e^{At}x₀| and λ₁ − ⟨x(t), Ax(t)⟩ at the given times, from the
 * eigenpairs (computed in log space, so late times neither overflow nor lose the small modes).
 */
export function quadraticFlowExact(eig: { values: Float64Array; vectors: Float64Array }, x0: ArrayLike<number>, times: number[]): { gap: number[]; points: Float64Array[] } {
  const n = eig.values.length;
  const x = unitStart(x0, n);
  const c = new Float64Array(n);
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) c[k] += eig.vectors[i * n + k] * x[i];
  const l1 = eig.values[0];
  const gap: number[] = [], points: Float64Array[] = [];
  for (const t of times) {
    // weights w_k = c_k² e^{2(λ_k − λ₁)t}, relative to the top mode
    let z = 0, num = 0;
    const amp = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      amp[k] = c[k] * Math.exp((eig.values[k] - l1) * t);
      const w = amp[k] * amp[k];
      z += w;
      num += (l1 - eig.values[k]) * w;
    }
    gap.push(num / z);
    const p = new Float64Array(n);
    const norm = Math.sqrt(z);
    for (let i = 0; i < n; i++) { let s = 0; for (let k = 0; k < n; k++) s += eig.vectors[i * n + k] * amp[k]; p[i] = s / norm; }
    points.push(p);
  }
  return { gap, points };
}
