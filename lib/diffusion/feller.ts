import { boundaryGrid, cumulativeIntegral, tailRate, BoundaryGrid } from "./boundary-grid";
import { requireFinite } from "../util/validate";

/** A diffusion dX = b(X) dt + σ(X) dW on (l, r) (ends may be ±Infinity), for `OneDimensionalDiffusion`. */
export interface Diffusion {
  l: number;
  r: number;
  b: (x: number) => number;
  sigma: (x: number) => number;
}

/** Feller's classification of an end: regular, exit, entrance or natural (see OneDimensionalDiffusion). */
export type BoundaryType = "regular" | "exit" | "entrance" | "natural";

/** What `OneDimensionalDiffusion.classify` reports about one end. */
export interface BoundaryReport {
  end: number;
  type: BoundaryType;
  /** |S(end)| < ∞ */
  attracting: boolean;
  /** Σ(end) < ∞ */
  reachedInFiniteTime: boolean;
  /** S(end) − S(c) (±Infinity when divergent). */
  scaleAtEnd: number;
  /** Decay rates of the integrands of S, M, Σ, N near the end (for inspection). */
  rates: { S: number; M: number; Sigma: number; N: number };
  borderline: boolean;
}

/** Options of `OneDimensionalDiffusion`: the reference point and the logarithmic grids of the ends. */
export interface FellerOptions {
  /** Interior reference point c (default: midpoint, or 0 / ±1 for infinite ends). */
  c?: number;
  /** Extent of the logarithmic grid in u (default 30: 13 decades at a finite end). */
  uMax?: number;
  /** Grid step in u (default 0.005; fourth-order rule). */
  du?: number;
  rateThreshold?: number;
}

interface EndData {
  grid: BoundaryGrid;
  /** log s along the grid (relative to s(c) = 1). */
  logS: Float64Array;
  /** The scale integrand in the grid variable: s(x(u))·|x'(u)|. */
  gS: Float64Array;
  /** S(x(u)) − S(c), signed. */
  scale: Float64Array;
  scaleEnd: number;
  rateS: number;
}

/**
 * One-dimensional diffusions dX = b(X) dt + σ(X) dW on an open interval (l, r) (ends may be
 * infinite): scale, speed, Feller's boundary classification, splitting probabilities and mean
 * exit times. Conventions of Karlin & Taylor (1981, ch. 15) and Karatzas & Shreve (1991, §5.5):
 *
 *   scale density   s(x) = exp(−∫_c^x 2b/σ² dy),   scale function S(x) = ∫_c^x s,
 *   speed density   m(x) = 2 / (σ²(x) s(x)),        M(x) = ∫_c^x m,
 *   Σ(e) = ∫_c^e (S(e) − S(x)) dM(x),              N(e) = ∫_c^e (M(e) − M(x)) dS(x),
 *
 * and at an end e: regular (Σ < ∞, N < ∞), exit (Σ < ∞, N = ∞), entrance (Σ = ∞, N < ∞),
 * natural (Σ = ∞, N = ∞). The end is *attracting* when |S(e)| < ∞ (the process converges to it
 * with positive probability) and *reached in finite time* when Σ(e) < ∞.
 *
 * Numerics: each end is resolved on a logarithmic grid (./boundary-grid), where an integrable
 * endpoint singularity becomes an exponentially decaying integrand; an integral is declared
 * finite when its integrand's fitted decay rate exceeds `rateThreshold` (default 0.02, i.e.
 * power-law singularities (e − x)^{−a} are finite for a < 0.98), and its tail is then added
 * analytically. Borderline cases (a within 0.02 of 1, or log factors) are reported as
 * "borderline" in `rates` so that a reader can look closer.
 */
export class OneDimensionalDiffusion {
  readonly d: Diffusion;
  readonly c: number;
  private readonly uMax: number;
  private readonly h: number;
  private readonly threshold: number;
  private readonly ends: { left: EndData; right: EndData };

  constructor(d: Diffusion, o: FellerOptions = {}) {
    if (!(d.l < d.r)) throw new RangeError(`the interval must have l < r, got l = ${d.l}, r = ${d.r}`);
    if (Number.isNaN(d.l) || Number.isNaN(d.r)) throw new RangeError("l and r must be numbers (±Infinity allowed)");
    this.d = d;
    this.c = o.c ?? defaultCentre(d.l, d.r);
    if (!(this.c > d.l && this.c < d.r))
      throw new RangeError(`c must lie inside (l, r) = (${d.l}, ${d.r}), got ${this.c}`);
    this.uMax = o.uMax ?? 30;
    this.h = o.du ?? 0.005;
    this.threshold = o.rateThreshold ?? 0.02;
    this.ends = { left: this.endData(d.l), right: this.endData(d.r) };
  }

  private coefficients(x: number): { b: number; s2: number } {
    const b = this.d.b(x);
    const s = this.d.sigma(x);
    if (!Number.isFinite(b)) throw new RangeError(`b(${x}) = ${b}: the drift must be finite inside (l, r)`);
    if (!Number.isFinite(s) || s === 0)
      throw new RangeError(`σ(${x}) = ${s}: the diffusion coefficient must be finite and non-zero inside (l, r)`);
    return { b, s2: s * s };
  }

  private endData(end: number): EndData {
    const grid = boundaryGrid(this.c, end, this.uMax, this.h);
    const n = grid.u.length;
    // d(log s)/du = −2b/σ² · dx/du
    const dLog = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const { b, s2 } = this.coefficients(grid.x[k]);
      dLog[k] = ((-2 * b) / s2) * grid.jac[k] * grid.direction;
    }
    const logS = cumulativeIntegral(dLog, this.h);
    const gS = new Float64Array(n);
    for (let k = 0; k < n; k++) gS[k] = Math.exp(logS[k]) * grid.jac[k];
    const rateS = tailRate(gS, this.h, 3);
    const cum = cumulativeIntegral(gS, this.h);
    const finite = rateS > this.threshold;
    const scaleAbs = finite ? cum[n - 1] + gS[n - 1] / rateS : Infinity;
    const scale = cum.map((v) => grid.direction * v);
    return { grid, logS, gS, scale, scaleEnd: grid.direction * scaleAbs, rateS };
  }

  /** S(x) − S(c) at the ends (±Infinity when divergent). */
  scaleAtEnds(): { left: number; right: number } {
    return { left: this.ends.left.scaleEnd, right: this.ends.right.scaleEnd };
  }

  /** Scale density s(x) (normalised s(c) = 1) by direct quadrature from c. */
  scaleDensity(x: number): number {
    return Math.exp(this.logScaleDensity(x));
  }

  private logScaleDensity(x: number): number {
    requireFinite("x", x);
    if (!(x > this.d.l && x < this.d.r)) throw new RangeError(`x must lie inside (${this.d.l}, ${this.d.r}), got ${x}`);
    // Gauss–Legendre on [c, x] after the same log substitution toward the nearer end
    return gaussIntegral(
      (y) => {
        const { b, s2 } = this.coefficients(y);
        return (-2 * b) / s2;
      },
      this.c,
      x,
    );
  }

  /** Scale function S(x) − S(c). */
  scale(x: number): number {
    return gaussIntegral((y) => this.scaleDensity(y), this.c, x);
  }

  /** Feller classification of one end ("left" or "right"). */
  classify(side: "left" | "right"): BoundaryReport {
    const e = this.ends[side];
    const { grid } = e;
    const n = grid.u.length;
    const h = this.h;
    // m(x)·|x'| and the tail of S from each point: S(e) − S(x) (absolute, along the grid)
    const gM = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const { s2 } = this.coefficients(grid.x[k]);
      gM[k] = (2 / (s2 * Math.exp(e.logS[k]))) * grid.jac[k];
    }
    const rateM = tailRate(gM, h, 3);
    const mFinite = rateM > this.threshold;
    const sFinite = e.rateS > this.threshold;
    // Σ: ∫ (S(e) − S(x)) m dx. Needs S(e) finite.
    let rateSigma = -Infinity;
    let sigmaFinite = false;
    if (sFinite) {
      const sTail = tailFromEnd(e, h, e.rateS);
      const g = new Float64Array(n);
      for (let k = 0; k < n; k++) g[k] = sTail[k] * gM[k];
      rateSigma = tailRate(g, h, 3);
      sigmaFinite = rateSigma > this.threshold;
    }
    // N: ∫ (M(e) − M(x)) s dx. Needs M(e) finite.
    let rateN = -Infinity;
    let nFinite = false;
    if (mFinite) {
      const cumM = cumulativeIntegral(gM, h);
      const mEnd = cumM[n - 1] + gM[n - 1] / rateM;
      const g = new Float64Array(n);
      for (let k = 0; k < n; k++) g[k] = (mEnd - cumM[k]) * e.gS[k];
      rateN = tailRate(g, h, 3);
      nFinite = rateN > this.threshold;
    }
    const type: BoundaryType = sigmaFinite ? (nFinite ? "regular" : "exit") : nFinite ? "entrance" : "natural";
    const rates = { S: e.rateS, M: rateM, Sigma: rateSigma, N: rateN };
    const borderline = Object.values(rates).some((k) => Number.isFinite(k) && Math.abs(k - this.threshold) < 0.03);
    return {
      end: side === "left" ? this.d.l : this.d.r,
      type,
      attracting: sFinite,
      reachedInFiniteTime: sigmaFinite,
      scaleAtEnd: e.scaleEnd,
      rates,
      borderline,
    };
  }

  /**
   * Mean exit time E_x τ from (l, r) by the Green function (Karlin & Taylor 1981, §15.3):
   *   E_x τ = ∫ G(x, y) m(y) dy,   G(x, y) = (S(x∧y) − S(l))(S(r) − S(x∨y)) / (S(r) − S(l)),
   * evaluated on the logarithmic end grids. Infinity when an end is not attracting or the
   * integral diverges (e.g. attracting natural ends: the process converges but never exits).
   */
  meanExitTime(x: number): number {
    const { left, right } = this.scaleAtEnds();
    if (!Number.isFinite(left) || !Number.isFinite(right)) return Infinity;
    const sx = this.scale(x);
    const span = right - left;
    let total = 0;
    for (const side of ["left", "right"] as const) {
      const e = this.ends[side];
      const { grid } = e;
      const n = grid.u.length;
      const g = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        const sy = e.scale[k];
        const { s2 } = this.coefficients(grid.x[k]);
        const m = 2 / (s2 * Math.exp(e.logS[k]));
        const lo = Math.min(sx, sy),
          hi = Math.max(sx, sy);
        g[k] = (((lo - left) * (right - hi)) / span) * m * grid.jac[k];
      }
      const rate = tailRate(g, this.h, 3);
      if (!(rate > this.threshold)) return Infinity;
      const cum = cumulativeIntegral(g, this.h);
      total += cum[n - 1] + g[n - 1] / rate;
    }
    return total;
  }

  /**
   * P(X reaches r before l | X₀ = x) = (S(x) − S(l)) / (S(r) − S(l)) when both S(l), S(r) are
   * finite (for non-accessible attracting ends: the probability of converging to r). Throws
   * when an end is not attracting (the probability is then 0 or 1 and the formula degenerates).
   */
  splittingProbability(x: number): number {
    const { left, right } = this.scaleAtEnds();
    if (!Number.isFinite(left) || !Number.isFinite(right)) {
      throw new RangeError(
        `splittingProbability needs both ends attracting (finite scale); S(l) − S(c) = ${left}, S(r) − S(c) = ${right}`,
      );
    }
    return (this.scale(x) - left) / (right - left);
  }
}

/** S(e) − S(x_k) for each grid point, including the analytic tail beyond the grid. */
function tailFromEnd(e: EndData, h: number, rate: number): Float64Array {
  const n = e.gS.length;
  const cum = cumulativeIntegral(e.gS, h);
  const total = cum[n - 1] + e.gS[n - 1] / rate;
  return cum.map((v) => total - v);
}

function defaultCentre(l: number, r: number): number {
  if (Number.isFinite(l) && Number.isFinite(r)) return 0.5 * (l + r);
  if (Number.isFinite(l)) return l + 1;
  if (Number.isFinite(r)) return r - 1;
  return 0;
}

// 20-point Gauss–Legendre nodes and weights on [−1, 1], composite over 16 panels: smooth
// integrands between interior points (the ends are handled by the logarithmic grids).
const GL_X: number[] = [];
const GL_W: number[] = [];
(function legendre(nPts: number) {
  for (let i = 1; i <= nPts; i++) {
    let z = Math.cos((Math.PI * (i - 0.25)) / (nPts + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p1 = 1,
        p2 = 0;
      for (let j = 1; j <= nPts; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = ((2 * j - 1) * z * p2 - (j - 1) * p3) / j;
      }
      dp = (nPts * (z * p1 - p2)) / (z * z - 1);
      const z1 = z;
      z = z1 - p1 / dp;
      if (Math.abs(z - z1) < 1e-15) break;
    }
    GL_X.push(z);
    GL_W.push(2 / ((1 - z * z) * dp * dp));
  }
})(20);

function gaussIntegral(f: (x: number) => number, a: number, b: number, panels = 16): number {
  if (a === b) return 0;
  let sum = 0;
  const w = (b - a) / panels;
  for (let p = 0; p < panels; p++) {
    const mid = a + (p + 0.5) * w;
    for (let i = 0; i < GL_X.length; i++) sum += GL_W[i] * f(mid + 0.5 * w * GL_X[i]);
  }
  return 0.5 * w * sum;
}
