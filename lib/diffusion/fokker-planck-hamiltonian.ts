import { tridiagonalEigenvalues, tridiagonalEigenvector } from "../linalg/tridiagonal-eigen";
import { requireInteger, requirePositive } from "../util/validate";
import { richardson } from "../stats/richardson";

/** Options of `FokkerPlanckHamiltonian`. */
export interface FokkerPlanckOptions {
  /** The potential V; the drift is K = −V′. Must be finite on the open interval. */
  potential: (x: number) => number;
  /** Noise strength g² > 0: dx = −V′(x) dτ + √(2g²) dW, i.e. ∂τP = ∂x(g²∂x + V′)P. */
  g2: number;
  /** The interval [lower, upper], with reflecting (zero-flux) walls at both ends. */
  lower: number;
  upper: number;
  /** Grid cells (default 4000); node i sits at the centre of cell i. */
  points?: number;
}

/**
 * The Fokker–Planck Hamiltonian of one mode, H_FP = ½L†L with L = g∂x + V′/(2g): under
 * P = √P_s ψ, P_s ∝ e^{−V/g²}, the Fokker–Planck equation ∂τP = ∂x(g²∂x + V′)P becomes
 * ∂τψ = −2H_FP ψ, with H_FP = −(g²/2)∂x² + V′²/(8g²) − V″/4. So E₀ = 0 with ψ₀ = √P_s, and a
 * density relaxes as Σ c_n e^{−2E_n τ}: **the relaxation rates are 2E_n**, not E_n.
 *
 * Discretisation: the reversible birth–death chain on cell centres with jump rates
 * w_{i→i±1} = (g²/h²)·√(P_s(x_{i±1})/P_s(x_i)) (detailed balance with P_s holds exactly, the
 * drift and diffusion are −V′ and g² to O(h²)), symmetrised by √P_s and halved: a symmetric
 * tridiagonal matrix whose ground state is √P_s at the nodes with E₀ = 0 to rounding, and whose
 * E_n converge as O(h²). Zero-flux walls at both ends (reflecting boundaries). The exponent of
 * √(P_j/P_i) is capped at ±300 (only where V jumps by > 600 g² between neighbours, e.g. at a
 * logarithmic wall, where P_s is below e^{−600} of its neighbour and no level of interest lives).
 *
 * Errors: RangeError for g² ≤ 0, an empty or non-finite interval, a potential that is not finite
 * at a node, or a grid too coarse for the operator: next to every node where P_s is above 1e-12 of
 * its maximum, neighbouring nodes must differ by at most |ΔV|/g² = 0.5 (then a harmonic well of width ℓ has
 * h ≤ ℓ/15; the message says how many points are needed).
 *
 * Reference: H. Risken, *The Fokker–Planck Equation* (Springer 1989), §5.4 (the Schrödinger form).
 */
export class FokkerPlanckHamiltonian {
  /** Cell-centre nodes. */
  readonly x: Float64Array;
  readonly h: number;
  readonly g2: number;
  /** Diagonal and off-diagonal of the discrete H_FP. */
  readonly diagonal: Float64Array;
  readonly offDiagonal: Float64Array;
  private readonly v: Float64Array;

  constructor(o: FokkerPlanckOptions) {
    requirePositive("g2 (noise strength g²)", o.g2);
    if (!(Number.isFinite(o.lower) && Number.isFinite(o.upper) && o.upper > o.lower))
      throw new RangeError(
        `FokkerPlanckHamiltonian: the interval [${o.lower}, ${o.upper}] must be finite and non-empty`,
      );
    const n = o.points ?? 4000;
    requireInteger("points (grid cells)", n, 3);
    this.g2 = o.g2;
    this.h = (o.upper - o.lower) / n;
    this.x = Float64Array.from({ length: n }, (_, i) => o.lower + (i + 0.5) * this.h);
    this.v = this.x.map((x) => o.potential(x));
    const bad = this.v.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0)
      throw new RangeError(
        `FokkerPlanckHamiltonian: the potential is ${this.v[bad]} at x = ${this.x[bad]}; it must be finite inside the interval`,
      );
    this.checkResolution();
    const c = o.g2 / (2 * this.h * this.h);
    this.diagonal = new Float64Array(n);
    this.offDiagonal = new Float64Array(n - 1).fill(-c);
    const ratio = (i: number, j: number) =>
      Math.exp(Math.max(-300, Math.min(300, -(this.v[j] - this.v[i]) / (2 * o.g2))));
    for (let i = 0; i < n; i++)
      this.diagonal[i] = c * ((i > 0 ? ratio(i, i - 1) : 0) + (i < n - 1 ? ratio(i, i + 1) : 0));
  }

  /** The lowest `count` levels E₀ ≤ E₁ ≤ … of H_FP (E₀ = 0 to rounding). */
  levels(count: number): Float64Array {
    return tridiagonalEigenvalues(this.diagonal, this.offDiagonal, count);
  }

  /** The relaxation rates 2E_n of the density, n = 0..count−1. */
  relaxationRates(count: number): Float64Array {
    return this.levels(count).map((e) => 2 * e);
  }

  /**
   * The level-n eigenfunction ψ_n at the nodes, normalised as a function (Σ ψ² h = 1), sign fixed so
   * that its largest value is positive. Errors: as `levels`; n must be below the grid size.
   */
  state(n: number): Float64Array {
    return this.eigenfunction(this.levels(n + 1)[n]);
  }

  /**
   * The lowest `count` eigenfunctions, ψ_n at the nodes (normalised as in `state`), with their levels.
   */
  states(count: number): { levels: Float64Array; states: Float64Array[] } {
    const levels = this.levels(count);
    return { levels, states: Array.from(levels, (e) => this.eigenfunction(e)) };
  }

  /** The unit eigenvector for a computed level, scaled to Σ ψ² h = 1. */
  private eigenfunction(level: number): Float64Array {
    const s = 1 / Math.sqrt(this.h);
    return tridiagonalEigenvector(this.diagonal, this.offDiagonal, level).map((v) => v * s);
  }

  /**
   * The spectral prediction of an ensemble mean started at x0: E f(x_τ) = Σ_n e^{−2E_n τ} c_n with
   * c_n = ⟨f ψ₀, ψ_n⟩ φ_n(x0), φ_n = ψ_n/ψ₀ (the backward operator's eigenfunctions, smooth), summed
   * over the lowest `modes` levels (default 30). Between two nodes φ_n(x0) is interpolated linearly,
   * so the start is placed to O(h²) like everything else; between a wall and the first or last node
   * it is that node's value (φ_n′ = 0 at a reflecting wall). Pass `rate` = (E) => E to evaluate the
   * same sum with rates E_n instead of 2E_n, a named wrong alternative. Errors: RangeError if x0 is
   * outside the grid.
   */
  relaxation(
    f: (x: number) => number,
    x0: number,
    times: number[],
    o: { modes?: number; rate?: (level: number) => number } = {},
  ): number[] {
    const n = this.x.length,
      lo = this.x[0] - this.h / 2,
      hi = this.x[n - 1] + this.h / 2;
    if (!(x0 >= lo && x0 <= hi)) throw new RangeError(`relaxation: x0 = ${x0} lies outside [${lo}, ${hi}]`);
    // x0 between nodes i0 and i0 + 1 at fraction t; at a wall's half cell, the end node alone
    const u = (x0 - this.x[0]) / this.h,
      i0 = Math.min(n - 1, Math.max(0, Math.floor(u))),
      t = u - i0;
    const between = u > 0 && i0 < n - 1 && t > 0;
    const { levels, states } = this.states(Math.min(o.modes ?? 30, n));
    const rate = o.rate ?? ((e: number) => 2 * e);
    const psi0 = states[0],
      fx = this.x.map((x) => f(x)); // f once per node, not once per state
    const c = states.map((psi) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += fx[i] * psi0[i] * psi[i] * this.h;
      return between
        ? s * ((1 - t) * (psi[i0] / psi0[i0]) + t * (psi[i0 + 1] / psi0[i0 + 1]))
        : (s * psi[i0]) / psi0[i0];
    });
    return times.map((t) => c.reduce((acc, cn, k) => acc + cn * Math.exp(-rate(levels[k]) * t), 0));
  }

  /** The stationary density P_s ∝ e^{−V/g²} at the nodes, normalised to Σ P h = 1. */
  stationaryDensity(): Float64Array {
    const vmin = this.v.reduce((a, b) => Math.min(a, b), Infinity);
    const p = this.v.map((v) => Math.exp(-(v - vmin) / this.g2));
    const z = p.reduce((a, b) => a + b, 0) * this.h;
    return p.map((q) => q / z);
  }

  /**
   * The stationary expectation E_{P_s} f = Σ_i f(x_i) P_s(x_i) h (midpoint rule on the nodes, O(h²)),
   * the ground state's term c₀ of `relaxation`, which every E f(x_τ) approaches.
   */
  expectation(f: (x: number) => number): number {
    const p = this.stationaryDensity();
    let s = 0;
    for (let i = 0; i < p.length; i++) s += f(this.x[i]) * p[i] * this.h;
    return s;
  }

  /** The Schrödinger potential U = V′²/(8g²) − V″/4 at the nodes (central differences of V). */
  schrodingerPotential(): Float64Array {
    const { v, h, g2 } = this,
      n = v.length;
    return Float64Array.from({ length: n }, (_, i) => {
      const a = Math.max(1, Math.min(n - 2, i));
      const d1 = (v[a + 1] - v[a - 1]) / (2 * h),
        d2 = (v[a + 1] - 2 * v[a] + v[a - 1]) / (h * h);
      return (d1 * d1) / (8 * g2) - d2 / 4;
    });
  }

  private checkResolution(): void {
    const { v, g2 } = this,
      n = v.length;
    const vmin = v.reduce((a, b) => Math.min(a, b), Infinity);
    const relevant = vmin + g2 * Math.log(1e12); // P_s ≥ 1e-12·max
    let worst = 0,
      at = 0;
    for (let i = 0; i + 1 < n; i++) {
      if (Math.min(v[i], v[i + 1]) > relevant) continue;
      const jump = Math.abs(v[i + 1] - v[i]) / g2;
      if (jump > worst) {
        worst = jump;
        at = i;
      }
    }
    if (worst > 0.5) {
      throw new RangeError(
        `FokkerPlanckHamiltonian: grid too coarse for the operator: |ΔV|/g² = ${worst.toPrecision(3)} > 0.5 between neighbours at x = ${this.x[at].toPrecision(4)}; use at least ${Math.ceil((n * worst) / 0.5)} points`,
      );
    }
  }
}

/**
 * One RBM mode's potential from the talk's drift K(x) = (1/κ − 1/(μ² − x))·x on 0 ≤ x < μ²:
 * V(x) = −∫K = −x²/(2κ) − x − μ² log(μ² − x) (up to a constant, here V(0) = −μ² log μ²). With
 * `factor` = 2 the drift of the exact PCD gradient (notebook 09: the talk's K carries a factor 2),
 * V → 2V. Fixed points: x = 0 (unstable when κ < μ², rate K′(0) = 1/κ − 1/μ²) and x* = μ² − κ
 * (stable, rate −K′(x*) = (μ² − κ)/κ²). Errors: RangeError unless κ > 0, μ² > 0.
 */
export function rbmModePotential(
  kappa: number,
  mu2: number,
  factor = 1,
): { potential: (x: number) => number; drift: (x: number) => number } {
  requirePositive("kappa (target eigenvalue κ)", kappa);
  requirePositive("mu2 (regulator μ²)", mu2);
  requirePositive("factor", factor);
  return {
    potential: (x) => factor * (-(x * x) / (2 * kappa) - x - mu2 * Math.log(mu2 - x)),
    drift: (x) => factor * (1 / kappa - 1 / (mu2 - x)) * x,
  };
}

/** A spectral prediction with the bound on its numerical error (see `gridConvergedRelaxation`). */
export interface GridConvergedPrediction {
  /** The prediction on the fine grid. */
  value: number[];
  /**
   * Its numerical error, estimated: Richardson's |fine − coarse|/(r² − 1) for the O(h²) levels and
   * states (r = h_coarse/h_fine), and the truncation |Σ_{n<modes} − Σ_{n<2·modes}| of the sum over
   * levels, combined in quadrature. A systematic to add to a measurement's standard error.
   */
  systematic: number[];
}

/**
 * `fine.relaxation(f, x0, times)` (E f(x_τ) from the spectrum of H_FP) with an estimate of its
 * numerical error: the same sum on a coarser grid of the same operator gives the discretisation
 * error by Richardson (the levels and states converge as h²; the unit tests measure the order), and
 * the same sum over twice as many levels gives the truncation error. Option: modes (default 30).
 * Errors: a RangeError unless the coarse grid is coarser (h_coarse > h_fine); as `relaxation`.
 */
export function gridConvergedRelaxation(
  fine: FokkerPlanckHamiltonian,
  coarse: FokkerPlanckHamiltonian,
  f: (x: number) => number,
  x0: number,
  times: number[],
  o: { modes?: number } = {},
): GridConvergedPrediction {
  if (!(coarse.h > fine.h))
    throw new RangeError(
      `gridConvergedRelaxation: the coarse grid's step ${coarse.h} must exceed the fine grid's ${fine.h}`,
    );
  const modes = o.modes ?? 30;
  const value = fine.relaxation(f, x0, times, { modes });
  const onCoarse = coarse.relaxation(f, x0, times, { modes });
  const more = fine.relaxation(f, x0, times, { modes: 2 * modes });
  return {
    value,
    systematic: value.map((v, i) => Math.hypot(discretisationError(v, onCoarse[i], coarse.h / fine.h), v - more[i])),
  };
}

/**
 * `fine.expectation(f)` (the stationary E_{P_s} f) with the estimate of its discretisation error,
 * Richardson's |fine − coarse|/(r² − 1) between two grids of the same operator (midpoint rule and
 * nodes: O(h²)). Errors: a RangeError unless the coarse grid is coarser.
 */
export function gridConvergedExpectation(
  fine: FokkerPlanckHamiltonian,
  coarse: FokkerPlanckHamiltonian,
  f: (x: number) => number,
): { value: number; systematic: number } {
  if (!(coarse.h > fine.h))
    throw new RangeError(
      `gridConvergedExpectation: the coarse grid's step ${coarse.h} must exceed the fine grid's ${fine.h}`,
    );
  const value = fine.expectation(f);
  return { value, systematic: discretisationError(value, coarse.expectation(f), coarse.h / fine.h) };
}

/** |fine − extrapolated| for an O(h²) quantity on grids with step ratio r (Richardson). */
function discretisationError(fine: number, coarse: number, ratio: number): number {
  return Math.abs(fine - richardson({ value: coarse, se: 0 }, { value: fine, se: 0 }, 2, ratio).value);
}
