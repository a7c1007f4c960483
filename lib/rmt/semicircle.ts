import type { Stream } from "../random/stream";
import { requireFinite, requirePositive } from "../util/validate";
import type { Law } from "./law";

/**
 * Wigner's semicircle of centre c and radius R: P(x) = 2/(πR²)·√(R² − (x − c)²). The limit law of
 * the eigenvalues of a GOE matrix H/√n (R = 2σ, see `goe`). Variance R²/4, fourth central moment
 * R⁴/8, so ⟨x⁴⟩/(3⟨x²⟩²) − 1 = −1/3.
 */
export class Semicircle implements Law {
  readonly name: string;
  readonly support: readonly [number, number];
  readonly mean: number;
  readonly variance: number;

  constructor(
    readonly center: number,
    readonly radius: number,
  ) {
    requireFinite("center", center);
    requirePositive("radius", radius);
    this.support = [center - radius, center + radius];
    this.mean = center;
    this.variance = (radius * radius) / 4;
    this.name = `semicircle(c = ${center}, R = ${radius})`;
  }

  pdf(x: number): number {
    const t = (x - this.center) / this.radius;
    return t > -1 && t < 1 ? (2 / (Math.PI * this.radius)) * Math.sqrt(1 - t * t) : 0;
  }

  cdf(x: number): number {
    const t = (x - this.center) / this.radius;
    if (t <= -1) return 0;
    if (t >= 1) return 1;
    return 0.5 + (t * Math.sqrt(1 - t * t) + Math.asin(t)) / Math.PI;
  }

  /** The semicircle is the law of the first coordinate of a uniform point in the disc of radius R. */
  sample(stream: Stream, out: Float64Array): Float64Array {
    for (let i = 0; i < out.length; i++) {
      let u: number, v: number;
      do {
        u = 2 * stream.uniform() - 1;
        v = 2 * stream.uniform() - 1;
      } while (u * u + v * v >= 1);
      out[i] = this.center + this.radius * u;
    }
    return out;
  }
}
