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
  for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) { let s = 0; for (let k = 0; k < D; k++) s += U[i * D + k] * lambda[k] * U[j * D + k]; H[i * D + j] = s; }
  return { H, hvp: (v, out) => { for (let i = 0; i < D; i++) { let s = 0; for (let j = 0; j < D; j++) s += H[i * D + j] * v[j]; out[i] = s; } } };
}

test("Lanczos: the top eigenvalues of a matrix with a known spectrum, each within its reported residual", () => {
  const lambda = Array.from({ length: 50 }, (_, i) => (i < 3 ? 20 - 3 * i : Math.sin(i) * 2));
  const { hvp } = knownSpectrum(lambda, "test/nn/lanczos");
  const r = lanczosTop(hvp, 50, { k: 3, steps: 40, stream: Stream.named(3, "test/nn/lanczos-start") });
  [20, 17, 14].forEach((v, j) => {
    assert.ok(Math.abs(r.eigenvalues[j] - v) <= Math.max(r.residuals[j], 1e-12), `λ${j + 1} = ${r.eigenvalues[j]} vs ${v} (residual ${r.residuals[j]})`);
    assert.ok(r.residuals[j] < 1e-8, "converged well before 50 steps: the top three are separated");
  });
  // a wrong value (the fourth eigenvalue, 2 sin 3 ≈ 0.28, or the trace/D) is not what it finds
  assert.ok(Math.abs(r.eigenvalues[0] - lambda.reduce((a, b) => a + b, 0) / 50) > 10);
});

test("Lanczos sharpness of the D = 51 tanh network agrees with the full Hessian's top eigenvalue within its residual", () => {
  const net = TanhMlp.teacherStudent(Stream.named(1, "tanh-teacher-network"), { inputs: 8, hidden: 5, samples: 12 });
  const x = Stream.named(8, "test/nn/point").fillNormal(new Float64Array(net.dim)).map((v) => 0.5 * v);
  const H = hessian(net, x);
  const top = new SymmetricEigen(net.dim).values(H)[net.dim - 1];
  const hvp: Hvp = (v, out) => { for (let i = 0; i < net.dim; i++) { let s = 0; for (let j = 0; j < net.dim; j++) s += H[i * net.dim + j] * v[j]; out[i] = s; } };
  const r = lanczosTop(hvp, net.dim, { steps: 30, stream: Stream.named(4, "test/nn/sharpness") });
  assert.ok(Math.abs(r.eigenvalues[0] - top) <= Math.max(r.residuals[0], 1e-10 * Math.abs(top)), `${r.eigenvalues[0]} vs ${top} ± ${r.residuals[0]}`);
  // and through the tape's HVPs in the MLP layout (a permutation of the coordinates leaves the spectrum unchanged)
  const spec = { widths: [8, 5, 1], activations: ["tanh", "identity"] as ("tanh" | "identity")[] };
  const theta = Stream.named(9, "test/nn/theta").fillNormal(new Float64Array(net.dim)).map((v) => 0.5 * v);
  const tapeHvp: Hvp = (v, out) => out.set(mlpObjective(spec, { inputs: net.data, targets: net.targets }).evaluate(theta, v).hvp!);
  const full = new Float64Array(net.dim * net.dim);
  for (let j = 0; j < net.dim; j++) { const e = new Float64Array(net.dim); e[j] = 1; const c = new Float64Array(net.dim); tapeHvp(e, c); for (let i = 0; i < net.dim; i++) full[i * net.dim + j] = c[i]; }
  const topTape = new SymmetricEigen(net.dim).values(full, undefined, 1e-10)[net.dim - 1];
  const rt = lanczosTop(tapeHvp, net.dim, { steps: 30, stream: Stream.named(4, "test/nn/sharpness-tape") });
  assert.ok(Math.abs(rt.eigenvalues[0] - topTape) <= Math.max(rt.residuals[0], 1e-10 * Math.abs(topTape)));
});

test("Hutchinson's trace: within 4.5 standard errors of the exact trace, and the error bar matches 2Σ_{i≠j}H_ij²", () => {
  const lambda = Array.from({ length: 30 }, (_, i) => 1 + i / 10);
  const { H, hvp } = knownSpectrum(lambda, "test/nn/trace");
  const exact = lambda.reduce((a, b) => a + b, 0);
  const est = hutchinsonTrace(hvp, 30, { probes: 2000, stream: Stream.named(5, "test/nn/hutchinson") });
  assert.ok(Math.abs(est.trace - exact) < 4.5 * est.standardError, `${est.trace} vs ${exact} ± ${est.standardError}`);
  let off = 0;
  for (let i = 0; i < 30; i++) for (let j = 0; j < 30; j++) if (i !== j) off += H[i * 30 + j] ** 2;
  const predicted = Math.sqrt((2 * off) / 2000);
  assert.ok(Math.abs(est.standardError / predicted - 1) < 0.15, `se ${est.standardError} vs ${predicted}`);
});
