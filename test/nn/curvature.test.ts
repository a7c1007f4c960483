import { test } from "node:test";
import assert from "node:assert/strict";
import { lanczosTop, hutchinsonTrace, mlpObjective, type Hvp } from "../../lib/nn";
import { TanhMlp, hessian } from "../../lib/models";
import { SymmetricEigen, orthonormalizeColumns } from "../../lib/linalg";
import { Stream } from "../../lib/random";

/** H = U diag(λ) Uᵀ with a Haar-random U: a matrix with a known spectrum. */
function knownSpectrum(lambda: number[], seed: string): { H: Float64Array; hvp: Hvp } {
  const D = lambda.length;
  const U = orthonormalizeColumns(Stream.named(3, seed).fillNormal(new Float64Array(D * D)), D, D);
  const H = new Float64Array(D * D);
  for (let i = 0; i < D; i++)
    for (let j = 0; j < D; j++) {
      let s = 0;
      for (let k = 0; k < D; k++) s += U[i * D + k] * lambda[k] * U[j * D + k];
      H[i * D + j] = s;
    }
  return {
    H,
    hvp: (v, out) => {
      for (let i = 0; i < D; i++) {
        let s = 0;
        for (let j = 0; j < D; j++) s += H[i * D + j] * v[j];
        out[i] = s;
      }
    },
  };
}

test("Lanczos: the top eigenvalues of a matrix with a known spectrum, each within its reported residual", () => {
  const lambda = Array.from({ length: 50 }, (_, i) => (i < 3 ? 20 - 3 * i : Math.sin(i) * 2));
  const { hvp } = knownSpectrum(lambda, "test/nn/lanczos");
  const r = lanczosTop(hvp, 50, { k: 3, steps: 40, stream: Stream.named(3, "test/nn/lanczos-start") });
  [20, 17, 14].forEach((v, j) => {
    assert.ok(
      Math.abs(r.eigenvalues[j] - v) <= Math.max(r.residuals[j], 1e-12),
      `λ${j + 1} = ${r.eigenvalues[j]} vs ${v} (residual ${r.residuals[j]})`,
    );
    assert.ok(r.residuals[j] < 1e-8, "converged well before 50 steps: the top three are separated");
  });
  // a wrong value (the fourth eigenvalue, 2 sin 3 ≈ 0.28, or the trace/D) is not what it finds
  assert.ok(Math.abs(r.eigenvalues[0] - lambda.reduce((a, b) => a + b, 0) / 50) > 10);
});

test("Lanczos sharpness of the D = 51 tanh network agrees with the full Hessian's top eigenvalue within its residual", () => {
  const net = TanhMlp.teacherStudent(Stream.named(1, "tanh-teacher-network"), { inputs: 8, hidden: 5, samples: 12 });
  const x = Stream.named(8, "test/nn/point")
    .fillNormal(new Float64Array(net.dim))
    .map((v) => 0.5 * v);
  const H = hessian(net, x);
  const top = new SymmetricEigen(net.dim).values(H)[net.dim - 1];
  const hvp: Hvp = (v, out) => {
    for (let i = 0; i < net.dim; i++) {
      let s = 0;
      for (let j = 0; j < net.dim; j++) s += H[i * net.dim + j] * v[j];
      out[i] = s;
    }
  };
  const r = lanczosTop(hvp, net.dim, { steps: 30, stream: Stream.named(4, "test/nn/sharpness") });
  assert.ok(
    Math.abs(r.eigenvalues[0] - top) <= Math.max(r.residuals[0], 1e-10 * Math.abs(top)),
    `${r.eigenvalues[0]} vs ${top} ± ${r.residuals[0]}`,
  );
  // and through the tape's HVPs in the MLP layout (a permutation of the coordinates leaves the spectrum unchanged)
  const spec = { widths: [8, 5, 1], activations: ["tanh", "identity"] as ("tanh" | "identity")[] };
  const theta = Stream.named(9, "test/nn/theta")
    .fillNormal(new Float64Array(net.dim))
    .map((v) => 0.5 * v);
  const tapeHvp: Hvp = (v, out) =>
    out.set(mlpObjective(spec, { inputs: net.data, targets: net.targets }).evaluate(theta, v).hvp!);
  const full = new Float64Array(net.dim * net.dim);
  for (let j = 0; j < net.dim; j++) {
    const e = new Float64Array(net.dim);
    e[j] = 1;
    const c = new Float64Array(net.dim);
    tapeHvp(e, c);
    for (let i = 0; i < net.dim; i++) full[i * net.dim + j] = c[i];
  }
  const topTape = new SymmetricEigen(net.dim).values(full, undefined, 1e-10)[net.dim - 1];
  const rt = lanczosTop(tapeHvp, net.dim, { steps: 30, stream: Stream.named(4, "test/nn/sharpness-tape") });
  assert.ok(Math.abs(rt.eigenvalues[0] - topTape) <= Math.max(rt.residuals[0], 1e-10 * Math.abs(topTape)));
});

test("Hutchinson's trace: within 4.5 standard errors of the exact trace, and the error bar matches 2Σ_{i≠j}H_ij²", () => {
  const lambda = Array.from({ length: 30 }, (_, i) => 1 + i / 10);
  const { H, hvp } = knownSpectrum(lambda, "test/nn/trace");
  const exact = lambda.reduce((a, b) => a + b, 0);
  const est = hutchinsonTrace(hvp, 30, { probes: 2000, stream: Stream.named(5, "test/nn/hutchinson") });
  assert.ok(Math.abs(est.value - exact) < 4.5 * est.se, `${est.value} vs ${exact} ± ${est.se}`);
  let off = 0;
  for (let i = 0; i < 30; i++) for (let j = 0; j < 30; j++) if (i !== j) off += H[i * 30 + j] ** 2;
  const predicted = Math.sqrt((2 * off) / 2000);
  assert.ok(Math.abs(est.se / predicted - 1) < 0.15, `se ${est.se} vs ${predicted}`);
});

test("Gauss quadrature of a Jacobi matrix: the 3-point Gauss–Legendre rule in closed form", async () => {
  const { gaussQuadrature } = await import("../../lib/linalg/gauss-quadrature");
  // Legendre's recurrence on [−1, 1] with the probability measure dx/2: α = 0, β_k = k/√(4k² − 1).
  const b = (k: number) => k / Math.sqrt(4 * k * k - 1);
  const { nodes, weights } = gaussQuadrature([0, 0, 0], [b(1), b(2)]);
  const x = Math.sqrt(3 / 5);
  [-x, 0, x].forEach((v, i) => assert.ok(Math.abs(nodes[i] - v) < 1e-15, `node ${nodes[i]} vs ${v}`));
  [5 / 18, 8 / 18, 5 / 18].forEach((v, i) =>
    assert.ok(Math.abs(weights[i] - v) < 1e-15, `weight ${weights[i]} vs ${v}`),
  );
  assert.deepEqual(Array.from(gaussQuadrature([2.5], []).nodes), [2.5]);
  assert.throws(() => gaussQuadrature([1, 2], []), /beta/);
});

test("Stochastic Lanczos quadrature: each probe's rule is exact for degrees ≤ 2m − 1; the moments agree with tr Hʲ/D within 4.5 SE; the density integrates to 1", async () => {
  const { gaussQuadrature } = await import("../../lib/linalg/gauss-quadrature");
  const { lanczosTridiagonal, stochasticLanczosQuadrature, spectralMoment, spectralDensity } =
    await import("../../lib/nn");
  const D = 60,
    lambda = Array.from({ length: D }, (_, i) => (i < 20 ? 1 + 0.1 * Math.sin(i) : 5 + 0.5 * Math.cos(i)));
  const { hvp } = knownSpectrum(lambda, "test/nn/slq");
  // one probe by hand: m = 6 steps reproduce vᵀHʲv/‖v‖² for j = 0 … 11 (and not j = 12 in general)
  const v = Stream.named(3, "test/nn/slq-probe").fillNormal(new Float64Array(D));
  const vv = v.reduce((a, x) => a + x * x, 0);
  const { alpha, beta } = lanczosTridiagonal(hvp, Float64Array.from(v), 6);
  const rule = gaussQuadrature(alpha, beta);
  let hv = Float64Array.from(v);
  for (let j = 0; j <= 11; j++) {
    const exact = v.reduce((a, x, i) => a + x * hv[i], 0) / vv;
    const quad = rule.nodes.reduce((a, t, i) => a + rule.weights[i] * t ** j, 0);
    assert.ok(Math.abs(quad - exact) <= 1e-11 * Math.abs(exact), `degree ${j}: ${quad} vs ${exact}`);
    const next = new Float64Array(D);
    hvp(hv, next);
    hv = next;
  }
  const q = stochasticLanczosQuadrature(hvp, D, {
    probes: 30,
    steps: 12,
    stream: Stream.named(3, "test/nn/slq-probes"),
  });
  for (const j of [1, 2, 3]) {
    const exact = lambda.reduce((a, l) => a + l ** j, 0) / D,
      est = spectralMoment(q, (x) => x ** j);
    assert.ok(Math.abs(est.value - exact) <= 4.5 * est.se + 1e-12, `moment ${j}: ${est.value} ± ${est.se} vs ${exact}`);
  }
  // the unweighted mean of the Ritz values (a wrong estimator of tr H / D) is far from it: 3 vs ~3.67
  const naive = q.nodes.reduce((a, th) => a + th.reduce((s, x) => s + x, 0) / th.length, 0) / q.nodes.length;
  assert.ok(Math.abs(naive - lambda.reduce((a, l) => a + l, 0) / D) > 0.3, `naive ${naive}`);
  const grid = Float64Array.from({ length: 2001 }, (_, i) => -2 + i * 0.005);
  const phi = spectralDensity(q, grid, 0.1);
  let mass = 0,
    low = 0;
  for (let i = 1; i < grid.length; i++) {
    const m = 0.5 * (phi[i] + phi[i - 1]) * 0.005;
    mass += m;
    if (grid[i] < 3) low += m;
  }
  assert.ok(Math.abs(mass - 1) < 1e-6, `mass ${mass}`);
  // the mass below the gap is 1/3 (20 of 60 eigenvalues), within 4.5 of its own standard error over probes
  const below = spectralMoment(q, (x) => (x < 3 ? 1 : 0));
  assert.ok(Math.abs(below.value - 1 / 3) <= 4.5 * below.se, `mass below 3: ${below.value} ± ${below.se}`);
  assert.ok(Math.abs(low - below.value) < 1e-6, `smoothed mass below 3 ${low} vs ${below.value}`);
  assert.throws(() => spectralDensity(q, grid, 0), /sigma/);
});
