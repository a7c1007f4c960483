import { requireInRange, requireInteger, requirePositive } from "../util/validate";

/**
 * Expectations E f(Z_t) of the RQF's two-point inner product Z = ⟨X, Y⟩, by solving the backward
 * Kolmogorov equation: deterministic, with no Monte Carlo error.
 *
 * Z solves dZ = −κZ(1 − Z²)dt + √(2κ)(1 − Z²)dW (notebook 03; κ = 1 for Q = (B + Bᵀ)/2, 2 for
 * (B + Bᵀ)/√2). In the Lamperti variable u = artanh(Z)/√2 the noise is additive,
 *   du = (κ/√2) tanh(√2 u) dt + √κ dW,
 * so v(t, u) = E[f(u_t) | u₀ = u] solves ∂_t v = (κ/√2) tanh(√2u) ∂_u v + (κ/2) ∂_u² v, v(0, ·) = f.
 * Statistics are given as functions of u, which keeps their precision where Z is within rounding of
 * ±1 (`logPoleDistance`).
 *
 * Method: Crank–Nicolson in t on a uniform grid in u (central differences), from the cell averages
 * of f, with two implicit Euler half-steps first (Rannacher's start, which damps the oscillations a
 * discontinuous f would excite); second order in both steps, for a smooth f and for an indicator. At the ends ±L the boundary condition is ∂_u² v = 0: far out
 * the drift is the constant ±κ/√2 and the process does not return (probability e^{−√2 L}), so v is
 * linear there for the statistics used (constant or linear in |u|). L covers the start and the
 * drift to the last time with a margin of eight standard deviations.
 */

/** log dist(X, ±Y) = ½ log(2(1 − |Z|)) as a function of u = artanh(Z)/√2, stable for any u. */
export function logPoleDistance(u: number): number {
  const a = 2 * Math.SQRT2 * Math.abs(u);
  // 1 − |Z| = 2/(1 + e^{a}); ½ log(4/(1 + e^{a})) = log 2 − a/2 − ½ log(1 + e^{−a})
  return Math.LN2 - a / 2 - 0.5 * Math.log1p(Math.exp(-a));
}

/** u = artanh(z)/√2 for |z| < 1. */
export function lampertiU(z: number): number {
  requireInRange("z", z, -1, 1);
  if (Math.abs(z) === 1) throw new RangeError(`z = ${z} is a boundary: u = artanh(z)/√2 is infinite`);
  return Math.atanh(z) / Math.SQRT2;
}

/** Options of `zExpectation`. */
export interface ZExpectationOptions {
  /** κ, the normalisation's time scale (default 1). */
  kappa?: number;
  /** Grid spacing in u (default 0.01). */
  du?: number;
  /** Time step (default 0.005). */
  dt?: number;
}

/** Where Z starts: a point z0, or a density of z0 on (−1, 1) (need not be normalised; it is). */
export type ZStart = { z0: number } | { density: (z: number) => number };

/**
 * E f(Z_t) at each of `times` (increasing, ≥ 0) for the two-point inner product started at z0 or
 * from a density of z0, with f a function of u = artanh(Z)/√2 (see the file's comment for the
 * method). Errors: RangeError for empty or decreasing times, a start |z0| ≥ 1, non-positive κ, du
 * or dt, or a non-finite f on the grid.
 */
export function zExpectation(
  f: (u: number) => number,
  times: number[],
  start: ZStart,
  o: ZExpectationOptions = {},
): number[] {
  if (times.length === 0) throw new RangeError("times must not be empty");
  for (let k = 0; k < times.length; k++)
    if (!(times[k] >= (k ? times[k - 1] : 0)))
      throw new RangeError(`times must be ≥ 0 and increasing, got ${times.join(", ")}`);
  const kappa = o.kappa ?? 1,
    du = o.du ?? 0.01,
    dt = o.dt ?? 0.005;
  requirePositive("kappa", kappa);
  requirePositive("du", du);
  requirePositive("dt", dt);
  const tMax = times[times.length - 1];
  const u0 = "z0" in start ? lampertiU(start.z0) : 0;
  const reach = "z0" in start ? Math.abs(u0) : 6; // a density's mass beyond |u| = 6 is below e^{−√2·12}·…
  const L = reach + (kappa / Math.SQRT2) * tMax + 8 * Math.sqrt(kappa * tMax) + 4;
  const cells = Math.ceil((2 * L) / du);
  requireInteger("grid size", cells, 2, 2e7);
  const h = (2 * L) / cells,
    N = cells + 1;
  const u = Float64Array.from({ length: N }, (_, i) => -L + i * h);
  // the initial data as cell averages (256-point midpoint rule over [u_i − h/2, u_i + h/2]): a
  // statistic with a jump (an indicator) then converges at second order like a smooth one
  let v: Float64Array = Float64Array.from(u, (x) => {
    let sum = 0;
    for (let j = 0; j < 256; j++) {
      const y = f(x + ((j + 0.5) / 256 - 0.5) * h);
      if (!Number.isFinite(y)) throw new RangeError(`f(u) must be finite on the grid, got ${y} at u = ${x}`);
      sum += y;
    }
    return sum / 256;
  });
  // L v = b v' + a v'' with b = (κ/√2) tanh(√2u), a = κ/2: interior coefficients of v_{i−1}, v_i, v_{i+1}
  const lo = new Float64Array(N),
    di = new Float64Array(N),
    up = new Float64Array(N);
  for (let i = 1; i < N - 1; i++) {
    const b = (kappa / Math.SQRT2) * Math.tanh(Math.SQRT2 * u[i]),
      a = kappa / 2;
    lo[i] = a / (h * h) - b / (2 * h);
    di[i] = (-2 * a) / (h * h);
    up[i] = a / (h * h) + b / (2 * h);
  }
  // ends: v'' = 0 (v linear in u there), so L v = b v' with the difference toward the interior:
  // at −L, b = −κ/√2 and L v = −(κ/√2)(v_1 − v_0)/h; at +L, L v = (κ/√2)(v_{N−1} − v_{N−2})/h
  const bEnd = kappa / Math.SQRT2;
  di[0] = bEnd / h;
  up[0] = -bEnd / h;
  lo[N - 1] = -bEnd / h;
  di[N - 1] = bEnd / h;
  const scratch = { c: new Float64Array(N), d: new Float64Array(N), rhs: new Float64Array(N) };
  // one step of θ-scheme: (I − θ s L) v_new = (I + (1 − θ) s L) v
  const step = (s: number, theta: number): void => {
    const rhs = scratch.rhs;
    for (let i = 0; i < N; i++) {
      const lv = (i > 0 ? lo[i] * v[i - 1] : 0) + di[i] * v[i] + (i < N - 1 ? up[i] * v[i + 1] : 0);
      rhs[i] = v[i] + (1 - theta) * s * lv;
    }
    v = solveTridiagonal(lo, di, up, -theta * s, rhs, scratch);
  };
  const out: number[] = [];
  const readout = (): number => ("z0" in start ? interpolate(u, v, u0) : averageOverDensity(u, v, start.density));
  let t = 0,
    rannacher = true;
  for (const target of times) {
    while (t < target - 1e-12) {
      const s = Math.min(dt, target - t);
      if (rannacher) {
        step(s / 2, 1);
        step(s / 2, 1);
        rannacher = false;
      } else step(s, 0.5);
      t += s;
    }
    out.push(readout());
  }
  return out;
}

/** Solve (I + c·T) x = rhs for the tridiagonal T (lo, di, up) by the Thomas algorithm. */
function solveTridiagonal(
  lo: Float64Array,
  di: Float64Array,
  up: Float64Array,
  c: number,
  rhs: Float64Array,
  s: { c: Float64Array; d: Float64Array },
): Float64Array {
  const N = di.length,
    cp = s.c,
    dp = s.d;
  let beta = 1 + c * di[0];
  cp[0] = (c * up[0]) / beta;
  dp[0] = rhs[0] / beta;
  for (let i = 1; i < N; i++) {
    beta = 1 + c * di[i] - c * lo[i] * cp[i - 1];
    cp[i] = i < N - 1 ? (c * up[i]) / beta : 0;
    dp[i] = (rhs[i] - c * lo[i] * dp[i - 1]) / beta;
  }
  const x = new Float64Array(N);
  x[N - 1] = dp[N - 1];
  for (let i = N - 2; i >= 0; i--) x[i] = dp[i] - cp[i] * x[i + 1];
  return x;
}

/** Cubic (four-point Lagrange) interpolation of v on the uniform grid u at x. */
function interpolate(u: Float64Array, v: Float64Array, x: number): number {
  const h = u[1] - u[0];
  const i = Math.min(Math.max(Math.floor((x - u[0]) / h) - 1, 0), u.length - 4);
  let s = 0;
  for (let a = 0; a < 4; a++) {
    let w = 1;
    for (let b = 0; b < 4; b++) if (b !== a) w *= (x - u[i + b]) / (u[i + a] - u[i + b]);
    s += w * v[i + a];
  }
  return s;
}

/** ∫ p(z) v(u(z)) dz / ∫ p(z) dz, in u: the density of u is p(tanh √2u)·√2(1 − tanh²√2u) (trapezoid on the grid). */
function averageOverDensity(u: Float64Array, v: Float64Array, p: (z: number) => number): number {
  let num = 0,
    den = 0;
  for (let i = 0; i < u.length; i++) {
    const z = Math.tanh(Math.SQRT2 * u[i]);
    const w = p(z) * Math.SQRT2 * (1 - z * z) * (i === 0 || i === u.length - 1 ? 0.5 : 1);
    if (!(w >= 0)) throw new RangeError(`the start density must be ≥ 0, got ${p(z)} at z = ${z}`);
    num += w * v[i];
    den += w;
  }
  if (!(den > 0)) throw new RangeError("the start density has no mass");
  return num / den;
}

/**
 * The density of c = ⟨X_t, X₀⟩ for the RQF's one-point motion on S² (generator ¼Δ, "half"
 * normalisation) after time t: Σ_l (2l + 1)/2 · e^{−l(l+1)t/4} P_l(c), summed until the terms are
 * below 1e-16 (Legendre polynomials by their recurrence). Errors: RangeError for t ≤ 0.
 */
export function onePointCorrelationDensity(t: number): (c: number) => number {
  requirePositive("t", t);
  const lmax = Math.ceil(Math.sqrt((4 * 40) / t)) + 2; // e^{−l(l+1)t/4} < e^{−40}
  return (c: number): number => {
    let p0 = 1,
      p1 = c,
      s = 0.5 + 1.5 * c * Math.exp(-t / 2);
    for (let l = 2; l <= lmax; l++) {
      const p2 = ((2 * l - 1) * c * p1 - (l - 1) * p0) / l;
      s += ((2 * l + 1) / 2) * Math.exp((-l * (l + 1) * t) / 4) * p2;
      p0 = p1;
      p1 = p2;
    }
    return s;
  };
}
