import type { Stream } from "../random/stream";
import { requireFinite, requirePositive } from "../util/validate";
import { erf } from "../stats/normal";
import type { Law } from "./law";

/**
 * The one-level density of a degenerate pair in the Coulomb gas
 * P(x₁, x₂) ∝ |x₁ − x₂| exp(−[(x₁ − κ)² + (x₂ − κ)²]/(2σ²)), i.e. of the eigenvalues of a 2×2 GOE
 * block, pooled without ordering. With t = (x − κ)/σ (the talk's formula, derived in notebook 09):
 *   ρ(x) = e^{−t²/2}/(4√π σ) · [2e^{−t²/2} + √(2π) t erf(t/√2)],
 *   F(x) = (1 + erf t)/2 − (√2/4) e^{−t²/2} erf(t/√2).
 * Writing x = c + u/2 with centre c ~ N(κ, σ²/2) and spacing |u| Rayleigh (⟨u²⟩ = 4σ²):
 * variance 3σ²/2, fourth central moment 23σ⁴/4, so the talk's Binder cumulant
 * ⟨x⁴⟩/(3⟨x²⟩²) − 1 = −4/27 (`binder`).
 */
export class TwoLevelDensity implements Law {
  readonly name: string;
  readonly support: readonly [number, number] = [-Infinity, Infinity];
  readonly mean: number;
  readonly variance: number;
  /** ⟨(x − κ)⁴⟩/(3⟨(x − κ)²⟩²) − 1. */
  static readonly binder = -4 / 27;

  constructor(
    readonly center: number,
    readonly sigma: number,
  ) {
    requireFinite("center κ", center);
    requirePositive("sigma", sigma);
    this.mean = center;
    this.variance = 1.5 * sigma * sigma;
    this.name = `two-level density(κ = ${center}, σ = ${sigma})`;
  }

  pdf(x: number): number {
    const t = (x - this.center) / this.sigma;
    const g = Math.exp(-0.5 * t * t);
    return (g / (4 * Math.sqrt(Math.PI) * this.sigma)) * (2 * g + Math.sqrt(2 * Math.PI) * t * erf(t / Math.SQRT2));
  }

  cdf(x: number): number {
    const t = (x - this.center) / this.sigma;
    return 0.5 * (1 + erf(t)) - (Math.SQRT2 / 4) * Math.exp(-0.5 * t * t) * erf(t / Math.SQRT2);
  }

  sample(stream: Stream, out: Float64Array): Float64Array {
    const s = this.sigma;
    for (let i = 0; i < out.length; i++) {
      const c = this.center + (s / Math.SQRT2) * stream.normal();
      const u = 2 * s * Math.sqrt(-Math.log(1 - stream.uniform())); // |u|² ~ Exp(mean 4σ²)
      out[i] = stream.uniform() < 0.5 ? c + u / 2 : c - u / 2;
    }
    return out;
  }
}
