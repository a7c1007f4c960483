import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CoulombGas,
  DysonEigenvalueSde,
  DysonMatrixOu,
  TwoLevelDensity,
  WignerSurmise,
  quadraticPotential,
  sgdAsDyson,
  dysonMatrixSde,
  eulerOuVariance,
  matrixOuPairSpacings,
  surmiseWidth,
} from "../../lib/rmt";
import { SdeIntegrator } from "../../lib/sde";
import { lyapunovSpectrum, sdeTangent } from "../../lib/lyapunov";
import { Stream } from "../../lib/random";
import { ksOneSample, ksTwoSample, normalCdf } from "../../lib/stats";

// Two levels in V = Ω(x − κ)²/2 at noise g²: the Coulomb gas is the two-level density with σ² = g²/Ω.
const omega = 2,
  kappa = 1,
  g2 = 0.08,
  sigma = Math.sqrt(g2 / omega);
const law = new TwoLevelDensity(kappa, sigma);
const oneLevel = (s: Stream, x: ArrayLike<number>) => x[s.uniform() < 0.5 ? 0 : 1];

test("Metropolis Coulomb gas (n = 2, quadratic V) samples the two-level density", () => {
  const gas = new CoulombGas(2, quadraticPotential(omega, kappa), g2).setState([0.9, 1.1]);
  const s = new Stream(31, 0),
    out = new Float64Array(3000);
  gas.sweep(s, 200);
  for (let i = 0; i < out.length; i++) out[i] = oneLevel(s, gas.sweep(s, 20).x); // 20 sweeps apart: nearly independent
  assert.ok(ksOneSample(out, (x) => law.cdf(x)).pValue > 1e-3);
  assert.ok(gas.acceptanceRate > 0.2 && gas.acceptanceRate < 0.9);
  assert.ok(
    ksOneSample(out, (x) => new TwoLevelDensity(kappa, 1.2 * sigma).cdf(x)).pValue < 1e-3,
    "a 20% wider law is rejected",
  );
});

test("matrix OU (exact transition) and Dyson's eigenvalue SDE (small dt) reach the same two-level law; doubled repulsion is rejected", () => {
  const R = 3000,
    s = new Stream(32, 0);
  const fromMatrix = new Float64Array(R),
    fromSde = new Float64Array(R),
    doubled = new Float64Array(R);
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
  const dt = 0.4,
    m = new DysonMatrixOu(Float64Array.of(0), 1, omega, g2, "euler-maruyama"),
    s = new Stream(33, 0);
  let acc = 0;
  const n = 200000;
  m.run(s, dt, 100);
  for (let i = 0; i < n; i++) acc += m.run(s, dt).x[0] ** 2;
  const v = acc / n,
    exact = g2 / (omega * (1 - (omega * dt) / 2));
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
  const n = 4,
    omega = 0.7,
    g2 = 0.3,
    dt = 0.05,
    m = (n * (n + 1)) / 2;
  const c = Float64Array.from({ length: n * n }, (_, k) => {
    const i = Math.floor(k / n),
      j = k % n;
    return i === j ? i + 1 : 0.1 * Math.min(i, j);
  });
  const ou = new DysonMatrixOu(c, n, omega, g2, "euler-maruyama");
  const sys = dysonMatrixSde(c, n, omega, g2),
    integ = new SdeIntegrator(sys, "euler-maruyama");
  const y = new Float64Array(m),
    dW = new Float64Array(m);
  for (let i = 0, p = 0; i < n; i++) for (let j = i; j < n; j++, p++) y[p] = c[i * n + j];
  const s = new Stream(50, 0),
    copy = new Stream(50, 0);
  let worst = 0;
  for (let k = 0; k < 500; k++) {
    ou.run(s, dt);
    for (let p = 0; p < m; p++) dW[p] = Math.sqrt(dt) * copy.normal();
    integ.step(y, dt, dW, 0);
    for (let i = 0, p = 0; i < n; i++)
      for (let j = i; j < n; j++, p++) worst = Math.max(worst, Math.abs(ou.x[i * n + j] - y[p]));
  }
  assert.ok(worst < 1e-12, `max deviation ${worst}`);
  assert.throws(() => new DysonMatrixOu(c, n, omega, g2, "euler" as never), /scheme/);
  // additive noise and linear drift: the variational equation is dV = −Ω V dt, so every exponent of the EM scheme is log(1 − Ωdt)/dt
  const e = lyapunovSpectrum(sdeTangent(sys, { x0: y, dt, scheme: "euler-maruyama" }), {
    T: 10,
    stream: new Stream(51),
  });
  for (const v of e.exponents) assert.ok(Math.abs(v - Math.log(1 - omega * dt) / dt) < 1e-12);
});

test('DysonMatrixOu offDiagonal "equal": off-diagonal entries get the diagonal\'s stationary variance g²/Ω (GOE: half of it); a bad option is refused', () => {
  const n = 3,
    s = new Stream(34, 0),
    reps = 6000;
  const varOf = (offDiagonal: "goe" | "equal") => {
    let d = 0,
      o = 0;
    for (let r = 0; r < reps; r++) {
      const x = new DysonMatrixOu(new Float64Array(n * n), n, omega, g2, "exact", { offDiagonal }).run(s, 10).x;
      d += x[0] ** 2;
      o += x[1] ** 2;
    }
    return { d: d / reps, o: o / reps };
  };
  const v = g2 / omega,
    se = v * Math.sqrt(2 / reps); // the variance of a squared normal is 2v²
  const goe = varOf("goe"),
    equal = varOf("equal");
  assert.ok(Math.abs(goe.d - v) < 4 * se && Math.abs(goe.o - v / 2) < (4 * se) / 2, `goe ${goe.d}, ${goe.o}`);
  assert.ok(Math.abs(equal.d - v) < 4 * se && Math.abs(equal.o - v) < 4 * se, `equal ${equal.d}, ${equal.o}`);
  assert.throws(
    () => new DysonMatrixOu(new Float64Array(4), 2, omega, g2, "exact", { offDiagonal: "half" as "goe" }),
    /offDiagonal/,
  );
});

test("repulsion 0: Dyson's eigenvalue SDE and the Coulomb gas (β = 0) hold independent levels, each N(κ, g²/Ω); the spacing is half-normal, not the surmise", () => {
  const V = quadraticPotential(omega, kappa),
    s = new Stream(35, 0),
    reps = 3000;
  const sde = new DysonEigenvalueSde(2, V, g2, 0),
    gas = new CoulombGas(2, V, g2, 0).setState([0.9, 1.1]);
  const level: number[] = [],
    gap: number[] = [],
    gasLevel: number[] = [];
  gas.sweep(s, 100);
  for (let r = 0; r < reps; r++) {
    const x = sde.run(Float64Array.of(kappa - 0.05, kappa + 0.05), s, 0.005, 1000);
    assert.ok(x[1] >= x[0]);
    level.push(oneLevel(s, x));
    gap.push(x[1] - x[0]);
    gasLevel.push(oneLevel(s, gas.sweep(s, 10).x));
  }
  const gauss = (x: number) => normalCdf((x - kappa) / sigma),
    halfNormal = (x: number) => 2 * normalCdf(x / (Math.SQRT2 * sigma)) - 1;
  assert.ok(ksOneSample(level, gauss).pValue > 1e-3);
  assert.ok(ksOneSample(gasLevel, gauss).pValue > 1e-3);
  assert.ok(ksOneSample(gap, halfNormal).pValue > 1e-3);
  assert.ok(ksOneSample(gap, (x) => WignerSurmise.ofWidth(sigma).cdf(x)).pValue < 1e-6);
  assert.throws(() => new DysonEigenvalueSde(2, V, g2, -1), /repulsion/);
  assert.throws(() => new CoulombGas(2, V, g2, -1), /β/);
});

test("eulerOuVariance is the scalar Euler recursion's stationary variance; matrixOuPairSpacings is the loop of DysonMatrixOu runs it names, and surmiseWidth turns ⟨S⟩ into σ² = ⟨S⟩²/π", () => {
  const dt = 0.4;
  assert.ok(Math.abs(eulerOuVariance(omega, g2, dt) - g2 / (omega * (1 - (omega * dt) / 2))) < 1e-15);
  assert.ok(Math.abs(eulerOuVariance(omega, g2, 1e-9) - g2 / omega) < 1e-9);
  assert.throws(() => eulerOuVariance(omega, g2, 1), /Ω·dt must be < 2/);
  const o = { kappa: 1, omega: omega, g2: g2, dt: 0.1, steps: 50, replicates: 3000, seed: "test/matrix-ou-pairs" };
  const sp = matrixOuPairSpacings(o);
  const first = new DysonMatrixOu(Float64Array.of(1, 0, 0, 1), 2, omega, g2, "euler-maruyama")
    .run(new Stream(o.seed, 0), o.dt, o.steps)
    .eigenvalues();
  assert.equal(sp[0], first[1] - first[0]);
  const w = surmiseWidth(sp),
    exact = eulerOuVariance(omega, g2, o.dt);
  assert.ok(Math.abs(w.value - exact) < 4 * w.se, `${w.value} ± ${w.se} vs ${exact}`);
  assert.ok(Math.abs(w.value - g2 / omega) > 4 * w.se, "the SDE's g²/Ω is rejected at Ωdt = 0.2");
  assert.throws(() => matrixOuPairSpacings({ ...o, steps: 0 }), /steps/);
});
