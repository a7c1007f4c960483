import { requireAllFinite, requireInteger, requirePositive } from "../util/validate";
import type { ResidualModel } from "./residual-model";

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
    for (let i = 0; i < this.y.length; i++) if (this.y[i] === 0) throw new RangeError(`y[${i}] must be non-zero: a zero datum has no curvature`);
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
