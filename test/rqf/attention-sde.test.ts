import { test } from "node:test";
import assert from "node:assert/strict";
import { Stream } from "../../lib/random";
import { SdeIntegrator, type SdeSystem } from "../../lib/sde";
import {
  attentionSde,
  tokenStepper,
  tokenDynamicsRun,
  pairWithInnerProduct,
  uniformOnSphere,
  type TokenDynamicsInput,
} from "../../lib/rqf";
import { normalQuantile } from "../../lib/stats";

/**
 * Runs tokenStepper and the generic Heun integrator on attentionSde (each token renormalised after
 * each step) on the same increments: the normals tokenStepper draws, in its order, become the
 * integrator's dW = √dt·ξ. Returns the largest coordinate difference over the run.
 */
function sameIncrements(o: Omit<TokenDynamicsInput, "T" | "seed" | "index">, steps: number): number {
  const seed = "test/attention-sde",
    index = 3;
  const { n, m, dt } = o;
  const { x, step } = tokenStepper({ ...o, T: steps * dt, seed, index });
  const sys = attentionSde(o);
  const integ = new SdeIntegrator(sys, "heun");
  const s = new Stream(seed, index);
  const y = o.z0 !== undefined ? pairWithInnerProduct(n, o.z0) : uniformOnSphere(s, n, m);
  const independent = o.noise === "independent";
  const streams = independent ? Array.from({ length: m }, (_, p) => s.child("token", p)) : [s];
  const nq = (n * (n + 1)) / 2,
    per = nq + n;
  const dW = new Float64Array(sys.noiseDim);
  const sigma = o.sigma ?? 0,
    eps = o.bias ?? 0;
  let worst = 0;
  for (let k = 0; k < steps; k++) {
    step();
    dW.fill(0);
    streams.forEach((st, q) => {
      if (sigma > 0) st.drawNormals(dW, q * per, nq);
      if (eps > 0) st.drawNormals(dW, q * per + nq, n);
    });
    for (let j = 0; j < dW.length; j++) dW[j] *= Math.sqrt(dt);
    integ.step(y, dt, dW, 0);
    for (let p = 0; p < m; p++) {
      let r = 0;
      for (let i = 0; i < n; i++) r += y[p * n + i] ** 2;
      r = Math.sqrt(r);
      for (let i = 0; i < n; i++) y[p * n + i] /= r;
    }
    for (let i = 0; i < n * m; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
  }
  return worst;
}

test("tokenStepper (notebook 14's hand-written Heun step) is SdeIntegrator's Heun on attentionSde + renormalisation, same increments, to rounding", () => {
  const cases: Omit<TokenDynamicsInput, "T" | "seed" | "index">[] = [
    { n: 3, m: 5, dt: 0.01, beta: 4, sigma: 1, bias: 0.5 },
    { n: 4, m: 3, dt: 0.01, beta: 2, sigma: 0.8, bias: 0.3, noise: "independent" },
    { n: 3, m: 4, dt: 0.02, beta: 1, bias: 0.7 },
    { n: 3, m: 2, dt: 0.01, beta: 1, sigma: 1, z0: 0.3 },
    { n: 5, m: 3, dt: 0.01, sigma: 1.2 },
  ];
  for (const c of cases) {
    const worst = sameIncrements(c, 400);
    // Identical arithmetic up to the order of additions and √dt·σ vs σ·√dt: a few ulps per step, and
    // the synchronising dynamics do not amplify them.
    assert.ok(worst < 1e-11, `${JSON.stringify(c)}: max |x − y| = ${worst}`);
  }
});

test("tokenDynamicsRun's pair inner product has notebook 14's Itô law: E Z_T against Euler–Maruyama on dZ = (1 − Z²)(2w − σ²Z)dt + √2σ(1 − Z²)dW", () => {
  // Notebook 14 derives, for two tokens with attention β and common quadratic noise σ (no bias), the
  // Itô diffusion above with w(z) = 1/(1 + e^{β(1−z)}); −σ²Z(1 − Z²) is the Stratonovich (Heun)
  // reading's Itô correction, so a stepper that loses its corrector misses this mean.
  const beta = 1,
    sigma = 1,
    z0 = 0.3,
    T = 0.5,
    dt = 0.005,
    runs = 4000;
  const w = (z: number): number => 1 / (1 + Math.exp(beta * (1 - z)));
  const zSde: SdeSystem = {
    dim: 1,
    noiseDim: 1,
    drift: (x, o) => {
      o[0] = (1 - x[0] * x[0]) * (2 * w(x[0]) - sigma * sigma * x[0]);
    },
    diffusion: (x, o) => {
      o[0] = Math.SQRT2 * sigma * (1 - x[0] * x[0]);
    },
  };
  const steps = Math.round(T / dt);
  const em = new SdeIntegrator(zSde, "euler-maruyama"),
    dW = new Float64Array(steps),
    zs = new Stream("test/attention-z-law", 1);
  let a = 0,
    a2 = 0,
    b = 0,
    b2 = 0;
  for (let r = 0; r < runs; r++) {
    const z = tokenDynamicsRun({ n: 3, m: 2, dt, T, beta, sigma, z0, seed: "test/attention-z-law", index: r }).z;
    a += z;
    a2 += z * z;
    zs.fillNormal(dW);
    for (let k = 0; k < steps; k++) dW[k] *= Math.sqrt(dt);
    const v = em.solve(Float64Array.of(z0), dt, dW)[0];
    b += v;
    b2 += v * v;
  }
  const ma = a / runs,
    mb = b / runs;
  const se = Math.sqrt((a2 / runs - ma * ma + (b2 / runs - mb * mb)) / (runs - 1));
  // both schemes are weak order 1: at dt = 0.005 their biases are ~1e-3, a tenth of se
  const z = normalQuantile(1 - 1e-4 / 2);
  assert.ok(Math.abs(ma - mb) < z * se, `tokens ${ma} vs Itô EM ${mb} ± ${se}`);
});
