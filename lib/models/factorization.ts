import { requireAllFinite, requireInteger, requirePositive } from "../util/validate";
import type { ResidualModel } from "./residual-model";
import { batchMeansError } from "../stats/batch-means";

/**
 * Scalar factorisation, the smallest overparameterized model whose minima form a curve:
 *   Φ(x, y) = y·x₁x₂,  targets z_i = c·y_i,  so  r_i(x) = y_i (x₁x₂ − c),  D = 2.
 * Every data point has the same zero set, so M = {L = 0} is the hyperbola x₁x₂ = c whatever the
 * data, while the per-sample curvatures Hess L_i(x*) = 2y_i² g gᵀ (g = (x₂, x₁)) differ in size:
 * GD sees only their mean, SGD sees each of them.
 *
 * The curve: x(τ) = ±√c (e^τ, e^{−τ}), τ ∈ R, with |g|² = 2c cosh 2τ. So
 * ‖Hess L(x*)‖ = 4 c m₂ cosh 2τ with m₂ = (1/N) Σ y_i², flattest at τ = 0.
 */
export class Factorization implements ResidualModel {
  readonly dim = 2;
  readonly n: number;
  readonly y: Float64Array;
  readonly c: number;

  constructor(y: ArrayLike<number>, c = 1) {
    requireInteger("number of data points", y.length, 1);
    this.y = Float64Array.from(y);
    requireAllFinite("y (data)", this.y);
    for (let i = 0; i < this.y.length; i++)
      if (this.y[i] === 0) throw new RangeError(`y[${i}] must be non-zero: a zero datum has no curvature`);
    requirePositive("c (target product x₁x₂)", c);
    this.n = this.y.length;
    this.c = c;
  }

  residual(i: number, x: Float64Array): number {
    return this.y[i] * (x[0] * x[1] - this.c);
  }

  residualGradient(i: number, x: Float64Array, out: Float64Array): number {
    const yi = this.y[i];
    out[0] = yi * x[1];
    out[1] = yi * x[0];
    return yi * (x[0] * x[1] - this.c);
  }

  addResidualHessian(i: number, _x: Float64Array, weight: number, out: Float64Array): void {
    const w = weight * this.y[i];
    out[1] += w;
    out[2] += w;
  }

  addResidualHessianVector(i: number, _x: Float64Array, u: Float64Array, weight: number, out: Float64Array): void {
    const w = weight * this.y[i];
    out[0] += w * u[1];
    out[1] += w * u[0];
  }

  /**
   * GD restricted to the balanced line x₁ = x₂ = u, an invariant line of GD (the gradient
   * 2m₂(x₁x₂ − c)(x₂, x₁) keeps x₁ = x₂): the one-dimensional cubic map
   *   u ↦ f(u) = u − 2ηm₂(u² − c)u,
   * and the two Lyapunov exponents of the full map along it, as Birkhoff averages over a 1-D orbit.
   * On the line Hess L = 2m₂[ggᵀ + (u² − c)(e₁e₂ᵀ + e₂e₁ᵀ)] with g = (u, u) has eigenvectors (1, 1)
   * and (1, −1) with eigenvalues 2m₂(3u² − c) and 2m₂(c − u²), so
   *   λ_along = ⟨log|1 − 2ηm₂(3u² − c)|⟩ = ⟨log|f′(u)|⟩,   λ_across = ⟨log|1 − 2ηm₂(c − u²)|⟩.
   * When λ_across < 0 the line attracts, and these are the exponents of the 2-D map: an independent
   * check of the QR method (and, at a period-p cycle, its exact exponents). Standard errors come
   * from 20 consecutive blocks of the orbit (transient default 1000 steps, u0 default 1.1√c).
   * Errors: RangeErrors for η ≤ 0, fewer than 20 steps, an orbit that leaves |u| ≤ 1e6.
   */
  balancedLineExponents(
    eta: number,
    o: { steps: number; transient?: number; u0?: number },
  ): { along: number; across: number; alongError: number; acrossError: number; last: number } {
    requirePositive("eta (learning rate)", eta);
    requireInteger("steps (at least 20 blocks)", o.steps, 20);
    const transient = o.transient ?? 1000;
    requireInteger("transient", transient, 0);
    const a = 2 * eta * this.meanSquare,
      c = this.c;
    const B = 20,
      blockAlong = new Float64Array(B),
      blockAcross = new Float64Array(B);
    let u = o.u0 ?? Math.sqrt(c) * 1.1;
    for (let t = 0; t < transient + o.steps; t++) {
      const u2 = u * u;
      if (t >= transient) {
        const blk = Math.min(B - 1, Math.floor(((t - transient) * B) / o.steps));
        blockAlong[blk] += Math.log(Math.abs(1 - a * (3 * u2 - c)));
        blockAcross[blk] += Math.log(Math.abs(1 - a * (c - u2)));
      }
      u -= a * (u2 - c) * u;
      if (!(Math.abs(u) <= 1e6))
        throw new RangeError(
          `balancedLineExponents: the orbit left |u| ≤ 1e6 at step ${t + 1} (η = ${eta} is past the bounded range)`,
        );
    }
    const summary = (blocks: Float64Array): [number, number] => {
      const len = Array.from(
        { length: B },
        (_, b) => Math.floor(((b + 1) * o.steps) / B) - Math.floor((b * o.steps) / B),
      );
      const means = Array.from(blocks, (v, b) => v / len[b]);
      const m = blocks.reduce((x, y) => x + y, 0) / o.steps;
      return [m, batchMeansError(means, m).se];
    };
    const [along, alongError] = summary(blockAlong),
      [across, acrossError] = summary(blockAcross);
    return { along, across, alongError, acrossError, last: u };
  }

  /** The point of M at curve parameter τ on the positive (branch = 1) or negative branch. */
  pointAt(tau: number, branch: 1 | -1 = 1): Float64Array {
    const s = branch * Math.sqrt(this.c);
    return Float64Array.of(s * Math.exp(tau), s * Math.exp(-tau));
  }

  /** Curve parameter τ = ½ log(x₁/x₂) of a point on (or near) M. */
  tauOf(x: ArrayLike<number>): number {
    return 0.5 * Math.log(x[0] / x[1]);
  }

  /** (1/N) Σ y_i² = the factor m₂ in ‖Hess L‖ = 2 m₂ |g|². */
  get meanSquare(): number {
    let s = 0;
    for (let i = 0; i < this.n; i++) s += this.y[i] * this.y[i];
    return s / this.n;
  }
}
