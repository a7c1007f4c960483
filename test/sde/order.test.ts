import { test } from "node:test";
import assert from "node:assert/strict";
import { SdeIntegrator, type SdeSystem, type Scheme } from "../../lib/sde";
import { Stream } from "../../lib/random";
import { fitLine } from "../../lib/stats";

// Geometric Brownian motion dX = μX dt + σX dW, X₀ = 1, on [0, 1]: closed-form solutions
//   Itô (Euler–Maruyama):  X_T = exp((μ − σ²/2)T + σW_T),  E X_T = e^{μT}
//   Stratonovich (Heun):   X_T = exp(μT + σW_T),           E X_T = e^{(μ + σ²/2)T}
const T = 1,
  paths = 3000;
const gbm = (mu: number, sigma: number): SdeSystem => ({
  dim: 1,
  noiseDim: 1,
  drift: (x, o) => {
    o[0] = mu * x[0];
  },
  diffusion: (x, o) => {
    o[0] = sigma * x[0];
  },
});

/** Strong errors E|X_T^h − X_T| and weak errors E X_T^h − E X_T per level (steps = 2^level), each with a standard error. */
function sweep(scheme: Scheme, mu: number, sigma: number, levels: number[]) {
  const integ = new SdeIntegrator(gbm(mu, sigma), scheme);
  const finest = 1 << levels[levels.length - 1];
  const fine = new Float64Array(finest);
  return levels.map((lv) => {
    const steps = 1 << lv,
      ratio = finest / steps,
      dt = T / steps;
    let se = 0,
      se2 = 0,
      wk = 0,
      wk2 = 0;
    const dW = new Float64Array(steps);
    for (let p = 0; p < paths; p++) {
      // one Brownian path on the finest grid, summed to each coarser grid: the same W_T at every level
      new Stream(31, p).fillNormal(fine);
      let w = 0;
      for (let k = 0; k < steps; k++) {
        let s = 0;
        for (let j = 0; j < ratio; j++) s += fine[k * ratio + j];
        dW[k] = s * Math.sqrt(T / finest);
        w += dW[k];
      }
      const x = integ.solve(Float64Array.of(1), dt, dW)[0];
      const exact =
        scheme === "heun" ? Math.exp(mu * T + sigma * w) : Math.exp((mu - (sigma * sigma) / 2) * T + sigma * w);
      const e = Math.abs(x - exact);
      se += e;
      se2 += e * e;
      // Weak error E X^h − E X, estimated pathwise as E[X^h − X]: same mean, far smaller variance.
      wk += x - exact;
      wk2 += (x - exact) ** 2;
    }
    const strong = se / paths,
      weak = wk / paths;
    return {
      dt,
      strong,
      strongSe: Math.sqrt((se2 / paths - strong * strong) / paths),
      weak,
      weakSe: Math.sqrt((wk2 / paths - weak * weak) / paths),
    };
  });
}

function order(dts: number[], errs: number[], ses: number[]) {
  const f = fitLine(
    dts.map(Math.log),
    errs.map(Math.log),
    errs.map((e, i) => ses[i] / e),
  );
  return f;
}

test("strong orders from a step-size sweep with error bars: Euler–Maruyama 1/2, Heun 1 (GBM, multiplicative noise)", () => {
  for (const [scheme, expected] of [
    ["euler-maruyama", 0.5],
    ["heun", 1],
  ] as const) {
    const s = sweep(scheme, 0.4, 0.6, [3, 4, 5, 6, 7, 8]);
    const f = order(
      s.map((r) => r.dt),
      s.map((r) => r.strong),
      s.map((r) => r.strongSe),
    );
    // The errors at different levels share paths (correlated), so the fit's error is a lower bound:
    // allow 4 of them plus 0.1 for the pre-asymptotic curvature over 2^-3…2^-8.
    assert.ok(
      Math.abs(f.slope - expected) < 4 * f.slopeError + 0.1,
      `${scheme}: order ${f.slope.toFixed(3)} ± ${f.slopeError.toFixed(3)}`,
    );
  }
});

test("weak order 1 for both schemes: the bias of E X_T shrinks linearly in dt", () => {
  for (const scheme of ["euler-maruyama", "heun"] as const) {
    // a strong drift makes the O(dt) bias stand clear of the pathwise Monte Carlo error on 2^-3…2^-6
    const s = sweep(scheme, 1, 0.5, [3, 4, 5, 6]);
    for (const r of s)
      assert.ok(Math.abs(r.weak) > 3 * r.weakSe, `${scheme}: bias ${r.weak} not resolved at dt = ${r.dt}`);
    const f = order(
      s.map((r) => r.dt),
      s.map((r) => Math.abs(r.weak)),
      s.map((r) => r.weakSe),
    );
    assert.ok(
      Math.abs(f.slope - 1) < 4 * f.slopeError + 0.15,
      `${scheme}: weak order ${f.slope.toFixed(3)} ± ${f.slopeError.toFixed(3)}`,
    );
  }
});
