import type { Factorization } from "../models/factorization";
import { NormalLinearization } from "./linearization";
import { gdStability } from "./gd";
import { forEachSubset, scalarSgdLyapunov } from "./sgd-lyapunov";
import { meanSquareStability } from "./mean-square";
import { requireInteger, requirePositive } from "../util/validate";

/** What `curveProfile` returns. */
export interface CurveProfile {
  tau: number[];
  mu: number[];
  lambda: number[];
  meanSquare: number[];
}

/**
 * Stability along the curve of minima of the factorisation model, where the normal space is one-
 * dimensional and every criterion is exact: μ (GD), λ = E log|A_B| (SGD), ½ log ρ (mean square).
 * All three depend on τ only through |τ| and not on the branch.
 */
export function curveProfile(m: Factorization, eta: number, batch: number, tau: number[]): CurveProfile {
  requirePositive("eta", eta);
  const mu: number[] = [],
    lambda: number[] = [],
    meanSquare: number[] = [];
  for (const t of tau) {
    const lin = new NormalLinearization(m, m.pointAt(t));
    mu.push(gdStability(lin, eta).mu);
    lambda.push(scalarSgdLyapunov(lin, eta, batch));
    meanSquare.push(meanSquareStability(lin, eta, batch).exponent);
  }
  return { tau, mu, lambda, meanSquare };
}

/**
 * Sign changes of f on [lo, hi]: scanned on a grid of `grid` cells, each refined by bisection to
 * 1e-12. Returns the roots in increasing order. (−∞ values of λ, where a factor A_B vanishes, count
 * as negative.)
 */
export function signChanges(f: (t: number) => number, lo: number, hi: number, grid = 2000): number[] {
  requireInteger("grid", grid, 2);
  const roots: number[] = [];
  let a = lo,
    fa = f(lo);
  for (let k = 1; k <= grid; k++) {
    const b = lo + ((hi - lo) * k) / grid,
      fb = f(b);
    if (fa < 0 !== fb < 0) {
      let l = a,
        r = b;
      const negLeft = fa < 0;
      while (r - l > 1e-12) {
        const mid = 0.5 * (l + r);
        if (f(mid) < 0 === negLeft) l = mid;
        else r = mid;
      }
      roots.push(0.5 * (l + r));
    }
    a = b;
    fa = fb;
  }
  return roots;
}

/** Standard deviation of log|A_B| over minibatches at a point with a one-dimensional normal space. */
export function logFactorSpread(lin: NormalLinearization, eta: number, batch: number): number {
  if (lin.rank !== 1) throw new RangeError("logFactorSpread needs a one-dimensional normal space");
  const c = Array.from({ length: lin.n }, (_, i) => lin.g[i] * lin.g[i]);
  const values: number[] = [];
  forEachSubset(lin.n, batch, (sub) => {
    let sum = 0;
    for (const i of sub) sum += c[i];
    values.push(Math.log(Math.abs(1 - (2 * eta * sum) / batch)));
  });
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
}
