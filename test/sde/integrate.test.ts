import { test } from "node:test";
import assert from "node:assert/strict";
import { SdeIntegrator, type SdeSystem } from "../../lib/sde";
import { Stream } from "../../lib/random";

// Geometric Brownian motion dX = μX dt + σX dW: Itô solution X_T = x0·exp((μ − σ²/2)T + σW_T);
// read in Stratonovich sense, X_T = x0·exp(μT + σW_T).
const mu = 0.3,
  sigma = 0.5;
const gbm: SdeSystem = {
  dim: 1,
  noiseDim: 1,
  drift: (x, o) => {
    o[0] = mu * x[0];
  },
  diffusion: (x, o) => {
    o[0] = sigma * x[0];
  },
};

function strongError(scheme: "euler-maruyama" | "heun", steps: number, paths: number): number {
  const integ = new SdeIntegrator(gbm, scheme);
  const T = 1,
    dt = T / steps;
  let err = 0;
  for (let p = 0; p < paths; p++) {
    const dW = new Stream(21, p).fillNormal(new Float64Array(steps)).map((z) => z * Math.sqrt(dt));
    const w = dW.reduce((s, v) => s + v, 0);
    const x = integ.solve(Float64Array.of(1), dt, dW)[0];
    const exact =
      scheme === "heun" ? Math.exp(mu * T + sigma * w) : Math.exp((mu - (sigma * sigma) / 2) * T + sigma * w);
    err += Math.abs(x - exact) / paths;
  }
  return err;
}

// Strong orders: Euler–Maruyama 1/2 for multiplicative noise (the Milstein term ½gg'(ΔW² − dt) is
// missing), Heun 1 for commutative Stratonovich noise. Mean errors over 400 paths at 32 and 256 steps.
test("Euler–Maruyama converges to the Itô solution at order 1/2, Heun to the Stratonovich one at order 1 (GBM)", () => {
  const order = (scheme: "euler-maruyama" | "heun") =>
    Math.log(strongError(scheme, 32, 400) / strongError(scheme, 256, 400)) / Math.log(8);
  const em = order("euler-maruyama"),
    heun = order("heun");
  assert.ok(em > 0.35 && em < 0.65, `Euler–Maruyama: order ${em}`);
  assert.ok(heun > 0.85 && heun < 1.15, `Heun: order ${heun}`);
});

test("Heun does not converge to the Itô solution (the readings differ)", () => {
  const integ = new SdeIntegrator(gbm, "heun");
  const steps = 512,
    dt = 1 / steps;
  let gap = 0;
  for (let p = 0; p < 200; p++) {
    const dW = new Stream(22, p).fillNormal(new Float64Array(steps)).map((z) => z * Math.sqrt(dt));
    const w = dW.reduce((s, v) => s + v, 0);
    gap += Math.abs(integ.solve(Float64Array.of(1), dt, dW)[0] - Math.exp(mu - (sigma * sigma) / 2 + sigma * w)) / 200;
  }
  assert.ok(gap > 0.1, `gap ${gap}`);
});

test("bad input", () => {
  assert.throws(() => new SdeIntegrator(gbm, "rk4" as never), /scheme/);
  const integ = new SdeIntegrator(gbm, "heun");
  assert.throws(() => integ.solve(Float64Array.of(1), 0, new Float64Array(3)), /dt/);
  assert.throws(() => integ.solve(Float64Array.of(NaN), 0.1, new Float64Array(3)), /x\[0\]/);
  assert.throws(() => integ.solve(Float64Array.of(1, 2), 0.1, new Float64Array(3)), /length 1/);
});
