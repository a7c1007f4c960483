import type { ScalarSde } from "../cocycle/rounding-bound";
import { Stream } from "../random/stream";
import { requirePositive, requireFinite } from "../util/validate";

/**
 * Lyapunov exponent of a scalar Stratonovich SDE dX = f(X)dt + g(X)∘dW solved by Heun:
 * λ = lim (1/T) Σ_k log|∂x_{k+1}/∂x_k|, with the exact derivative of the Heun step map
 *   x_p = x + f(x)dt + g(x)ΔW,  x' = x + ½(f(x) + f(x_p))dt + ½(g(x) + g(x_p))ΔW,
 *   ∂x'/∂x = 1 + ½(f'(x) + f'(x_p)·∂x_p/∂x)dt + ½(g'(x) + g'(x_p)·∂x_p/∂x)ΔW.
 * This is the exponent of the numerical random dynamical system; it tends to the SDE's as dt → 0.
 */
export interface ScalarLyapunovOptions {
  x0: number;
  dt: number;
  time: number;
  transient: number;
  stream: Stream;
}

export function scalarHeunLyapunov(sde: ScalarSde, o: ScalarLyapunovOptions): number {
  requireFinite("x0", o.x0);
  requirePositive("dt", o.dt);
  requirePositive("time", o.time);
  if (!(o.transient >= 0)) throw new RangeError(`transient must be >= 0, got ${o.transient}`);
  const { dt, stream } = o;
  const sdt = Math.sqrt(dt);
  const nTrans = Math.round(o.transient / dt);
  const n = Math.round(o.time / dt);
  let x = o.x0;
  let sum = 0;
  for (let k = 0; k < nTrans + n; k++) {
    const dw = sdt * stream.normal();
    const xp = x + sde.f(x) * dt + sde.g(x) * dw;
    const dxp = 1 + sde.df(x) * dt + sde.dg(x) * dw;
    const deriv = 1 + 0.5 * (sde.df(x) + sde.df(xp) * dxp) * dt + 0.5 * (sde.dg(x) + sde.dg(xp) * dxp) * dw;
    x = x + 0.5 * (sde.f(x) + sde.f(xp)) * dt + 0.5 * (sde.g(x) + sde.g(xp)) * dw;
    if (k >= nTrans) sum += Math.log(Math.abs(deriv));
  }
  if (!Number.isFinite(x)) throw new RangeError(`scalarHeunLyapunov: the solution left the finite range (x = ${x}); reduce dt`);
  return sum / (n * dt);
}
