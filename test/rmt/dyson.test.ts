import { test } from "node:test";
import assert from "node:assert/strict";
import { CoulombGas, DysonEigenvalueSde, DysonMatrixOu, TwoLevelDensity, quadraticPotential, sgdAsDyson, dysonMatrixSde } from "../../lib/rmt";
import { SdeIntegrator } from "../../lib/sde";
import { lyapunovSpectrum, sdeTangent } from "../../lib/lyapunov";
import { Stream } from "../../lib/random";
import { ksOneSample, ksTwoSample } from "../../lib/stats";

// Two levels in V = Ω(x − κ)²/2 at noise g²: the Coulomb gas is the two-level density with σ² = g²/Ω.
const omega = 2, kappa = 1, g2 = 0.08, sigma = Math.sqrt(g2 / omega);
const law = new TwoLevelDensity(kappa, sigma);
const oneLevel = (s: Stream, x: ArrayLike<number>) => x[s.uniform() < 0.5 ? 0 : 1];

test("Metropolis Coulomb gas (n = 2, quadratic V) samples the two-level density", () => {
  const gas = new CoulombGas(2, quadraticPotential(omega, kappa), g2).setState([0.9, 1.1]);
  const s = new Stream(31, 0), out = new Float64Array(3000);
  gas.sweep(s, 200);
  for (let i = 0; i < out.length; i++) out[i] = oneLevel(s, gas.sweep(s, 20).x); // 20 sweeps apart: nearly independent
  assert.ok(ksOneSample(out, (x) => law.cdf(x)).pValue > 1e-3);
  assert.ok(gas.acceptanceRate > 0.2 && gas.acceptanceRate < 0.9);
  assert.ok(ksOneSample(out, (x) => new TwoLevelDensity(kappa, 1.2 * sigma).cdf(x)).pValue < 1e-3, "a 20% wider law is rejected");
});

test("matrix OU (exact transition) and Dyson's eigenvalue SDE (small dt) reach the same two-level law; doubled repulsion is rejected", () => {
  const R = 3000, s = new Stream(32, 0);
  const fromMatrix = new Float64Array(R), fromSde = new Float64Array(R), doubled = new Float64Array(R);
  const target = Float64Array.of(kappa, 0, 0, kappa);
  for (let r = 0; r < R; r++) {
    const m = new DysonMatrixOu(target, 2, omega, g2).run(s, 5); // 10 relaxation times in one exact step
    fromMatrix[r] = oneLevel(s, m.eigenvalues());
  }
  const sde = new DysonEigenvalueSde(2, quadraticPotential(omega, kappa), g2);
  const sde2 = new DysonEigenvalueSde(2, quadraticPotential(omega, kappa), g2, 2);
  for (let r = 0; r < R; r++) {
    fromSde[r] = oneLevel(s, sde.run(Float64Array.of(0.9, 1.1), s, 0.01, 500));
    doubled[r] = oneLevel(s, sde2.run(Float64Array.of(0.9, 1.1), s, 0.01, 500));
  }
  assert.ok(ksOneSample(fromMatrix, (x) => law.cdf(x)).pValue > 1e-3);
  assert.ok(ksTwoSample(fromMatrix, fromSde).pValue > 1e-3);
  assert.ok(ksTwoSample(fromMatrix, doubled).pValue < 1e-3);
});

test("Euler matrix update: the stationary variance is g²/(Ω(1 − Ωdt/2)), not g²/Ω", () => {
  const dt = 0.4, m = new DysonMatrixOu(Float64Array.of(0), 1, omega, g2, "euler-maruyama"), s = new Stream(33, 0);
  let acc = 0;
  const n = 200000;
  m.run(s, dt, 100);
  for (let i = 0; i < n; i++) acc += m.run(s, dt).x[0] ** 2;
  const v = acc / n, exact = g2 / (omega * (1 - (omega * dt) / 2));
  // AR(1) with coefficient 0.2: the variance estimate has relative SE ≈ √(2(1+ρ²)/((1−ρ²)n)).
  const se = exact * Math.sqrt((2 * (1 + 0.04)) / (0.96 * n));
  assert.ok(Math.abs(v - exact) < 4 * se);
  assert.ok(Math.abs(v - g2 / omega) > 4 * se);
});

test("sgdAsDyson maps (α, |B|, g̃²) to dt = α, g² = αg̃²/|B| and refuses bad input", () => {
  assert.deepEqual(sgdAsDyson(0.1, 4, 2), { dt: 0.1, g2: 0.05 });
  assert.throws(() => sgdAsDyson(0, 4, 1), /learning rate α must be a finite number > 0/);
  assert.throws(() => sgdAsDyson(-0.1, 4, 1), /learning rate α/);
  assert.throws(() => sgdAsDyson(0.1, 0, 1), /batch size \|B\| must be an integer >= 1/);
  assert.throws(() => sgdAsDyson(0.1, 2.5, 1), /batch size/);
  assert.throws(() => new DysonMatrixOu(Float64Array.of(1, 2, 3, 1), 2, 1, 1), /not symmetric/);
});

test("DysonMatrixOu's Euler–Maruyama step is the generic integrator on dysonMatrixSde (same normals); its spectrum is −Ω, n(n+1)/2 times", () => {
  const n = 4, omega = 0.7, g2 = 0.3, dt = 0.05, m = (n * (n + 1)) / 2;
  const c = Float64Array.from({ length: n * n }, (_, k) => { const i = Math.floor(k / n), j = k % n; return i === j ? i + 1 : 0.1 * Math.min(i, j); });
  const ou = new DysonMatrixOu(c, n, omega, g2, "euler-maruyama");
  const sys = dysonMatrixSde(c, n, omega, g2), integ = new SdeIntegrator(sys, "euler-maruyama");
  const y = new Float64Array(m), dW = new Float64Array(m);
  for (let i = 0, p = 0; i < n; i++) for (let j = i; j < n; j++, p++) y[p] = c[i * n + j];
  const s = new Stream(50, 0), copy = new Stream(50, 0);
  let worst = 0;
  for (let k = 0; k < 500; k++) {
    ou.run(s, dt);
    for (let p = 0; p < m; p++) dW[p] = Math.sqrt(dt) * copy.normal();
    integ.step(y, dt, dW, 0);
    for (let i = 0, p = 0; i < n; i++) for (let j = i; j < n; j++, p++) worst = Math.max(worst, Math.abs(ou.x[i * n + j] - y[p]));
  }
  assert.ok(worst < 1e-12, `max deviation ${worst}`);
  assert.throws(() => new DysonMatrixOu(c, n, omega, g2, "euler" as never), /scheme/);
  // additive noise and linear drift: the variational equation is dV = −Ω V dt, so every exponent of the EM scheme is log(1 − Ωdt)/dt
  const e = lyapunovSpectrum(sdeTangent(sys, { x0: y, dt, scheme: "euler-maruyama" }), { T: 10, stream: new Stream(51) });
  for (const v of e.exponents) assert.ok(Math.abs(v - Math.log(1 - omega * dt) / dt) < 1e-12);
});
