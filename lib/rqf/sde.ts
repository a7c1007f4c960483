import type { DifferentiableSde } from "../sde/system";
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
 * to measure what the specialisation buys in `npm run bench`); the notebooks use `RqfFlow`. Both
 * Jacobians are given (the drift's is 0; column (i, j)'s is its derivative above, n × n per column), so
 * `sdeTangent` runs on it: the generic counterpart of `rqfTangent` (without the renormalisation), whose
 * cost `npm run bench` compares.
 */
export function rqfSde(n: number, normalisation: RqfNormalisation = "half"): DifferentiableSde {
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
    driftJacobian(_x, out) {
      out.fill(0);
    },
    // out[p·n² + r·n + l] = ∂g_rp/∂x_l, from g_(i,i) = s(x_i e_i − x_i² x), g_(i,j) = s′(x_j e_i + x_i e_j − 2x_i x_j x)
    diffusionJacobian(x, out) {
      out.fill(0);
      const n2 = n * n;
      let p = 0;
      for (let i = 0; i < n; i++) {
        for (let j = i; j < n; j++, p++) {
          const b = p * n2;
          if (i === j) {
            const s = sDiag,
              xi = x[i];
            for (let r = 0; r < n; r++) {
              out[b + r * n + r] -= s * xi * xi;
              out[b + r * n + i] -= 2 * s * xi * x[r];
            }
            out[b + i * n + i] += s;
          } else {
            const s = sOff,
              xi = x[i],
              xj = x[j];
            for (let r = 0; r < n; r++) {
              out[b + r * n + r] -= 2 * s * xi * xj;
              out[b + r * n + i] -= 2 * s * xj * x[r];
              out[b + r * n + j] -= 2 * s * xi * x[r];
            }
            out[b + i * n + j] += s;
            out[b + j * n + i] += s;
          }
        }
      }
    },
  };
}
