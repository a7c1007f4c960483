import { Stream } from "../random/stream";
import { timeScale, RqfNormalisation } from "./noise";
import { requireInRange, requirePositive } from "../util/validate";

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

/** P(Z_t → +1 | Z₀ = z). */
export function splittingProbability(z: number): number {
  requireInRange("z", z, -1, 1);
  return 0.5 + Math.asin(z) / Math.PI;
}

/**
 * Samples of Z_t at the given times from the one-dimensional SDE, simulated as Y = arcsin Z by
 * Euler–Maruyama (Y is a martingale; Z = sin Y stays in [−1, 1] by construction).
 */
export function simulateZ(z0: number, times: number[], dt: number, stream: Stream, norm: RqfNormalisation = "half"): number[] {
  requireInRange("z0", z0, -1, 1);
  requirePositive("dt", dt);
  const vol = Math.sqrt(2 * timeScale(norm) * dt);
  let y = Math.asin(z0);
  let step = 0;
  const out: number[] = [];
  for (const t of times) {
    const target = Math.round(t / dt);
    for (; step < target; step++) y += vol * Math.cos(y) * stream.normal();
    out.push(Math.sin(y));
  }
  return out;
}
