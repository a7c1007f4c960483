import type { SdeSystem } from "../sde/system";
import type { Potential } from "./coulomb-gas";
import { requireInteger, requirePositive } from "../util/validate";

/**
 * Dyson's eigenvalue SDE of `DysonEigenvalueSde`, dx_i = [−V'(x_i) + c Σ_{j≠i} 1/(x_i − x_j)] dt + √(2g²) dW_i
 * with c = repulsion·g², as a generic `SdeSystem` on the n levels (noiseDim = n, additive noise: Itô and
 * Stratonovich coincide). Explicit Euler–Maruyama on it (`SdeIntegrator`) is the scheme that
 * `DysonEigenvalueSde` replaces by a drift-implicit step, because explicit steps let close levels cross;
 * where the levels stay apart the two converge to each other pathwise at order 1 on the same normals
 * (tested), and with repulsion 0 the explicit step followed by sorting is `DysonEigenvalueSde`'s.
 * Errors: RangeError for n < 1, g² ≤ 0 or a negative or non-finite repulsion.
 */
export function dysonEigenvalueSde(n: number, potential: Potential, g2: number, repulsion = 1): SdeSystem {
  requireInteger("n", n, 1);
  requirePositive("g²", g2);
  if (!(repulsion >= 0 && Number.isFinite(repulsion)))
    throw new RangeError(`repulsion must be a finite number ≥ 0, got ${repulsion}`);
  const c = repulsion * g2,
    vol = Math.sqrt(2 * g2);
  return {
    dim: n,
    noiseDim: n,
    drift(x, out) {
      for (let i = 0; i < n; i++) {
        let r = 0;
        if (c !== 0) for (let j = 0; j < n; j++) if (j !== i) r += 1 / (x[i] - x[j]);
        out[i] = -potential.derivative(x[i]) + c * r;
      }
    },
    diffusion(_x, out) {
      out.fill(0);
      for (let i = 0; i < n; i++) out[i * n + i] = vol;
    },
  };
}
