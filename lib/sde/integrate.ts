import type { SdeSystem } from "./system";
import { requirePositive, requireLength, requireAllFinite } from "../util/validate";

/** The fixed-step schemes of `SdeIntegrator`: "euler-maruyama" solves the Itô equation, "heun" the Stratonovich one. */
export type Scheme = "euler-maruyama" | "heun";
/** The scheme that solves an SDE in the given sense. */
export function schemeFor(calculus: "ito" | "stratonovich"): Scheme {
  if (calculus !== "ito" && calculus !== "stratonovich")
    throw new RangeError(`calculus must be "ito" or "stratonovich", got "${String(calculus)}"`);
  return calculus === "ito" ? "euler-maruyama" : "heun";
}

/**
 * Fixed-step integrators driven by given Brownian increments, so that the same noise path ω can
 * be replayed, shifted, or refined.
 *
 * - Euler–Maruyama: the Itô solution, strong order 1/2 (1 for additive noise).
 * - Heun (stochastic trapezoid / predictor–corrector): the Stratonovich solution, strong order 1
 *   for commutative noise (Kloeden & Platen, 1992, §11.1; Rümelin, 1982).
 *
 * `dW` holds steps × noiseDim increments, step-major. The state x is advanced in place; when
 * `trajectory` is given it receives the (steps + 1) × dim states.
 */
export class SdeIntegrator {
  readonly sys: SdeSystem;
  readonly scheme: Scheme;
  private readonly f0: Float64Array;
  private readonly f1: Float64Array;
  private readonly g0: Float64Array;
  private readonly g1: Float64Array;
  private readonly xp: Float64Array;

  constructor(sys: SdeSystem, scheme: Scheme) {
    if (scheme !== "euler-maruyama" && scheme !== "heun") {
      throw new RangeError(`scheme must be "euler-maruyama" or "heun", got "${String(scheme)}"`);
    }
    this.sys = sys;
    this.scheme = scheme;
    this.f0 = new Float64Array(sys.dim);
    this.f1 = new Float64Array(sys.dim);
    this.g0 = new Float64Array(sys.dim * sys.noiseDim);
    this.g1 = new Float64Array(sys.dim * sys.noiseDim);
    this.xp = new Float64Array(sys.dim);
  }

  /** One step of size dt with increments dW[off .. off + noiseDim). */
  step(x: Float64Array, dt: number, dW: Float64Array, off: number): void {
    const { dim, noiseDim: m } = this.sys;
    const f0 = this.f0,
      g0 = this.g0;
    this.sys.drift(x, f0);
    this.sys.diffusion(x, g0);
    if (this.scheme === "euler-maruyama") {
      for (let i = 0; i < dim; i++) {
        let s = f0[i] * dt;
        for (let j = 0; j < m; j++) s += g0[i * m + j] * dW[off + j];
        x[i] += s;
      }
      return;
    }
    // Heun: Euler predictor, then the trapezoid average of drift and diffusion.
    const xp = this.xp,
      f1 = this.f1,
      g1 = this.g1;
    for (let i = 0; i < dim; i++) {
      let s = f0[i] * dt;
      for (let j = 0; j < m; j++) s += g0[i * m + j] * dW[off + j];
      xp[i] = x[i] + s;
    }
    this.sys.drift(xp, f1);
    this.sys.diffusion(xp, g1);
    for (let i = 0; i < dim; i++) {
      let s = 0.5 * (f0[i] + f1[i]) * dt;
      for (let j = 0; j < m; j++) s += 0.5 * (g0[i * m + j] + g1[i * m + j]) * dW[off + j];
      x[i] += s;
    }
  }

  /** Advance x through all increments in dW (length steps · noiseDim). */
  solve(x: Float64Array, dt: number, dW: Float64Array, trajectory?: Float64Array): Float64Array {
    requirePositive("dt", dt);
    const { dim, noiseDim: m } = this.sys;
    requireLength("x", x, dim);
    requireAllFinite("x", x);
    if (dW.length % m !== 0) throw new RangeError(`dW length ${dW.length} is not a multiple of noiseDim ${m}`);
    const steps = dW.length / m;
    if (trajectory) {
      requireLength("trajectory", trajectory, (steps + 1) * dim);
      trajectory.set(x, 0);
    }
    for (let k = 0; k < steps; k++) {
      this.step(x, dt, dW, k * m);
      if (trajectory) trajectory.set(x, (k + 1) * dim);
    }
    return x;
  }
}
