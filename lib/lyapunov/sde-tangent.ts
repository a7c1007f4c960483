import type { Stream } from "../random/stream";
import type { Scheme } from "../sde/integrate";
import { requireDifferentiable, type SdeSystem } from "../sde/system";
import { requireAllFinite, requireLength, requirePositive } from "../util/validate";
import type { TangentSystem } from "./tangent-system";

/** Options of `sdeTangent`. */
export interface SdeTangentOptions {
  /** Starting point (length dim). */
  x0: ArrayLike<number>;
  dt: number;
  /** "euler-maruyama" (the Itô equation) or "heun" (the Stratonovich equation). */
  scheme: Scheme;
}

/**
 * An SDE dX = f(X)dt + Σ_j g_j(X) dW^j together with its variational equation
 *   dV = Df(X) V dt + Σ_j Dg_j(X) V dW^j   (read in the same sense, Itô or Stratonovich, as X),
 * as a TangentSystem for `lyapunovSpectrum`.
 *
 * The pair (X, V) is advanced by the same scheme on the same increments, which makes V exactly the
 * derivative of the numerical step map x ↦ x' (differentiate the scheme: the result is the scheme
 * applied to the variational equation). Euler–Maruyama:
 *   x' = x + f dt + G ΔW,   V' = V + Df V dt + Σ_j Dg_j V ΔW_j;
 * Heun (predictor x_p = x + f(x)dt + G(x)ΔW, V_p likewise):
 *   x' = x + ½(f(x) + f(x_p))dt + ½(G(x) + G(x_p))ΔW,
 *   V' = V + ½(Df(x)V + Df(x_p)V_p)dt + ½ Σ_j (Dg_j(x)V + Dg_j(x_p)V_p) ΔW_j.
 * So the exponents are those of the numerical random dynamical system; they tend to the SDE's as
 * dt → 0 (strong order 1/2 for Euler–Maruyama, 1 for Heun with commutative noise).
 *
 * Neither ChaosTools.jl nor DynamicalSystems has a variational solver for SDEs; this is ours.
 * Increments are drawn per step from the run's stream (noiseDim standard normals × √dt).
 *
 * Errors: a RangeError if the system lacks a Jacobian, for a bad x0 or dt, and (from the driver)
 * when the state leaves the finite range.
 */
export function sdeTangent(sys: SdeSystem, o: SdeTangentOptions): TangentSystem {
  requireDifferentiable(sys, "sdeTangent");
  const { dim, noiseDim: m } = sys;
  requirePositive("dt", o.dt);
  const x0 = Float64Array.from(o.x0);
  requireLength("x0", x0, dim);
  requireAllFinite("x0", x0);
  if (o.scheme !== "euler-maruyama" && o.scheme !== "heun")
    throw new RangeError(`scheme must be "euler-maruyama" or "heun", got "${String(o.scheme)}"`);
  const heun = o.scheme === "heun";
  const dt = o.dt,
    sdt = Math.sqrt(dt);
  const x = new Float64Array(dim),
    xp = new Float64Array(dim),
    dx0 = new Float64Array(dim);
  const f0 = new Float64Array(dim),
    f1 = new Float64Array(dim);
  const g0 = new Float64Array(dim * m),
    g1 = new Float64Array(dim * m);
  const j0 = new Float64Array(dim * dim),
    j1 = new Float64Array(dim * dim);
  const k0 = new Float64Array(m * dim * dim),
    k1 = new Float64Array(m * dim * dim);
  const dw = new Float64Array(m);
  let dv0 = new Float64Array(0),
    dv1 = new Float64Array(0),
    vp = new Float64Array(0);

  // out[c] = Df v_c dt + Σ_j Dg_j v_c ΔW_j for the k columns of v (hand-written: the inner loop of every step).
  const tangentIncrement = (jf: Float64Array, jg: Float64Array, v: Float64Array, out: Float64Array, k: number) => {
    for (let c = 0; c < k; c++) {
      const vc = c * dim;
      for (let i = 0; i < dim; i++) {
        let s = 0;
        for (let l = 0; l < dim; l++) s += jf[i * dim + l] * v[vc + l];
        s *= dt;
        for (let j = 0; j < m; j++) {
          const b = j * dim * dim + i * dim;
          let t = 0;
          for (let l = 0; l < dim; l++) t += jg[b + l] * v[vc + l];
          s += t * dw[j];
        }
        out[vc + i] = s;
      }
    }
  };
  const increment = (f: Float64Array, g: Float64Array, i: number) => {
    let s = f[i] * dt;
    for (let j = 0; j < m; j++) s += g[i * m + j] * dw[j];
    return s;
  };

  return {
    dim,
    dt,
    start(_stream: Stream, _basis: Float64Array, k: number) {
      x.set(x0);
      dv0 = new Float64Array(dim * k);
      dv1 = new Float64Array(dim * k);
      vp = new Float64Array(dim * k);
    },
    advance(v: Float64Array, k: number, stream: Stream) {
      stream.fillNormal(dw);
      for (let j = 0; j < m; j++) dw[j] *= sdt;
      sys.drift(x, f0);
      sys.diffusion(x, g0);
      sys.driftJacobian(x, j0);
      sys.diffusionJacobian(x, k0);
      tangentIncrement(j0, k0, v, dv0, k);
      if (!heun) {
        for (let i = 0; i < dim; i++) x[i] += increment(f0, g0, i);
        for (let i = 0; i < dim * k; i++) v[i] += dv0[i];
      } else {
        for (let i = 0; i < dim; i++) {
          dx0[i] = increment(f0, g0, i);
          xp[i] = x[i] + dx0[i];
        }
        for (let i = 0; i < dim * k; i++) vp[i] = v[i] + dv0[i];
        sys.drift(xp, f1);
        sys.diffusion(xp, g1);
        sys.driftJacobian(xp, j1);
        sys.diffusionJacobian(xp, k1);
        for (let i = 0; i < dim; i++) x[i] += 0.5 * (dx0[i] + increment(f1, g1, i));
        tangentIncrement(j1, k1, vp, dv1, k);
        for (let i = 0; i < dim * k; i++) v[i] += 0.5 * (dv0[i] + dv1[i]);
      }
      for (let i = 0; i < dim; i++) {
        if (!Number.isFinite(x[i]))
          throw new RangeError(`sdeTangent: the solution left the finite range (x[${i}] = ${x[i]}); reduce dt`);
      }
    },
  };
}
