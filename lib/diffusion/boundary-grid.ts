/** What `boundaryGrid` returns. */
export interface BoundaryGrid {
  /** Grid variable, uniformly spaced. */
  u: Float64Array;
  /** x(u) */
  x: Float64Array;
  /** |x'(u)| (orientation is handled by the caller through `direction`). */
  jac: Float64Array;
  /** +1 for the right end, −1 for the left end. */
  direction: 1 | -1;
  /** Grid step in u. */
  du: number;
}

/**
 * A grid that resolves one end of an interval on a logarithmic scale, so that power-law
 * behaviour (x − l)^a or x^a at infinity becomes exponential in the grid variable u:
 *   finite end r:   x(u) = r − (r − c)·e^{−u},   x'(u) = (r − c)·e^{−u}
 *   infinite end:   x(u) = c ± (e^{u} − 1),     x'(u) = ±e^{u}
 * for u ∈ [0, U], starting at the interior reference point c. An integrand f(x) with an
 * integrable singularity at the end becomes g(u) = f(x(u))·x'(u), which decays like e^{−κu}
 * with κ > 0; κ ≤ 0 means divergence. This is what makes the Feller tests decidable numerically.
 */
export function boundaryGrid(c: number, end: number, uMax: number, h: number): BoundaryGrid {
  const direction: 1 | -1 = end > c ? 1 : -1;
  const n = Math.round(uMax / h) + 1;
  const u = new Float64Array(n);
  const x = new Float64Array(n);
  const jac = new Float64Array(n);
  const finite = Number.isFinite(end);
  for (let k = 0; k < n; k++) {
    const uk = k * h;
    u[k] = uk;
    if (finite) {
      const e = Math.abs(end - c) * Math.exp(-uk);
      x[k] = end - direction * e;
      jac[k] = e;
    } else {
      const e = Math.expm1(uk);
      x[k] = c + direction * e;
      jac[k] = Math.exp(uk);
    }
  }
  return { u, x, jac, direction, du: h };
}

/**
 * Cumulative integral of samples g on a uniform grid of step h: out[k] = ∫_0^{u_k} g, fourth
 * order: each interval integrates the cubic through its four neighbouring samples,
 * h/24·(−g[k−2] + 13g[k−1] + 13g[k] − g[k+1]); the two end intervals use the one-sided cubic.
 */
export function cumulativeIntegral(g: Float64Array, h: number): Float64Array {
  const n = g.length;
  const out = new Float64Array(n);
  if (n < 4) {
    for (let k = 1; k < n; k++) out[k] = out[k - 1] + 0.5 * h * (g[k - 1] + g[k]);
    return out;
  }
  out[1] = (h / 24) * (9 * g[0] + 19 * g[1] - 5 * g[2] + g[3]);
  for (let k = 2; k < n - 1; k++) out[k] = out[k - 1] + (h / 24) * (-g[k - 2] + 13 * g[k - 1] + 13 * g[k] - g[k + 1]);
  out[n - 1] = out[n - 2] + (h / 24) * (g[n - 4] - 5 * g[n - 3] + 19 * g[n - 2] + 9 * g[n - 1]);
  return out;
}

/**
 * Decay rate κ of a positive integrand at the end of the grid, from a least-squares fit of
 * log g(u) over the last `window` units of u. The integral over [0, ∞) is finite when κ > κ_min;
 * then the tail beyond the grid is ≈ g(U)/κ.
 */
export function tailRate(g: Float64Array, h: number, window: number): number {
  const n = g.length;
  const k0 = Math.max(0, n - 1 - Math.round(window / h));
  let su = 0,
    sy = 0,
    suu = 0,
    suy = 0,
    cnt = 0;
  for (let k = k0; k < n; k++) {
    if (!(g[k] > 0) || !Number.isFinite(g[k])) return g[k] === 0 ? Infinity : NaN;
    const uu = k * h,
      yy = Math.log(g[k]);
    su += uu;
    sy += yy;
    suu += uu * uu;
    suy += uu * yy;
    cnt++;
  }
  const slope = (cnt * suy - su * sy) / (cnt * suu - su * su);
  return -slope;
}
