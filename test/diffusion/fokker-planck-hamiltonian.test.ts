import { test } from "node:test";
import assert from "node:assert/strict";
import {
  FokkerPlanckHamiltonian,
  rbmModePotential,
  gridConvergedRelaxation,
  gridConvergedExpectation,
} from "../../lib/diffusion/fokker-planck-hamiltonian";

const ou = (a: number, g2: number, points: number) => {
  const L = 10 * Math.sqrt(g2 / a);
  return new FokkerPlanckHamiltonian({ potential: (x) => (a * x * x) / 2, g2, lower: -L, upper: L, points });
};

test("Ornstein–Uhlenbeck V = ax²/2: E₀ = 0 to rounding with ψ₀ = √P_s, E_n = n·a/2, converging as h²", () => {
  const a = 1.7,
    g2 = 0.3;
  const coarse = ou(a, g2, 400),
    fine = ou(a, g2, 800);
  const ec = coarse.levels(4),
    ef = fine.levels(4);
  assert.ok(Math.abs(ef[0]) < 1e-10, `E₀ = ${ef[0]}`);
  for (let n = 1; n < 4; n++) {
    const errC = ec[n] - (n * a) / 2,
      errF = ef[n] - (n * a) / 2;
    assert.ok(Math.abs(errF) < 1e-3 * n, `E_${n} = ${ef[n]}`);
    // second order: halving h divides the error by 4 (between 3.5 and 4.5)
    assert.ok(errC / errF > 3.5 && errC / errF < 4.5, `ratio ${errC / errF} at n = ${n}`);
  }
  // the ground state is √P_s, normalised: ψ₀² = P_s
  const psi = fine.state(0),
    p = fine.stationaryDensity();
  assert.ok(Math.max(...psi.map((v, i) => Math.abs(v * v - p[i]))) < 1e-9 * Math.max(...p));
  // the relaxation rates are 2E_n: the OU mean decays at rate a, E x_τ = x0 e^{−aτ}
  assert.ok(Math.abs(fine.relaxationRates(2)[1] - a) < 2e-3);
  const x0 = 0.5,
    times = [0.2, 1, 2];
  const m = fine.relaxation((x) => x, x0, times);
  // x0 = 0.5 lies between nodes: φ_n = ψ_n/ψ₀ interpolated, so the start is x0 itself, not its nearest node
  assert.ok(Math.abs((x0 - fine.x[0]) / fine.h - Math.round((x0 - fine.x[0]) / fine.h)) > 0.1);
  times.forEach((t, k) =>
    assert.ok(Math.abs(m[k] - x0 * Math.exp(-a * t)) < 2e-4 * x0, `E x at ${t}: ${m[k]} vs ${x0 * Math.exp(-a * t)}`),
  );
  // and the wrong alternative (rates E_n) gives e^{−aτ/2}
  const alt = fine.relaxation((x) => x, x0, [1], { rate: (e) => e });
  assert.ok(Math.abs(alt[0] - x0 * Math.exp(-a / 2)) < 2e-4 * x0);
});

test("a flat potential between reflecting walls: E_n = (g²/2)(nπ/ℓ)² (Neumann), and ψ₁ is the cosine mode", () => {
  const g2 = 0.4,
    l = 2,
    H = new FokkerPlanckHamiltonian({ potential: () => 0, g2, lower: 0, upper: l, points: 1000 });
  const e = H.levels(4);
  for (let n = 1; n < 4; n++)
    assert.ok(Math.abs(e[n] - (g2 / 2) * ((n * Math.PI) / l) ** 2) < 1e-5 * n * n, `E_${n} = ${e[n]}`);
  const psi = H.state(1);
  const cos = H.x.map((x) => Math.cos((Math.PI * x) / l) * Math.sqrt(2 / l));
  const sign = Math.sign(psi[0] * cos[0]);
  assert.ok(Math.max(...psi.map((v, i) => Math.abs(v - sign * cos[i]))) < 1e-5);
});

test("the RBM mode: V′ = −K; as g² → 0 the levels approach K′(0)/2 (the well at the unstable point, half of it behind the wall) as √g², and |K′(x*)|/2 (a full well) as g²", () => {
  const kappa = 0.5,
    mu2 = 1,
    { potential, drift } = rbmModePotential(kappa, mu2);
  for (const x of [0.1, 0.4, 0.8]) {
    const dv = (potential(x + 1e-6) - potential(x - 1e-6)) / 2e-6;
    assert.ok(Math.abs(dv + drift(x)) < 1e-7, `V′ + K at ${x}`);
  }
  const b = 1 / kappa - 1 / mu2,
    c = (mu2 - kappa) / kappa ** 2; // 1 and 2
  const levels = (g2: number) =>
    new FokkerPlanckHamiltonian({ potential, g2, lower: 0, upper: mu2 - 1e-9, points: 10000 }).levels(3);
  const e3 = levels(1e-3),
    e4 = levels(1e-4);
  // the half-well's cubic term shifts E₁ at first order in the well width √(g²/b): ratio √10 per decade
  const r1 = (b / 2 - e3[1]) / (b / 2 - e4[1]);
  assert.ok(r1 > 2.8 && r1 < 3.8, `E₁ deviation ratio ${r1}`);
  // a full well's first-order cubic shift vanishes: E₂'s deviation falls by 10 per decade
  const r2 = (c / 2 - e3[2]) / (c / 2 - e4[2]);
  assert.ok(r2 > 8 && r2 < 12.5, `E₂ deviation ratio ${r2}`);
  // the factor-2 drift with twice the noise doubles every level exactly (H → 2H)
  const two = rbmModePotential(kappa, mu2, 2);
  const e2 = new FokkerPlanckHamiltonian({
    potential: two.potential,
    g2: 2e-3,
    lower: 0,
    upper: mu2 - 1e-9,
    points: 10000,
  }).levels(3);
  [1, 2].forEach((n) =>
    assert.ok(Math.abs(e2[n] - 2 * e3[n]) < 1e-9 * e3[n], `factor 2 at n = ${n}: ${e2[n]} vs ${2 * e3[n]}`),
  );
});

test("the RBM mode of notebook 15 (κ = 0.5, μ² = 1, g² = 0.01 and 0.001): E₀ = 0 to the bisection's accuracy with ψ₀² = P_s (detailed balance, built in), and E₁, E₂ converge as h²", () => {
  const { potential } = rbmModePotential(0.5, 1);
  for (const g2 of [0.01, 0.001]) {
    const grid = (points: number) => new FokkerPlanckHamiltonian({ potential, g2, lower: 0, upper: 1 - 1e-9, points });
    const [h1, h2, h4] = [grid(2000), grid(4000), grid(8000)];
    // E₀: zero to the bisection's accuracy at the scale of the matrix's coupling, g²/(2h²)
    const { levels, states } = h4.states(1);
    assert.ok(Math.abs(levels[0]) <= (16 * Number.EPSILON * g2) / (2 * h4.h ** 2), `E₀ = ${levels[0]} at g² = ${g2}`);
    const ps = h4.stationaryDensity(),
      top = Math.max(...ps);
    assert.ok(Math.max(...states[0].map((v, i) => Math.abs(v * v - ps[i]))) < 1e-9 * top, `ψ₀² − P_s at g² = ${g2}`);
    // second order: the differences between successive halvings shrink by 4 (between 3.5 and 4.5)
    const [e1, e2, e4] = [h1.levels(3), h2.levels(3), h4.levels(3)];
    for (const n of [1, 2]) {
      const ratio = (e1[n] - e2[n]) / (e2[n] - e4[n]);
      assert.ok(ratio > 3.5 && ratio < 4.5, `E_${n} at g² = ${g2}: difference ratio ${ratio}`);
    }
  }
});

test("expectation and gridConvergedExpectation: a linear potential between walls (P_s ∝ e^{−ax/g²}, not small at the walls, so the midpoint rule errs at O(h²)), within the estimated error", () => {
  const a = 1,
    g2 = 0.5,
    l = 2,
    lam = a / g2;
  const grid = (points: number) =>
    new FokkerPlanckHamiltonian({ potential: (x) => a * x, g2, lower: 0, upper: l, points });
  const [coarse, fine] = [grid(200), grid(400)];
  const exact = 1 / lam - l / Math.expm1(lam * l); // E x under λe^{−λx} on [0, ℓ]
  const v = gridConvergedExpectation(fine, coarse, (x) => x);
  assert.equal(
    v.value,
    fine.expectation((x) => x),
  );
  // the estimate is the leading error: it bounds the actual error within a factor 2, and is not 100 times too large
  assert.ok(
    Math.abs(v.value - exact) <= 2 * v.systematic && v.systematic < 100 * Math.abs(v.value - exact),
    `E x = ${v.value} vs ${exact} (± ${v.systematic})`,
  );
  assert.throws(() => gridConvergedExpectation(coarse, fine, (x) => x), /coarse grid's step/);
});

test("gridConvergedRelaxation: the Ornstein–Uhlenbeck mean E x_τ = x₀e^{−aτ} from a start between nodes, within the estimated numerical error (and not far above it)", () => {
  const a = 1.3,
    g2 = 0.2;
  const [coarse, fine] = [ou(a, g2, 300), ou(a, g2, 600)];
  const x0 = fine.x[Math.round(fine.x.length * 0.6)],
    times = [0.3, 1];
  const r = gridConvergedRelaxation(fine, coarse, (x) => x, x0, times);
  assert.deepEqual(
    r.value,
    fine.relaxation((x) => x, x0, times),
  );
  times.forEach((t, k) => {
    const exact = x0 * Math.exp(-a * t);
    assert.ok(
      Math.abs(r.value[k] - exact) <= 2 * r.systematic[k] && r.systematic[k] < 10 * Math.abs(r.value[k] - exact),
      `τ = ${t}: ${r.value[k]} vs ${exact} (± ${r.systematic[k]})`,
    );
  });
  assert.throws(() => gridConvergedRelaxation(fine, fine, (x) => x, 0, [1]), /coarse grid's step/);
});

test("bad input: g² ≤ 0, a potential not finite inside, a grid too coarse, bad κ or μ²", () => {
  assert.throws(() => new FokkerPlanckHamiltonian({ potential: (x) => x * x, g2: 0, lower: -1, upper: 1 }), /g2/);
  assert.throws(() => new FokkerPlanckHamiltonian({ potential: (x) => x * x, g2: 1, lower: 1, upper: 1 }), /interval/);
  const { potential } = rbmModePotential(0.5, 1);
  assert.throws(() => new FokkerPlanckHamiltonian({ potential, g2: 0.01, lower: 0, upper: 1.5 }), /finite inside/);
  assert.throws(
    () =>
      new FokkerPlanckHamiltonian({ potential: (x) => (50 * x * x) / 2, g2: 1e-3, lower: -1, upper: 1, points: 50 }),
    /grid too coarse.*at least \d+ points/,
  );
  assert.throws(() => rbmModePotential(0, 1), /kappa/);
  assert.throws(() => rbmModePotential(0.5, -1), /mu2/);
});
