import { requireFinite, requireInteger, requirePositive } from "../util/validate";

/** What `twoChargeGas` returns: moments of a degenerate pair in an arbitrary well. */
export interface TwoChargeMoments {
  /** ⟨S⟩ = ⟨|x₁ − x₂|⟩. */
  meanSpacing: number;
  /** ⟨(x₁ + x₂)/2⟩: the pair's centre, shifted from the well's minimum by its asymmetry. */
  meanCentre: number;
  /** ⟨x_lower⟩ and ⟨x_upper⟩ of the sorted pair. */
  meanLower: number;
  meanUpper: number;
}

/**
 * Moments of the stationary law of two charges (a degenerate pair, β = 1) in the well V (given as
 * a function, for instance `quadraticPotential(Ω, κ).value` or `rbmModePotential(κ, μ², 2).potential`),
 *   P(x₁, x₂) ∝ |x₁ − x₂| · exp(−[V(x₁) + V(x₂)]/g²)  on  lo < x₁, x₂ < hi,
 * the convention of `CoulombGas` (Dyson's SDE dx = [−V' + g²/(x_i − x_j)]dt + √2 g dW). For a
 * quadratic V = Ω(x − κ)²/2 it is the 2×2 GOE of width σ² = g²/Ω and ⟨S⟩ = √π σ; beyond it, the
 * anharmonic prediction for a pair near a wall. Method: the midpoint rule on a `points`×`points`
 * grid over the triangle x₁ < x₂ (the kink of |x₁ − x₂| sits on cell edges, so the rule keeps its
 * second order). Choose [lo, hi] to hold many widths on each side, or up to a wall where V → ∞.
 * Options: `points` (default 800). Errors: a RangeError for g² ≤ 0, lo ≥ hi, fewer than 16 points,
 * or a potential that is not finite on the grid's interior.
 */
export function twoChargeGas(
  potential: (x: number) => number,
  g2: number,
  lo: number,
  hi: number,
  points = 800,
): TwoChargeMoments {
  requirePositive("g²", g2);
  requireFinite("lo", lo);
  requireFinite("hi", hi);
  if (!(hi > lo)) throw new RangeError(`twoChargeGas: need lo < hi, got [${lo}, ${hi}]`);
  requireInteger("points", points, 16);
  const h = (hi - lo) / points;
  const x = Float64Array.from({ length: points }, (_, i) => lo + (i + 0.5) * h);
  const v = x.map((t) => potential(t));
  for (let i = 0; i < points; i++)
    if (!Number.isFinite(v[i]))
      throw new RangeError(`twoChargeGas: V(${x[i]}) = ${v[i]} is not finite inside [lo, hi]`);
  const vMin = v.reduce((a, b) => Math.min(a, b), Infinity);
  const w = v.map((t) => Math.exp(-(t - vMin) / g2));
  let z = 0,
    s = 0,
    lower = 0,
    upper = 0;
  for (let i = 0; i < points; i++)
    for (let j = i + 1; j < points; j++) {
      const d = x[j] - x[i];
      const p = d * w[i] * w[j];
      z += p;
      s += p * d;
      lower += p * x[i];
      upper += p * x[j];
    }
  return { meanSpacing: s / z, meanCentre: (lower + upper) / (2 * z), meanLower: lower / z, meanUpper: upper / z };
}
