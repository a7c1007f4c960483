import type { Stream } from "../random/stream";
import { requirePositive } from "../util/validate";
import { meanWithError, type MeanEstimate } from "../stats/summary";
import { gammaQ } from "../stats/chi-square";
import { logGamma } from "../stats/student-t";
import { type Law, gammaHalfInteger } from "./law";
import type { Estimate } from "../stats/estimate";

/**
 * Wigner's surmise: the exact spacing law of a 2×2 Gaussian ensemble with Dyson index β = 1
 * (GOE), 2 (GUE) or 4 (GSE), P(s) = a_β s^β exp(−b_β s²), here with mean spacing m (m = 1 is the
 * universal unfolded form):
 *   β = 1: (π/2) s e^{−πs²/4},  β = 2: (32/π²) s² e^{−4s²/π},  β = 4: (2¹⁸/(3⁶π³)) s⁴ e^{−64s²/(9π)}.
 * In general b_β = [Γ(β/2 + 1)/Γ((β + 1)/2)]² (unit mean) and a_β = 2 b_β^{(β+1)/2}/Γ((β + 1)/2),
 * so b_β s² ~ Gamma((β + 1)/2): the cdf is a regularised incomplete gamma function and sampling is
 * exact.
 *
 * The talk's two-level form for a degenerate pair with Gaussian width σ,
 * P(S) = S/(2σ²) e^{−S²/(4σ²)} with ⟨S⟩ = √π σ, is `WignerSurmise.ofWidth(σ)` (β = 1).
 */
export class WignerSurmise implements Law {
  readonly name: string;
  readonly support: readonly [number, number] = [0, Infinity];
  readonly mean: number;
  readonly variance: number;
  /** b in units of the mean spacing: P(s) ∝ s^β exp(−b s²/m²). */
  readonly b: number;
  private readonly logA: number;

  constructor(
    readonly beta: 1 | 2 | 4,
    readonly meanSpacing = 1,
  ) {
    if (beta !== 1 && beta !== 2 && beta !== 4) throw new RangeError(`WignerSurmise: β must be 1, 2 or 4, got ${beta}`);
    requirePositive("meanSpacing", meanSpacing);
    const k = (beta + 1) / 2;
    this.b = Math.exp(2 * (logGamma(beta / 2 + 1) - logGamma(k)));
    this.logA = Math.log(2) + k * Math.log(this.b) - logGamma(k);
    this.mean = meanSpacing;
    // E s² = k/b for unit mean.
    this.variance = meanSpacing * meanSpacing * (k / this.b - 1);
    this.name = `Wigner surmise β = ${beta}${meanSpacing === 1 ? "" : `, ⟨S⟩ = ${meanSpacing}`}`;
  }

  /** The two-level GOE spacing law for a pair with Gaussian width σ: ⟨S⟩ = √π σ. */
  static ofWidth(sigma: number): WignerSurmise {
    requirePositive("sigma", sigma);
    return new WignerSurmise(1, Math.sqrt(Math.PI) * sigma);
  }

  pdf(x: number): number {
    if (!(x > 0)) return 0;
    const s = x / this.meanSpacing;
    return Math.exp(this.logA + this.beta * Math.log(s) - this.b * s * s) / this.meanSpacing;
  }

  cdf(x: number): number {
    if (!(x > 0)) return 0;
    const s = x / this.meanSpacing;
    return 1 - gammaQ((this.beta + 1) / 2, this.b * s * s);
  }

  sample(stream: Stream, out: Float64Array): Float64Array {
    const k = (this.beta + 1) / 2;
    for (let i = 0; i < out.length; i++) out[i] = this.meanSpacing * Math.sqrt(gammaHalfInteger(stream, k) / this.b);
    return out;
  }
}

/** Poisson level statistics (uncorrelated levels): P(s) = e^{−s/m}/m. The no-repulsion alternative. */
export class PoissonSpacing implements Law {
  readonly name = "Poisson spacing e^{−s}";
  readonly support: readonly [number, number] = [0, Infinity];
  readonly mean: number;
  readonly variance: number;
  constructor(readonly meanSpacing = 1) {
    requirePositive("meanSpacing", meanSpacing);
    this.mean = meanSpacing;
    this.variance = meanSpacing * meanSpacing;
  }
  pdf(x: number): number {
    return x >= 0 ? Math.exp(-x / this.meanSpacing) / this.meanSpacing : 0;
  }
  cdf(x: number): number {
    return x > 0 ? 1 - Math.exp(-x / this.meanSpacing) : 0;
  }
  sample(stream: Stream, out: Float64Array): Float64Array {
    for (let i = 0; i < out.length; i++) out[i] = -this.meanSpacing * Math.log(1 - stream.uniform());
    return out;
  }
}

/**
 * The width σ of a degenerate pair from its spacings, through the surmise's ⟨S⟩ = √π σ: σ̂² = S̄²/π,
 * with the delta-method standard error 2S̄·se(S̄)/π (se(S̄) = sd/√n over independent spacings), as an
 * `Estimate` of σ² (`value`, `se`) with the mean spacing it comes from.
 * Errors: a RangeError for fewer than two spacings or a non-finite one.
 */
export function surmiseWidth(spacings: ArrayLike<number>): Estimate & { meanSpacing: MeanEstimate } {
  const m = meanWithError(spacings);
  return {
    value: (m.value * m.value) / Math.PI,
    se: (2 * m.value * m.se) / Math.PI,
    meanSpacing: m,
  };
}
