import { test } from "node:test";
import assert from "node:assert/strict";
import { descentTangent, pullbackSample, DivergedError } from "../../lib/optim";
import { lyapunovSpectrum } from "../../lib/lyapunov";
import { Factorization } from "../../lib/models";
import { Stream } from "../../lib/random";

test("GD on the factorisation curve below 1/(2c m₂): λ₁ = 0 along the curve of minima, λ₂ = log|1 − η‖H(x*)‖| at the limit point", () => {
  const model = new Factorization([1]);
  const sys = descentTangent(model, { eta: 0.3, x0: [1.3, 0.5] });
  const sp = lyapunovSpectrum(sys, { steps: 5000, transient: 2000, stream: new Stream(1, 0) });
  const [a, b] = sys.x, normH = 2 * (a * a + b * b); // Hess L at a minimum = 2 g gᵀ, g = (x₂, x₁)
  assert.ok(Math.abs(a * b - 1) < 1e-12, "converged onto x₁x₂ = 1");
  assert.ok(Math.abs(sp.exponents[0]) < 1e-12, `λ₁ = ${sp.exponents[0]}`);
  assert.ok(Math.abs(sp.exponents[1] - Math.log(Math.abs(1 - 0.3 * normH))) < 1e-9, `λ₂ = ${sp.exponents[1]} vs ${Math.log(Math.abs(1 - 0.3 * normH))}`);
});

test("past every minimum's threshold GD is chaotic (λ₁ > 0) on the balanced line x₁ = x₂, which attracts: x₁² − x₂² shrinks by (1 − a²) per step", () => {
  const model = new Factorization([1]);
  const sys = descentTangent(model, { eta: 0.72, x0: [1.3, 0.5] });
  const sp = lyapunovSpectrum(sys, { steps: 20000, transient: 2000, stream: new Stream(1, 0) });
  assert.ok(sp.exponents[0] > 10 * sp.standardErrors[0], `λ₁ = ${sp.exponents[0]} ± ${sp.standardErrors[0]}`);
  assert.ok(sp.exponents[0] + sp.exponents[1] < 0);
  assert.ok(Math.abs(sys.x[0] - sys.x[1]) < 1e-12, "on the balanced line");
  assert.throws(() => lyapunovSpectrum(descentTangent(model, { eta: 1, x0: [1.3, 0.5] }), { steps: 1000, stream: new Stream(1, 0) }), (e: unknown) => e instanceof DivergedError && /diverged at step \d+/.test((e as Error).message));
});

test("SGD minibatches come from the step's stream (same stream, same exponents); pullback sampling runs every start under one noise path", () => {
  const model = new Factorization([0.8, 1, 1.1, 1.2]);
  const run = () => lyapunovSpectrum(descentTangent(model, { eta: 0.6, batch: 1, x0: (s) => Float64Array.of(1 + 0.3 * s.normal(), 1 + 0.3 * s.normal()) }), { steps: 3000, stream: Stream.named(1, "test/optim/sgd-tangent") }).exponents;
  assert.deepEqual(run(), run());
  const starts = Array.from({ length: 40 }, (_, i) => Float64Array.of(0.5 + i / 40, 1.5 - i / 80));
  const a = pullbackSample(model, starts, { eta: 0.6, batch: 1, steps: 400, stream: Stream.named(1, "test/optim/pullback") });
  const b = pullbackSample(model, starts, { eta: 0.6, batch: 1, steps: 400, stream: Stream.named(1, "test/optim/pullback") });
  assert.deepEqual(a.points, b.points);
  assert.equal(a.kept + a.diverged.length, 40);
  for (let r = 0; r < a.kept; r++) assert.ok(Math.abs(a.points[2 * r] - a.points[2 * r + 1]) < 1e-9, "pullback points on the balanced line");
  assert.throws(() => descentTangent(model, { eta: 0.6, batch: 5, x0: [1, 1] }), /batch size/);
  assert.throws(() => descentTangent(model, { eta: -1, x0: [1, 1] }), /eta/);
  assert.throws(() => descentTangent(model, { eta: 0.1, x0: [1] }), /x0/);
});
