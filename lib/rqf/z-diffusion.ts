import { Stream } from "../random/stream";
import { timeScale, RqfNormalisation } from "./noise";
import { requireInRange, requirePositive } from "../util/validate";
import type { DifferentiableSde } from "../sde/system";

/**
 * The inner product Z = ⟨X, Y⟩ of two RQF solutions driven by the same noise is itself a
 * diffusion on (−1, 1) (derived in notebook 03). With κ = 1 for Q = (B + Bᵀ)/2 and κ = 2 for
 * Q = (B + Bᵀ)/√2, in Itô form:
 *   dZ = −κ Z (1 − Z²) dt + √(2κ) (1 − Z²) dW,
 * for every dimension n ≥ 2. Its scale function is S(z) = arcsin z, so Y = arcsin Z is a
 * martingale, dY = √(2κ) cos Y dW, and P(Z_t → 1) = 1/2 + arcsin(z)/π.
 */
export function zDrift(z: number, norm: RqfNormalisation = "half"): number {
  return -timeScale(norm) * z * (1 - z * z);
}

/** The diffusion coefficient √(2κ)(1 − z²) of Z (see zDrift). */
export function zDiffusion(z: number, norm: RqfNormalisation = "half"): number {
  return Math.sqrt(2 * timeScale(norm)) * (1 - z * z);
}

/**
 * The Itô SDE of Z (see zDrift), dZ = −κZ(1 − Z²) dt + √(2κ)(1 − Z²) dW, as a generic `SdeSystem` on
 * Z itself (dim = noiseDim = 1, both Jacobians given). `simulateZ` steps the same SDE in a changed
 * variable (arcsin or the Lamperti artanh, whose drift is Itô's correction of the change); Euler–Maruyama
 * (`SdeIntegrator`) on this system and `simulateZ` on the same normals converge to each other
 * pathwise at strong order 1/2 (tested). Errors: a RangeError for an unknown normalisation.
 */
export function zSde(norm: RqfNormalisation = "half"): DifferentiableSde {
  return cubicZFamily(-timeScale(norm), timeScale(norm));
}

/**
 * The family of `simulateCubicZ`, dZ = c·Z(1 − Z²) dt + √2 (1 − Z²) dW (Itô), as a generic `SdeSystem`
 * on Z (both Jacobians given); c = −1 is the RQF's Z (`zSde("half")`). Tested against `simulateCubicZ`
 * as `zSde` against `simulateZ`. Errors: a RangeError for a non-finite c.
 */
export function cubicZSde(driftFactor: number): DifferentiableSde {
  if (!Number.isFinite(driftFactor)) throw new RangeError(`driftFactor must be finite, got ${driftFactor}`);
  return cubicZFamily(driftFactor, 1);
}

/** dZ = c·Z(1 − Z²) dt + √(2κ)(1 − Z²) dW with its Jacobians. */
function cubicZFamily(c: number, kappa: number): DifferentiableSde {
  const vol = Math.sqrt(2 * kappa);
  return {
    dim: 1,
    noiseDim: 1,
    drift(x, out) {
      out[0] = c * x[0] * (1 - x[0] * x[0]);
    },
    diffusion(x, out) {
      out[0] = vol * (1 - x[0] * x[0]);
    },
    driftJacobian(x, out) {
      out[0] = c * (1 - 3 * x[0] * x[0]);
    },
    diffusionJacobian(x, out) {
      out[0] = -2 * vol * x[0];
    },
  };
}

/** P(Z_t → +1 | Z₀ = z). */
export function splittingProbability(z: number): number {
  requireInRange("z", z, -1, 1);
  return 0.5 + Math.asin(z) / Math.PI;
}

/** Options of `simulateZ`. */
export interface SimulateZOptions {
  /** Z₀ ∈ [−1, 1] (|Z₀| < 1 for the "artanh" variable). */
  z0: number;
  /** The model times at which Z is recorded (each rounded to a multiple of dt). */
  times: number[];
  /** Euler–Maruyama step. */
  dt: number;
  stream: Stream;
  /** The normalisation of Q, which sets the time scale κ (default "half"). */
  normalisation?: RqfNormalisation;
  /** The variable the scheme steps: "arcsin" (default) or the Lamperti variable "artanh". */
  variable?: "arcsin" | "artanh";
}

/**
 * Samples of Z_t at the given times from the one-dimensional SDE by Euler–Maruyama in one of two
 * variables:
 * - "arcsin" (default): Y = arcsin Z, a martingale, dY = √(2κ) cos Y dW; Z = sin Y stays in
 *   [−1, 1] by construction, but near Z = ±1 a step can overshoot the turning point of sin, a weak
 *   error that matters for statistics of |Z| close to 1.
 * - "artanh": the Lamperti variable U = artanh(Z)/√2, for which the noise is additive,
 *   dU = (κ/√2) tanh(√2 U) dt + √κ dW (Itô's formula: U′ = 1/(√2(1 − Z²)), U″ = √2 Z/(1 − Z²)²);
 *   the drift is bounded and smooth, so the weak error is small. Needs |z0| < 1.
 *
 * Options (`SimulateZOptions`): z0 ∈ [−1, 1]; times (each rounded to a multiple of dt); dt > 0;
 * stream; normalisation of Q (default "half"); variable (default "arcsin"). Errors: a RangeError
 * naming the option.
 */
export function simulateZ(o: SimulateZOptions): number[] {
  const { z0, times, dt, stream } = o,
    variable = o.variable ?? "arcsin";
  requireInRange("z0", z0, -1, 1);
  requirePositive("dt", dt);
  const kappa = timeScale(o.normalisation ?? "half");
  if (variable !== "arcsin" && variable !== "artanh")
    throw new RangeError(`variable must be "arcsin" or "artanh", got "${String(variable)}"`);
  if (variable === "artanh" && !(Math.abs(z0) < 1))
    throw new RangeError(`the artanh variable needs |z0| < 1, got ${z0}`);
  const vol = variable === "arcsin" ? Math.sqrt(2 * kappa * dt) : Math.sqrt(kappa * dt);
  let y = variable === "arcsin" ? Math.asin(z0) : Math.atanh(z0) / Math.SQRT2;
  let step = 0;
  const out: number[] = [];
  for (const t of times) {
    const target = Math.round(t / dt);
    if (variable === "arcsin") for (; step < target; step++) y += vol * Math.cos(y) * stream.normal();
    else
      for (; step < target; step++) y += (kappa / Math.SQRT2) * Math.tanh(Math.SQRT2 * y) * dt + vol * stream.normal();
    out.push(variable === "arcsin" ? Math.sin(y) : Math.tanh(Math.SQRT2 * y));
  }
  return out;
}

/**
 * Samples of Z_t at the given times for the one-parameter family of diffusions on (−1, 1)
 *   dZ = c·Z(1 − Z²) dt + √2 (1 − Z²) dW   (Itô),
 * which holds the RQF's Z (c = −1, κ = 1: zDrift) and the readings of the talk's printed SDE
 * dZ = 2Z(1 − Z²)dt + √2(1 − Z²)∂B (c = 2 read as Itô; read as Stratonovich its Itô drift is 0,
 * c = 0). Euler–Maruyama in the Lamperti variable U = artanh(Z)/√2, where the noise is additive:
 *   dU = (c/√2 + √2) tanh(√2 U) dt + dW
 * (Itô's formula with U′ = 1/(√2(1 − Z²)), U″ = √2 Z/(1 − Z²)²). The drift is bounded, so the
 * scheme's weak error is O(dt) for every c.
 *
 * Options: z0 ∈ (−1, 1); times (increasing, each rounded to a multiple of dt); dt > 0; stream;
 * driftFactor c (finite). Errors: a RangeError naming the option.
 */
export function simulateCubicZ(o: {
  z0: number;
  times: number[];
  dt: number;
  stream: Stream;
  driftFactor: number;
}): number[] {
  if (!(Math.abs(o.z0) < 1))
    throw new RangeError(`z0 must be in (−1, 1) (the Lamperti variable is artanh z0), got ${o.z0}`);
  requirePositive("dt", o.dt);
  if (!Number.isFinite(o.driftFactor)) throw new RangeError(`driftFactor must be finite, got ${o.driftFactor}`);
  const a = o.driftFactor / Math.SQRT2 + Math.SQRT2,
    vol = Math.sqrt(o.dt);
  let u = Math.atanh(o.z0) / Math.SQRT2;
  let step = 0;
  const out: number[] = [];
  for (const t of o.times) {
    const target = Math.round(t / o.dt);
    for (; step < target; step++) u += a * Math.tanh(Math.SQRT2 * u) * o.dt + vol * o.stream.normal();
    out.push(Math.tanh(Math.SQRT2 * u));
  }
  return out;
}
