import type { SdeSystem } from "../sde/system";
import { RqfNormalisation, timeScale } from "./noise";
import { requireInteger } from "../util/validate";

/**
 * One point of the RQF, dX = P_X ∘dQ X on S^{n−1}, as a generic Stratonovich `SdeSystem` in R^n:
 * zero drift and one noise per independent entry of dQ, in the order `fillScaledIncrement` draws
 * them (for each row i: the diagonal (i, i), then (i, j) for j > i). With dQ = Σ s_ij ξ_ij E^{sym}_ij,
 *   column (i, i):  √κ · (x_i e_i − x_i² X),
 *   column (i, j):  √(κ/2) · (x_j e_i + x_i e_j − 2 x_i x_j X),
 * so that Heun on this system, followed by renormalisation, is the same scheme as `RqfFlow` on the
 * same increments. It exists to test that specialised kernel against the generic integrator (and
 * to measure what the specialisation buys in `npm run bench`); the notebooks use `RqfFlow`.
 */
export function rqfSde(n: number, normalisation: RqfNormalisation = "half"): SdeSystem {
  requireInteger("n", n, 2);
  const kappa = timeScale(normalisation);
  const sDiag = Math.sqrt(kappa),
    sOff = Math.sqrt(kappa / 2);
  const m = (n * (n + 1)) / 2;
  return {
    dim: n,
    noiseDim: m,
    drift(_x, out) {
      out.fill(0);
    },
    diffusion(x, out) {
      out.fill(0);
      let p = 0;
      for (let i = 0; i < n; i++) {
        for (let j = i; j < n; j++, p++) {
          if (i === j) {
            for (let r = 0; r < n; r++) out[r * m + p] = -sDiag * x[i] * x[i] * x[r];
            out[i * m + p] += sDiag * x[i];
          } else {
            for (let r = 0; r < n; r++) out[r * m + p] = -2 * sOff * x[i] * x[j] * x[r];
            out[i * m + p] += sOff * x[j];
            out[j * m + p] += sOff * x[i];
          }
        }
      }
    },
  };
}
