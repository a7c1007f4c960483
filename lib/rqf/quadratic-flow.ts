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
        throw new RangeError(
          `A must be symmetric for the quadratic-form flow: A[${i}][${j}] = ${a[i * n + j]} but A[${j}][${i}] = ${a[j * n + i]}`,
        );
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
 * Errors: a RangeError for a non-symmetric A, a start off the sphere, dt ≤ 0 or T ≤ 0.
 */
export function quadraticFlow(
  a: ArrayLike<number>,
  n: number,
  x0: ArrayLike<number>,
  o: { T: number; dt: number; recordEvery?: number },
): { x: Float64Array; times: number[]; rayleigh: number[] } {
  requireInteger("n", n, 2);
  requireSymmetric(a, n);
  requirePositive("T", o.T);
  requirePositive("dt", o.dt);
  const every = o.recordEvery ?? 1;
  requireInteger("recordEvery", every, 1);
  const x = unitStart(x0, n);
  const k1 = new Float64Array(n),
    k2 = new Float64Array(n),
    k3 = new Float64Array(n),
    k4 = new Float64Array(n),
    y = new Float64Array(n),
    ax = new Float64Array(n);
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
  const steps = Math.round(o.T / o.dt),
    h = o.dt;
  const times: number[] = [],
    rayleigh: number[] = [];
  for (let s = 0; s <= steps; s++) {
    const r = f(x, k1);
    if (s % every === 0) {
      times.push(s * h);
      rayleigh.push(r);
    }
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
  order.forEach(([, col], k) => {
    for (let i = 0; i < n; i++) vectors[i * n + k] = v.get(i, col);
  });
  return { values, vectors };
}

/**
 * The exact solution x(t) = e^{At}x₀/|e^{At}x₀| and λ₁ − ⟨x(t), Ax(t)⟩ at the given times, from the
 * eigenpairs (computed in log space, so late times neither overflow nor lose the small modes).
 */
export function quadraticFlowExact(
  eig: { values: Float64Array; vectors: Float64Array },
  x0: ArrayLike<number>,
  times: number[],
): { gap: number[]; points: Float64Array[] } {
  const n = eig.values.length;
  const x = unitStart(x0, n);
  const c = new Float64Array(n);
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) c[k] += eig.vectors[i * n + k] * x[i];
  const l1 = eig.values[0];
  const gap: number[] = [],
    points: Float64Array[] = [];
  for (const t of times) {
    // weights w_k = c_k² e^{2(λ_k − λ₁)t}, relative to the top mode
    let z = 0,
      num = 0;
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
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += eig.vectors[i * n + k] * amp[k];
      p[i] = s / norm;
    }
    points.push(p);
  }
  return { gap, points };
}

/** What `measureQuadraticFlow` returns for one matrix and start. */
export interface QuadraticFlowMeasurement {
  /** The spectral gap Δ = λ₁ − λ₂, and λ₂ − λ₃ (which sets the transient). */
  delta: number;
  gap23: number;
  /** The window [t_a, t_b] of the rate, or null when its transient exceeds `maxTransient`. */
  window: [number, number] | null;
  /** The closed form's relative deviation from 2Δ on the window (the lower modes' transient). */
  transient: number;
  /** The rate of λ₁ − ⟨x, Ax⟩ over the window from the Runge–Kutta run (NaN without a window). */
  rate: number;
  /** |rate(dt) − rate(dt/2)| / 2Δ, and the rounding of λ₁ − ⟨x, Ax⟩ at the window's end over 2Δ. */
  halvingChange: number;
  roundoff: number;
  /** |x_RK(t_end) − x_exact(t_end)| and its bound 2·(16/15)·|x(dt) − x(dt/2)| + 1e-13 (step halving). */
  endError: number;
  endBound: number;
  /** Distance (up to sign) of the end point from the descent flow's closed form e^{−At}x₀/|·|. */
  descentDistance: number;
  /** λ₁ − ⟨x, Ax⟩ of the Runge–Kutta run every 20 steps, for figures. */
  times: number[];
  gaps: number[];
}

/**
 * The convergence of the DQF for one symmetric A and start x₀, measured on a Runge–Kutta run of
 * step `dt` (and a second at dt/2 for the error estimates) against the closed form.
 * Method: the window is the last two decades of λ₁ − ⟨x, Ax⟩, [t_b − ln(100)/(2Δ), t_b], ending
 * where the closed form reaches `gapFloor` (default 1e-10; below it the subtraction loses the
 * digits). The closed form's deviation from 2Δ there is the transient of the lower modes,
 * ∝ e^{−2(λ₂−λ₃)t}; a window whose transient exceeds `maxTransient` (default 1e-2) is not used.
 * Errors: as `quadraticFlow`.
 */
export function measureQuadraticFlow(
  a: ArrayLike<number>,
  n: number,
  x0: ArrayLike<number>,
  o: { dt: number; gapFloor?: number; maxTransient?: number },
): QuadraticFlowMeasurement {
  const eig = symmetricEigenpairs(a, n);
  const delta = eig.values[0] - eig.values[1];
  const floor = o.gapFloor ?? 1e-10,
    maxTransient = o.maxTransient ?? 1e-2;
  const grid = Array.from({ length: 6000 }, (_, k) => k * 0.01);
  const exact = quadraticFlowExact(eig, x0, grid).gap;
  const span = Math.round(Math.log(100) / (2 * delta) / 0.01);
  const kb = exact.findIndex((g) => g < floor);
  let window: [number, number] | null = null,
    transient = NaN;
  if (kb - span >= 0) {
    transient = Math.abs(Math.log(exact[kb - span] / exact[kb]) / (grid[kb] - grid[kb - span]) / (2 * delta) - 1);
    if (transient <= maxTransient) window = [grid[kb - span], grid[kb]];
  }
  const tEnd = window ? window[1] : 10;
  const fine = quadraticFlow(a, n, x0, { T: tEnd, dt: o.dt });
  const half = quadraticFlow(a, n, x0, { T: tEnd, dt: o.dt / 2, recordEvery: 2 });
  const at = (r: typeof fine, t: number) => eig.values[0] - r.rayleigh[Math.round(t / o.dt)];
  const rateOf = (r: typeof fine) =>
    window ? Math.log(at(r, window[0]) / at(r, window[1])) / (window[1] - window[0]) : NaN;
  const rate = rateOf(fine);
  const roundoff = window
    ? (10 * Number.EPSILON * (Math.abs(eig.values[0]) + 1)) /
      at(fine, window[1]) /
      (window[1] - window[0]) /
      (2 * delta)
    : 0;
  const dist = (p: ArrayLike<number>, q: ArrayLike<number>, sign = 1) =>
    Math.hypot(...Array.from(p, (v, k) => v - sign * q[k]));
  const exactEnd = quadraticFlowExact(eig, x0, [tEnd]).points[0];
  const descentEnd = quadraticFlowExact(
    symmetricEigenpairs(
      Array.from(a, (v) => -v),
      n,
    ),
    x0,
    [tEnd],
  ).points[0];
  return {
    delta,
    gap23: eig.values[1] - eig.values[2],
    window,
    transient,
    rate,
    halvingChange: Math.abs(rate - rateOf(half)) / (2 * delta),
    roundoff,
    endError: dist(fine.x, exactEnd),
    endBound: 2 * (16 / 15) * dist(fine.x, half.x) + 1e-13,
    descentDistance: Math.min(dist(fine.x, descentEnd), dist(fine.x, descentEnd, -1)),
    times: fine.times.filter((_, k) => k % 20 === 0),
    gaps: fine.rayleigh.filter((_, k) => k % 20 === 0).map((r) => eig.values[0] - r),
  };
}
