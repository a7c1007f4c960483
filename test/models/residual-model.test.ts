import { test } from "node:test";
import assert from "node:assert/strict";
import {
  Factorization,
  TanhMlp,
  residualLoss,
  gradient,
  hessian,
  sampleHessian,
  batchGradient,
  buildModel,
  modelSpec,
} from "../../lib/models";
import type { ResidualModel } from "../../lib/models";
import { Stream } from "../../lib/random";

function mlp(): TanhMlp {
  return TanhMlp.teacherStudent(new Stream(3, 0), { inputs: 3, hidden: 12, samples: 12 });
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** Central differences of f at x, step h, into a vector. */
function fdGradient(f: (x: Float64Array) => number, x: Float64Array, h = 1e-5): Float64Array {
  const g = new Float64Array(x.length);
  for (let j = 0; j < x.length; j++) {
    const xp = Float64Array.from(x),
      xm = Float64Array.from(x);
    xp[j] += h;
    xm[j] -= h;
    g[j] = (f(xp) - f(xm)) / (2 * h);
  }
  return g;
}

function checkDerivatives(m: ResidualModel, x: Float64Array): void {
  const D = m.dim;
  // gradient of L against differences of L
  const g = gradient(m, x),
    fd = fdGradient((y) => residualLoss(m, y), x);
  const scale = Math.max(1, maxAbs(g));
  for (let j = 0; j < D; j++) assert.ok(Math.abs(g[j] - fd[j]) < 1e-6 * scale, `∂L/∂x${j}: ${g[j]} vs ${fd[j]}`);
  // Hessian of L against differences of the exact gradient, and symmetry
  const H = hessian(m, x);
  const hs = Math.max(1, maxAbs(H));
  for (let j = 0; j < D; j++) {
    const xp = Float64Array.from(x),
      xm = Float64Array.from(x);
    xp[j] += 1e-5;
    xm[j] -= 1e-5;
    const gp = gradient(m, xp),
      gm = gradient(m, xm);
    for (let i = 0; i < D; i++) {
      assert.ok(Math.abs(H[i * D + j] - (gp[i] - gm[i]) / 2e-5) < 1e-5 * hs, `H[${i},${j}]`);
      assert.ok(Math.abs(H[i * D + j] - H[j * D + i]) < 1e-14 * hs, "symmetric");
    }
  }
  // per-sample Hessians average to the full one, and each matches differences of ∇L_i
  const avg = new Float64Array(D * D);
  for (let i = 0; i < m.n; i++) {
    const Hi = sampleHessian(m, i, x);
    for (let k = 0; k < D * D; k++) avg[k] += Hi[k] / m.n;
    const gi = (y: Float64Array) => {
      const o = new Float64Array(D);
      batchGradient(m, y, [i], o);
      return o;
    };
    const j = i % D;
    const xp = Float64Array.from(x),
      xm = Float64Array.from(x);
    xp[j] += 1e-5;
    xm[j] -= 1e-5;
    const gp = gi(xp),
      gm = gi(xm);
    for (let a = 0; a < D; a++)
      assert.ok(
        Math.abs(Hi[a * D + j] - (gp[a] - gm[a]) / 2e-5) < 1e-5 * Math.max(1, maxAbs(Hi)),
        `Hess L_${i}[${a},${j}]`,
      );
  }
  for (let k = 0; k < D * D; k++) assert.ok(Math.abs(avg[k] - H[k]) < 1e-12 * hs);
}

test("factorization: exact loss, gradient, Hessians agree with finite differences", () => {
  const m = new Factorization([0.3, -1.2, 2], 1.5);
  checkDerivatives(m, Float64Array.of(0.7, -1.3));
  checkDerivatives(m, Float64Array.of(2.1, 0.4));
  // on the curve: L = 0 and ‖Hess L‖ = 4 c m₂ cosh 2τ
  const x = m.pointAt(0.4);
  assert.ok(residualLoss(m, x) < 1e-30);
  const H = hessian(m, x);
  const trace = H[0] + H[3]; // rank one: the trace is the norm
  assert.ok(Math.abs(trace - 4 * 1.5 * m.meanSquare * Math.cosh(0.8)) < 1e-12);
  assert.ok(Math.abs(m.tauOf(x) - 0.4) < 1e-15);
});

test("tanh MLP (D = 61, N = 12): exact derivatives agree with finite differences", () => {
  const m = mlp();
  assert.equal(m.dim, 61);
  const x = new Stream(4, 0).fillNormal(new Float64Array(m.dim));
  checkDerivatives(m, x);
});

test("a wrong derivative would be caught: perturbing one Hessian entry breaks the check", () => {
  const m = new Factorization([1, 2], 1);
  const broken: ResidualModel = {
    dim: 2,
    n: 2,
    residual: (i, x) => m.residual(i, x),
    residualGradient: (i, x, o) => m.residualGradient(i, x, o),
    addResidualHessian: (i, x, w, o) => {
      m.addResidualHessian(i, x, w, o);
      o[0] += 1e-3 * w;
    },
  };
  assert.throws(() => checkDerivatives(broken, Float64Array.of(0.5, 1.5)));
});

test("models rebuild from their plain-data spec with identical outputs", () => {
  for (const m of [new Factorization([0.5, 2], 1), mlp()]) {
    const r = buildModel(JSON.parse(JSON.stringify(modelSpec(m))));
    const x = new Stream(5, 0).fillNormal(new Float64Array(m.dim));
    assert.equal(residualLoss(r, x), residualLoss(m, x));
  }
});

test("bad input: wrong dimensions, zero data, mismatched data", () => {
  const m = new Factorization([1, 2], 1);
  assert.throws(() => residualLoss(m, new Float64Array(3)), /x \(one entry per parameter\) must have length 2/);
  assert.throws(() => sampleHessian(m, 2, Float64Array.of(1, 1)), /sample index/);
  assert.throws(() => new Factorization([1, 0]), /y\[1\] must be non-zero/);
  assert.throws(() => new Factorization([1], -1), /c \(target product/);
  assert.throws(
    () => new TanhMlp(3, 4, new Float64Array(8), new Float64Array(3)),
    /data \(N·d entries\) must have length 9/,
  );
  assert.throws(() => new TanhMlp(3, 4, Float64Array.of(1, 2, NaN), new Float64Array(1)), /data\[2\] must be finite/);
});
