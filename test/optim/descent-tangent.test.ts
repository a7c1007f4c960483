import { test } from "node:test";
import assert from "node:assert/strict";
import { descentTangent, pullbackSample, DivergedError, descentChaos, poolChaosRuns } from "../../lib/optim";
import { lyapunovSpectrum } from "../../lib/lyapunov";
import { Factorization, TanhMlp, modelSpec } from "../../lib/models";
import type { ResidualModel } from "../../lib/models";
import { Stream } from "../../lib/random";

test("GD on the factorisation curve below 1/(2c m₂): λ₁ = 0 along the curve of minima, λ₂ = log|1 − η‖H(x*)‖| at the limit point", () => {
  const model = new Factorization([1]);
  const sys = descentTangent(model, { eta: 0.3, x0: [1.3, 0.5] });
  const sp = lyapunovSpectrum(sys, { steps: 5000, transient: 2000, stream: new Stream(1, 0) });
  const [a, b] = sys.x,
    normH = 2 * (a * a + b * b); // Hess L at a minimum = 2 g gᵀ, g = (x₂, x₁)
  assert.ok(Math.abs(a * b - 1) < 1e-12, "converged onto x₁x₂ = 1");
  assert.ok(Math.abs(sp.exponents[0]) < 1e-12, `λ₁ = ${sp.exponents[0]}`);
  assert.ok(
    Math.abs(sp.exponents[1] - Math.log(Math.abs(1 - 0.3 * normH))) < 1e-9,
    `λ₂ = ${sp.exponents[1]} vs ${Math.log(Math.abs(1 - 0.3 * normH))}`,
  );
});

test("past every minimum's threshold GD is chaotic (λ₁ > 0) on the balanced line x₁ = x₂, which attracts: x₁² − x₂² shrinks by (1 − a²) per step", () => {
  const model = new Factorization([1]);
  const sys = descentTangent(model, { eta: 0.72, x0: [1.3, 0.5] });
  const sp = lyapunovSpectrum(sys, { steps: 20000, transient: 2000, stream: new Stream(1, 0) });
  assert.ok(sp.exponents[0] > 10 * sp.standardErrors[0], `λ₁ = ${sp.exponents[0]} ± ${sp.standardErrors[0]}`);
  assert.ok(sp.exponents[0] + sp.exponents[1] < 0);
  assert.ok(Math.abs(sys.x[0] - sys.x[1]) < 1e-12, "on the balanced line");
  assert.throws(
    () =>
      lyapunovSpectrum(descentTangent(model, { eta: 1, x0: [1.3, 0.5] }), { steps: 1000, stream: new Stream(1, 0) }),
    (e: unknown) => e instanceof DivergedError && /diverged at step \d+/.test((e as Error).message),
  );
});

test("SGD minibatches come from the step's stream (same stream, same exponents); pullback sampling runs every start under one noise path", () => {
  const model = new Factorization([0.8, 1, 1.1, 1.2]);
  const run = () =>
    lyapunovSpectrum(
      descentTangent(model, {
        eta: 0.6,
        batch: 1,
        x0: (s) => Float64Array.of(1 + 0.3 * s.normal(), 1 + 0.3 * s.normal()),
      }),
      { steps: 3000, stream: Stream.named(1, "test/optim/sgd-tangent") },
    ).exponents;
  assert.deepEqual(run(), run());
  const starts = Array.from({ length: 40 }, (_, i) => Float64Array.of(0.5 + i / 40, 1.5 - i / 80));
  const a = pullbackSample(model, starts, {
    eta: 0.6,
    batch: 1,
    steps: 400,
    stream: Stream.named(1, "test/optim/pullback"),
  });
  const b = pullbackSample(model, starts, {
    eta: 0.6,
    batch: 1,
    steps: 400,
    stream: Stream.named(1, "test/optim/pullback"),
  });
  assert.deepEqual(a.points, b.points);
  assert.equal(a.kept + a.diverged.length, 40);
  for (let r = 0; r < a.kept; r++)
    assert.ok(Math.abs(a.points[2 * r] - a.points[2 * r + 1]) < 1e-9, "pullback points on the balanced line");
  assert.throws(() => descentTangent(model, { eta: 0.6, batch: 5, x0: [1, 1] }), /batch size/);
  assert.throws(() => descentTangent(model, { eta: -1, x0: [1, 1] }), /eta/);
  assert.throws(() => descentTangent(model, { eta: 0.1, x0: [1] }), /x0/);
});

test("tangent vectors by Hessian-vector products (k ≪ D) equal the full-Hessian path to rounding (TanhMlp, SGD)", () => {
  const m = TanhMlp.teacherStudent(new Stream(1, 0), { inputs: 4, hidden: 10, samples: 200 });
  // the same model without addResidualHessianVector takes the full-Hessian path
  const plain = {
    dim: m.dim,
    n: m.n,
    residual: m.residual.bind(m),
    residualGradient: m.residualGradient.bind(m),
    addResidualHessian: m.addResidualHessian.bind(m),
  };
  const x0 = new Stream(2, 0).fillNormal(new Float64Array(m.dim)).map((v) => 0.3 * v);
  const run = (model: ResidualModel) =>
    lyapunovSpectrum(descentTangent(model, { eta: 0.3, batch: 20, x0 }), { steps: 300, k: 4, stream: new Stream(3, 0) })
      .exponents;
  const a = run(m),
    b = run(plain);
  for (let c = 0; c < 4; c++) assert.ok(Math.abs(a[c] - b[c]) < 1e-12, `${a[c]} vs ${b[c]}`);
  // and the product itself against a finite difference of the gradient
  const x = Float64Array.from(x0),
    u = new Stream(4, 0).fillNormal(new Float64Array(m.dim)),
    hv = new Float64Array(m.dim),
    g1 = new Float64Array(m.dim),
    g2 = new Float64Array(m.dim),
    h = 1e-5;
  m.addResidualHessianVector(7, x, u, 1, hv);
  const xp = x.map((v, i) => v + h * u[i]),
    xm = x.map((v, i) => v - h * u[i]);
  m.residualGradient(7, xp, g1);
  m.residualGradient(7, xm, g2);
  for (let i = 0; i < m.dim; i++) assert.ok(Math.abs(hv[i] - (g1[i] - g2[i]) / (2 * h)) < 1e-7, `component ${i}`);
});

test("GD on the factorisation's balanced line: the 2-D QR exponents equal the 1-D Birkhoff averages ⟨log|1 − 2η(3u² − 1)|⟩, ⟨log|1 − 2η(1 − u²)|⟩ (exactly at the period-2 cycle, within errors in chaos)", () => {
  const f = new Factorization([1]);
  const cyc = f.balancedLineExponents(0.6, { steps: 2000 });
  const qr = descentChaos({
    model: modelSpec(f),
    eta: 0.6,
    start: { point: [1.3, 0.5] },
    steps: 2000,
    transient: 2000,
    seed: "test/optim/cycle",
    index: 0,
  });
  assert.ok(
    Math.abs(qr.exponents[0] - cyc.along) < 1e-9 && Math.abs(qr.exponents[1] - cyc.across) < 1e-9,
    `${qr.exponents} vs ${cyc.along}, ${cyc.across}`,
  );
  assert.equal(qr.kaplanYorke.value, 0, "a cycle: D_KY = 0");
  const line = f.balancedLineExponents(0.72, { steps: 200000 });
  const ch = descentChaos({
    model: modelSpec(f),
    eta: 0.72,
    start: { point: [1.3, 0.5], jitter: 0.05 },
    steps: 18000,
    transient: 2000,
    runs: 4,
    seed: "test/optim/chaos",
    index: 0,
  });
  const z = 4.5; // t₃ would be wider; runs pooled over 4 × 18000 steps
  assert.ok(
    Math.abs(ch.exponents[0] - line.along) < z * Math.hypot(ch.standardErrors[0], line.alongError),
    `${ch.exponents[0]} ± ${ch.standardErrors[0]} vs ${line.along} ± ${line.alongError}`,
  );
  assert.ok(ch.exponents[0] > 0.3 && ch.kaplanYorke.value > 1 && ch.kaplanYorke.value < 2);
  assert.throws(() => f.balancedLineExponents(1.2, { steps: 100 }), /left \|u\|/);
});

test("descentChaos: bad input names the parameter; a divergence is recorded, not NaN; points and losses along the attractor; seeded; pooled runs", () => {
  const f = new Factorization([1]),
    spec = modelSpec(f);
  const base = {
    model: spec,
    eta: 0.72,
    start: { point: [1.3, 0.5] },
    steps: 300,
    transient: 100,
    seed: "test/optim/chaos-input",
    index: 0,
  };
  assert.throws(() => descentChaos({ ...base, k: 3 }), /k \(number of exponents, at most D = 2\)/);
  assert.throws(() => descentChaos({ ...base, eta: 0 }), /eta/);
  assert.throws(() => descentChaos({ ...base, transient: -1 }), /transient/);
  assert.throws(() => descentChaos({ ...base, steps: 1 }), /steps \(averaged, after the transient\)/);
  assert.throws(() => descentChaos({ ...base, test: { data: [1], targets: [1] } }), /TanhMlp/);
  // growK: one exponent leaves D_KY at its lower bound 1; doubling k to 2 resolves it (= the k = 2 run)
  const one = descentChaos({ ...base, k: 1 }),
    grown = descentChaos({ ...base, k: 1, growK: true }),
    two = descentChaos({ ...base, k: 2 });
  assert.equal(one.kaplanYorke.value, 1);
  assert.equal(grown.exponents.length, 2);
  assert.deepEqual(grown.exponents, two.exponents);
  assert.ok(grown.kaplanYorke.value > 1 && grown.kaplanYorke.value < 2);
  const div = descentChaos({ ...base, eta: 1 });
  assert.deepEqual(div.diverged, { run: 0, phase: "run", step: div.diverged!.step });
  assert.deepEqual(div.exponents, []);
  const warm = descentChaos({ ...base, eta: 1, warmup: { from: 0.95, steps: 300 } });
  assert.equal(warm.diverged?.phase, "warmup");
  const a = descentChaos({ ...base, runs: 2, sampleEvery: 10, start: { point: [1.3, 0.5], jitter: 0.1 } });
  assert.deepEqual(a, descentChaos({ ...base, runs: 2, sampleEvery: 10, start: { point: [1.3, 0.5], jitter: 0.1 } }));
  assert.equal(a.count, 2 * 30);
  assert.ok(Number.isFinite(a.trainLoss) && Number.isNaN(a.testLoss));
  const { model, test: held } = TanhMlp.linearTeacher(new Stream(5, 0), {
    inputs: 2,
    hidden: 3,
    train: 30,
    test: 40,
    noise: 0.3,
  });
  const runs = [0, 1].map((index) =>
    descentChaos({
      model: modelSpec(model),
      test: { data: Array.from(held.data), targets: Array.from(held.targets) },
      eta: 0.1,
      start: { scale: 0.3 },
      k: 3,
      steps: 200,
      transient: 100,
      sampleEvery: 50,
      curvaturePoints: 2,
      seed: "test/optim/chaos-mlp",
      index,
    }),
  );
  const pooled = poolChaosRuns([...runs, div]);
  assert.equal(pooled.runs, 2);
  assert.equal(pooled.diverged, 1);
  assert.ok(Math.abs(pooled.exponents[0] - (runs[0].exponents[0] + runs[1].exponents[0]) / 2) < 1e-15);
  assert.ok(pooled.testLoss > 0 && pooled.sharpness > 0 && pooled.hessianTrace >= pooled.sharpness - 1e-9);
  assert.equal(pooled.count, 8);
  assert.throws(() => poolChaosRuns([div]), /all 1 runs diverged/);
});
