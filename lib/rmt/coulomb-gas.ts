import type { Stream } from "../random/stream";
import { requireFinite, requireInteger, requirePositive } from "../util/validate";

/** A confining potential V with its derivative, for the Coulomb gas and Dyson's eigenvalue SDE. */
export interface Potential {
  readonly name: string;
  value(x: number): number;
  derivative(x: number): number;
}

/** V(x) = Ω(x − κ)²/2: the expansion of any potential around a zero of the drift. */
export function quadraticPotential(omega: number, center = 0): Potential {
  requirePositive("omega Ω", omega);
  requireFinite("center κ", center);
  return {
    name: `Ω(x − κ)²/2, Ω = ${omega}, κ = ${center}`,
    value: (x) => 0.5 * omega * (x - center) * (x - center),
    derivative: (x) => omega * (x - center),
  };
}

/**
 * The stationary law of N charges on a line,
 *   P(x₁..x_N) = Z⁻¹ ∏_{i<j} |x_i − x_j|^β · exp(−Σ_i V(x_i)/g²),
 * the stationary distribution of Dyson's eigenvalue SDE dx_i = [−V'(x_i) + Σ_{j≠i} βg²/(x_i − x_j)]dt
 * + √2 g dW_i (β = 1 for real symmetric matrices). The chain samples it exactly (no step-size
 * bias): single-charge random-walk Metropolis with Gaussian proposals of width `step`, one sweep
 * moving each charge once. β = 0 is the gas without its Coulomb term: independent charges in V
 * (uncorrelated levels).
 */
export class CoulombGas {
  readonly x: Float64Array;
  private accepted = 0;
  private proposed = 0;

  constructor(
    readonly n: number,
    readonly potential: Potential,
    readonly g2: number,
    readonly beta = 1,
    readonly step = Math.sqrt(g2),
  ) {
    requireInteger("n", n, 1);
    requirePositive("g²", g2);
    if (!(beta >= 0 && Number.isFinite(beta))) throw new RangeError(`β must be a finite number ≥ 0, got ${beta}`);
    requirePositive("step", step);
    this.x = new Float64Array(n);
  }

  /** log of the unnormalised density at x (−Infinity where two charges coincide). */
  logDensity(x: ArrayLike<number>): number {
    let s = 0;
    for (let i = 0; i < x.length; i++) {
      s -= this.potential.value(x[i]) / this.g2;
      if (this.beta !== 0) for (let j = 0; j < i; j++) s += this.beta * Math.log(Math.abs(x[i] - x[j]));
    }
    return s;
  }

  /** Change of the log density when charge i moves to y. */
  private delta(i: number, y: number): number {
    const x = this.x;
    let s = (this.potential.value(x[i]) - this.potential.value(y)) / this.g2;
    if (this.beta !== 0)
      for (let j = 0; j < this.n; j++) {
        if (j !== i) s += this.beta * Math.log(Math.abs(y - x[j]) / Math.abs(x[i] - x[j]));
      }
    return s;
  }

  /** Sets the state (copied); charges must be distinct. */
  setState(x0: ArrayLike<number>): this {
    if (x0.length !== this.n) throw new RangeError(`state must have length ${this.n}, got ${x0.length}`);
    this.x.set(x0);
    if (!Number.isFinite(this.logDensity(this.x))) throw new RangeError("initial state has coinciding charges");
    return this;
  }

  /** `count` Metropolis sweeps. */
  sweep(stream: Stream, count = 1): this {
    const x = this.x;
    for (let c = 0; c < count; c++) {
      for (let i = 0; i < this.n; i++) {
        const y = x[i] + this.step * stream.normal();
        const d = this.delta(i, y);
        this.proposed++;
        if (d >= 0 || stream.uniform() < Math.exp(d)) {
          x[i] = y;
          this.accepted++;
        }
      }
    }
    return this;
  }

  get acceptanceRate(): number {
    return this.proposed === 0 ? NaN : this.accepted / this.proposed;
  }
}
