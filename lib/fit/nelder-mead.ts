import { requireAllFinite } from "../util/validate";

/** What `nelderMead` returns: the minimiser, the value there, and whether the simplex converged. */
export interface MinimizeResult {
  x: Float64Array;
  value: number;
  iterations: number;
  converged: boolean;
}

/**
 * Nelder–Mead simplex minimisation (standard coefficients 1, 2, ½, ½). Converged when the spread of
 * the simplex values is ≤ fTol·(|f_best| + fTol) and its diameter ≤ xTol·(1 + |x_best|) in every
 * coordinate. Non-finite function values are treated as +Infinity (outside the domain).
 */
export function nelderMead(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  steps: ArrayLike<number>,
  { maxIterations = 5000, fTol = 1e-12, xTol = 1e-10 }: { maxIterations?: number; fTol?: number; xTol?: number } = {},
): MinimizeResult {
  const d = x0.length;
  requireAllFinite("x0", x0);
  const value = (x: Float64Array): number => {
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  const pts: Float64Array[] = [];
  const vals: number[] = [];
  for (let k = 0; k <= d; k++) {
    const p = Float64Array.from(x0);
    if (k > 0) p[k - 1] += steps[k - 1];
    pts.push(p);
    vals.push(value(p));
  }
  if (!Number.isFinite(vals[0]))
    throw new RangeError(`nelderMead: the start point is outside the domain (f = ${f(Float64Array.from(x0))})`);
  const centroid = new Float64Array(d);
  const trial = (t: number): Float64Array => {
    const p = new Float64Array(d);
    for (let i = 0; i < d; i++) p[i] = centroid[i] + t * (pts[d][i] - centroid[i]);
    return p;
  };
  let it = 0;
  for (; it < maxIterations; it++) {
    const order = vals.map((v, i) => i).sort((a, b) => vals[a] - vals[b]);
    const sp = order.map((i) => pts[i]),
      sv = order.map((i) => vals[i]);
    for (let k = 0; k <= d; k++) {
      pts[k] = sp[k];
      vals[k] = sv[k];
    }
    let diam = 0;
    for (let k = 1; k <= d; k++)
      for (let i = 0; i < d; i++) diam = Math.max(diam, Math.abs(pts[k][i] - pts[0][i]) / (1 + Math.abs(pts[0][i])));
    if (Math.abs(vals[d] - vals[0]) <= fTol * (Math.abs(vals[0]) + fTol) && diam <= xTol) {
      return { x: pts[0], value: vals[0], iterations: it, converged: true };
    }
    centroid.fill(0);
    for (let k = 0; k < d; k++) for (let i = 0; i < d; i++) centroid[i] += pts[k][i] / d;
    const r = trial(-1),
      fr = value(r);
    if (fr < vals[0]) {
      const e = trial(-2),
        fe = value(e);
      if (fe < fr) {
        pts[d] = e;
        vals[d] = fe;
      } else {
        pts[d] = r;
        vals[d] = fr;
      }
    } else if (fr < vals[d - 1]) {
      pts[d] = r;
      vals[d] = fr;
    } else {
      const c = fr < vals[d] ? trial(-0.5) : trial(0.5);
      const fc = value(c);
      if (fc < Math.min(fr, vals[d])) {
        pts[d] = c;
        vals[d] = fc;
      } else {
        for (let k = 1; k <= d; k++) {
          for (let i = 0; i < d; i++) pts[k][i] = pts[0][i] + 0.5 * (pts[k][i] - pts[0][i]);
          vals[k] = value(pts[k]);
        }
      }
    }
  }
  let best = 0;
  for (let k = 1; k <= d; k++) if (vals[k] < vals[best]) best = k;
  return { x: pts[best], value: vals[best], iterations: it, converged: false };
}
