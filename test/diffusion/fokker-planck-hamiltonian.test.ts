import { test } from "node:test";
import assert from "node:assert/strict";
import { FokkerPlanckHamiltonian, rbmModePotential } from "../../lib/diffusion/fokker-planck-hamiltonian";

const ou = (a: number, g2: number, points: number) => {
  const L = 10 * Math.sqrt(g2 / a);
  return new FokkerPlanckHamiltonian({ potential: (x) => (a * x * x) / 2, g2, lower: -L, upper: L, points });
};

test("Ornstein–Uhlenbeck V = ax²/2: E₀ = 0 to rounding with ψ₀ = √P_s, E_n = n·a/2, converging as h²", () => {
  const a = 1.7, g2 = 0.3;
  const coarse = ou(a, g2, 400), fine = ou(a, g2, 800);
  const ec = coarse.levels(4), ef = fine.levels(4);
  assert.ok(Math.abs(ef[0]) < 1e-10, `E₀ = ${ef[0]}`);
  for (let n = 1; n < 4; n++) {
    const errC = ec[n] - (n * a) / 2, errF = ef[n] - (n * a) / 2;
    assert.ok(Math.abs(errF) < 1e-3 * n, `E_${n} = ${ef[n]}`);
    // second order: halving h divides the error by 4 (between 3.5 and 4.5)
    assert.ok(errC / errF > 3.5 && errC / errF < 4.5, `ratio ${errC / errF} at n = ${n}`);
  }
  // the ground state is √P_s, normalised: ψ₀² = P_s
  const psi = fine.state(0), p = fine.stationaryDensity();
  assert.ok(Math.max(...psi.map((v, i) => Math.abs(v * v - p[i]))) < 1e-9 * Math.max(...p));
  // the relaxation rates are 2E_n: the OU mean decays at rate a, E x_τ = x0 e^{−aτ}
  assert.ok(Math.abs(fine.relaxationRates(2)[1] - a) < 2e-3);
  const x0 = 0.5, times = [0.2, 1, 2];
  const m = fine.relaxation((x) => x, x0, times);
  const node = fine.x[Math.floor((x0 - fine.x[0] + fine.h / 2) / fine.h)];
  times.forEach((t, k) => assert.ok(Math.abs(m[k] - node * Math.exp(-a * t)) < 2e-3 * node, `E x at ${t}: ${m[k]} vs ${node * Math.exp(-a * t)}`));
  // and the wrong alternative (rates E_n) gives e^{−aτ/2}
  const alt = fine.relaxation((x) => x, x0, [1], { rate: (e) => e });
  assert.ok(Math.abs(alt[0] - node * Math.exp(-a / 2)) < 2e-3 * node);
});

test("a flat potential between reflecting walls: E_n = (g²/2)(nπ/ℓ)² (Neumann), and ψ₁ is the cosine mode", () => {
  const g2 = 0.4, l = 2, H = new FokkerPlanckHamiltonian({ potential: () => 0, g2, lower: 0, upper: l, points: 1000 });
  const e = H.levels(4);
  for (let n = 1; n < 4; n++) assert.ok(Math.abs(e[n] - (g2 / 2) * ((n * Math.PI) / l) ** 2) < 1e-5 * n * n, `E_${n} = ${e[n]}`);
  const psi = H.state(1);
  const cos = H.x.map((x) => Math.cos((Math.PI * x) / l) * Math.sqrt(2 / l));
  const sign = Math.sign(psi[0] * cos[0]);
  assert.ok(Math.max(...psi.map((v, i) => Math.abs(v - sign * cos[i]))) < 1e-5);
});

test("the RBM mode: V′ = −K; as g² → 0 the levels approach K′(0)/2 (the well at the unstable point, half of it behind the wall) as √g², and |K′(x*)|/2 (a full well) as g²", () => {
  const kappa = 0.5, mu2 = 1, { potential, drift } = rbmModePotential(kappa, mu2);
  for (const x of [0.1, 0.4, 0.8]) {
    const dv = (potential(x + 1e-6) - potential(x - 1e-6)) / 2e-6;
    assert.ok(Math.abs(dv + drift(x)) < 1e-7, `V′ + K at ${x}`);
  }
  const b = 1 / kappa - 1 / mu2, c = (mu2 - kappa) / kappa ** 2; // 1 and 2
  const levels = (g2: number) => new FokkerPlanckHamiltonian({ potential, g2, lower: 0, upper: mu2 - 1e-9, points: 10000 }).levels(3);
  const e3 = levels(1e-3), e4 = levels(1e-4);
  // the half-well's cubic term shifts E₁ at first order in the well width √(g²/b): ratio √10 per decade
  const r1 = (b / 2 - e3[1]) / (b / 2 - e4[1]);
  assert.ok(r1 > 2.8 && r1 < 3.8, `E₁ deviation ratio ${r1}`);
  // a full well's first-order cubic shift vanishes: E₂'s deviation falls by 10 per decade
  const r2 = (c / 2 - e3[2]) / (c / 2 - e4[2]);
  assert.ok(r2 > 8 && r2 < 12.5, `E₂ deviation ratio ${r2}`);
  // the factor-2 drift with twice the noise doubles every level exactly (H → 2H)
  const two = rbmModePotential(kappa, mu2, 2);
  const e2 = new FokkerPlanckHamiltonian({ potential: two.potential, g2: 2e-3, lower: 0, upper: mu2 - 1e-9, points: 10000 }).levels(3);
  [1, 2].forEach((n) => assert.ok(Math.abs(e2[n] - 2 * e3[n]) < 1e-9 * e3[n], `factor 2 at n = ${n}: ${e2[n]} vs ${2 * e3[n]}`));
});

test("bad input: g² ≤ 0, a potential not finite inside, a grid too coarse, bad κ or μ²", () => {
  assert.throws(() => new FokkerPlanckHamiltonian({ potential: (x) => x * x, g2: 0, lower: -1, upper: 1 }), /g2/);
  assert.throws(() => new FokkerPlanckHamiltonian({ potential: (x) => x * x, g2: 1, lower: 1, upper: 1 }), /interval/);
  const { potential } = rbmModePotential(0.5, 1);
  assert.throws(() => new FokkerPlanckHamiltonian({ potential, g2: 0.01, lower: 0, upper: 1.5 }), /finite inside/);
  assert.throws(() => new FokkerPlanckHamiltonian({ potential: (x) => (50 * x * x) / 2, g2: 1e-3, lower: -1, upper: 1, points: 50 }), /grid too coarse.*at least \d+ points/);
  assert.throws(() => rbmModePotential(0, 1), /kappa/);
  assert.throws(() => rbmModePotential(0.5, -1), /mu2/);
});
