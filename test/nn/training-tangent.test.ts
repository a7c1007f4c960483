import { test } from "node:test";
import assert from "node:assert/strict";
import {
  Tape,
  mlpForward,
  mse,
  softmaxCrossEntropy,
  mlpObjective,
  mlpInit,
  mlpShardConfig,
  gptForward,
  gptInit,
  gptObjective,
  gptShardConfig,
  tokenWindows,
  quadraticObjective,
  matrixWithSpectrum,
  trainingTangent,
  openTrainingTangent,
  trainingLyapunov,
  trainingLyapunovRun,
  trainingLyapunovTask,
  tangentSweep,
  DivergedError,
  type MlpSpec,
  type Activation,
  type Objective,
} from "../../lib/nn";
import { lyapunovSpectrum, kaplanYorkeDimension } from "../../lib/lyapunov";
import { parallelMap } from "../../lib/parallel";
import { Stream } from "../../lib/random";
import { centralDifference } from "./finite-difference";

const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const sameBits = (a: Float64Array, b: Float64Array, what: string) =>
  assert.ok(a.length === b.length && bytes(a).equals(bytes(b)), `${what}: not the same bits`);

/** A small MLP problem: N inputs of width 7, targets and labels for 4 outputs. */
function problem(act: Activation, loss: "mse" | "cross-entropy", name: string, N = 13) {
  const spec: MlpSpec = { widths: [7, 9, 6, 4], activations: [act, act, "identity"] };
  const s = Stream.named(1, `test/nn/training-tangent/${name}`);
  const inputs = s.fillNormal(new Float64Array(N * 7)),
    targets = s.fillNormal(new Float64Array(N * 4));
  const labels = Int32Array.from({ length: N }, (_, i) => (i * 3) % 4);
  const data = { inputs, targets, labels };
  return { spec, data, obj: mlpObjective(spec, data, { loss }), theta: mlpInit(spec, s), s };
}

test("a tape of k tangents gives the loss, the gradient and H v₁ … H v_k of k separate sweeps, bit for bit (MLPs with every activation and both losses, and the GPT)", () => {
  const K = 5;
  for (const act of ["tanh", "relu", "gelu", "softplus", "sigmoid"] as Activation[])
    for (const loss of ["mse", "cross-entropy"] as const) {
      const { spec, data, obj, theta, s } = problem(act, loss, `${act}/${loss}`);
      const V = s.fillNormal(new Float64Array(K * obj.dim));
      const r = obj.evaluateTangents!(theta, V, K);
      const byHand = tangentSweep(obj.dim, theta, V, K, (tape, th) => {
        const f = mlpForward(tape, spec, th, tape.data(Float64Array.from(data.inputs), [13, 7]));
        return loss === "mse" ? mse(tape, f, data.targets) : softmaxCrossEntropy(tape, f, data.labels);
      });
      sameBits(r.hvps, byHand.hvps, "evaluateTangents against tangentSweep");
      for (let c = 0; c < K; c++) {
        const one = obj.evaluate(theta, V.subarray(c * obj.dim, (c + 1) * obj.dim));
        sameBits(r.hvps.subarray(c * obj.dim, (c + 1) * obj.dim), one.hvp!, `${act}/${loss}: H v_${c}`);
        sameBits(r.gradient, one.gradient, `${act}/${loss}: gradient`);
        assert.ok(Object.is(r.loss, one.loss));
      }
    }
  const spec = { vocab: 11, block: 6, layers: 2, heads: 2, dModel: 8 };
  const s = Stream.named(1, "test/nn/training-tangent/gpt");
  const corpus = Int32Array.from({ length: 60 }, (_, i) => (i * 7 + ((i * i) % 5)) % 11);
  const w = tokenWindows(corpus, [0, 9, 17], 6),
    obj = gptObjective(spec, w),
    theta = gptInit(spec, s),
    V = s.fillNormal(new Float64Array(K * obj.dim));
  const r = tangentSweep(obj.dim, theta, V, K, (tape, th) =>
    softmaxCrossEntropy(tape, gptForward(tape, spec, th, w.inputs, w.sequences), w.targets),
  );
  for (let c = 0; c < K; c++)
    sameBits(
      r.hvps.subarray(c * obj.dim, (c + 1) * obj.dim),
      obj.evaluate(theta, V.subarray(c * obj.dim, (c + 1) * obj.dim)).hvp!,
      `GPT: H v_${c}`,
    );
  assert.throws(() => new Tape(0), /tangents must be an integer >= 1/);
  assert.throws(() => new Tape(3).param([1, 2], [2], [1, 2, 3]), /needs 6/);
});

test("the k products agree with central differences of the gradient along each direction (tanh, cross-entropy)", () => {
  const { obj, theta, s } = problem("tanh", "cross-entropy", "fd");
  const K = 3,
    D = obj.dim,
    V = s.fillNormal(new Float64Array(K * D));
  const r = obj.evaluateTangents!(theta, V, K);
  for (let c = 0; c < K; c++) {
    const u = V.slice(c * D, (c + 1) * D);
    const { value, tol } = centralDifference((t) => obj.evaluate(t).gradient, theta, u, 1e-3);
    for (let i = 0; i < D; i++)
      assert.ok(
        Math.abs(value[i] - r.hvps[c * D + i]) <= tol[i],
        `direction ${c}, entry ${i}: ${r.hvps[c * D + i]} vs ${value[i]} ± ${tol[i]}`,
      );
  }
});

test("one step of the tangent system is the training map's Jacobian I − η H_B (central differences of θ ↦ θ − η∇L_B(θ)), GD and SGD", () => {
  const { obj, theta, s } = problem("tanh", "mse", "jacobian");
  const D = obj.dim,
    eta = 0.3,
    K = 2;
  for (const batch of [undefined, 5]) {
    const stream = Stream.named(1, "test/nn/training-tangent/jacobian", batch ?? 0);
    const sys = trainingTangent(obj, { eta, theta0: theta, batch });
    const basis = s.fillNormal(new Float64Array(K * D)),
      before = Float64Array.from(basis);
    sys.start(stream, basis, K);
    sys.advance(basis, K, stream);
    // the same step's minibatch, drawn again from its named stream
    const perm = Int32Array.from({ length: 13 }, (_, i) => i),
      b = batch ?? 13,
      bs = stream.child("batch", 0);
    for (let i = 0; i < b && batch; i++) {
      const j = i + bs.int(13 - i);
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    const lossB = batch ? obj.subset!(perm.subarray(0, b)) : obj;
    const step = (t: Float64Array) => {
      const g = lossB.evaluate(t).gradient;
      return t.map((x, i) => x - eta * g[i]);
    };
    for (let c = 0; c < K; c++) {
      const { value, tol } = centralDifference(step, theta, before.slice(c * D, (c + 1) * D), 1e-3);
      for (let i = 0; i < D; i++)
        assert.ok(Math.abs(value[i] - basis[c * D + i]) <= tol[i], `batch ${batch}, vector ${c}, entry ${i}`);
    }
    sameBits(sys.theta, step(theta), "θ₁");
  }
});

test("GD on a quadratic from its fixed point: the exponents are log|1 − η h_i| exactly (a constant J), in order; the review's H·Q gives log|h_i|", () => {
  const h = [-0.4, -0.2, 0.3, 0.5, 0.8, 0.9],
    D = h.length,
    eta = 1;
  const s = Stream.named(1, "test/nn/training-tangent/quadratic");
  const { H } = matrixWithSpectrum(h, () => s.normal());
  const obj = quadraticObjective(H, D); // no evaluateTangents: served by k HVPs
  const exact = h.map((x) => Math.log(Math.abs(1 - eta * x))).sort((a, b) => b - a);
  const sp = lyapunovSpectrum(trainingTangent(obj, { eta, theta0: new Float64Array(D) }), {
    k: D,
    steps: 200,
    transient: 200,
    stream: Stream.named(1, "test/nn/training-tangent/quadratic-run"),
  });
  // after the transient the basis is the eigenbasis to (max ratio)^200 < 1e-30: only rounding is left
  exact.forEach((x, i) => assert.ok(Math.abs(sp.exponents[i] - x) < 1e-13, `λ${i + 1} = ${sp.exponents[i]} vs ${x}`));
  assert.ok(Math.abs(sp.kaplanYorke - kaplanYorkeDimension(exact)) < 1e-12);
  const review = lyapunovSpectrum(trainingTangent(obj, { eta, theta0: new Float64Array(D), jacobian: "hessian" }), {
    k: 3,
    steps: 200,
    transient: 200,
    stream: Stream.named(1, "test/nn/training-tangent/quadratic-run"),
  });
  const logs = h.map((x) => Math.log(Math.abs(x))).sort((a, b) => b - a);
  logs
    .slice(0, 3)
    .forEach((x, i) =>
      assert.ok(
        Math.abs(review.exponents[i] - x) < 1e-13,
        `review λ${i + 1} = ${review.exponents[i]} vs log|h| = ${x}`,
      ),
    );
});

test("growK doubles k until the Kaplan–Yorke sum turns negative, or flags the dimension as a lower bound", () => {
  const h = [-0.4, -0.2, 0.3, 0.5, 0.8, 0.9],
    D = h.length;
  const s = Stream.named(1, "test/nn/training-tangent/growk");
  const obj = quadraticObjective(matrixWithSpectrum(h, () => s.normal()).H, D);
  const sys = trainingTangent(obj, { eta: 1, theta0: new Float64Array(D) });
  const o = { steps: 200, transient: 200, stream: Stream.named(1, "test/nn/training-tangent/growk-run") };
  const grown = lyapunovSpectrum(sys, { ...o, k: 1, growK: true }); // sums 0.34, 0.52, 0.16, −0.53: k = 1 → 2 → 4
  assert.equal(grown.exponents.length, 4);
  assert.equal(grown.kaplanYorkeLowerBound, false);
  assert.ok(
    Math.abs(grown.kaplanYorke - (3 + (Math.log(1.4) + Math.log(1.2) + Math.log(0.7)) / -Math.log(0.5))) < 1e-12,
  );
  const capped = lyapunovSpectrum(sys, { ...o, k: 1, growK: { max: 2 } });
  assert.equal(capped.exponents.length, 2);
  assert.equal(capped.kaplanYorkeLowerBound, true);
  assert.equal(capped.kaplanYorke, 2);
  assert.equal(
    lyapunovSpectrum(sys, { ...o, k: D }).kaplanYorkeLowerBound,
    false,
    "the whole spectrum is never a lower bound",
  );
});

test("openTrainingTangent: the same bits on 1, 2 and 3 threads, for any grouping of the tangents, and as trainingTangent on the same objective (GD and SGD)", async () => {
  const { spec, data, obj, theta } = problem("tanh", "cross-entropy", "threads", 40);
  const cfg = mlpShardConfig(spec, { inputs: data.inputs, labels: data.labels }, "cross-entropy");
  for (const batch of [undefined, 16]) {
    const o = { eta: 0.5, theta0: theta, batch };
    const runOpts = {
      k: 5,
      steps: 20,
      transient: 5,
      blocks: 4,
      stream: Stream.named(1, "test/nn/training-tangent/threads", batch ?? 0),
    };
    const here = lyapunovSpectrum(trainingTangent(obj, o), runOpts).exponents;
    sameBits(
      lyapunovSpectrum(trainingTangent(obj, { ...o, group: 2 }), runOpts).exponents,
      here,
      "sweeps of 2 tangents against one of 5",
    );
    for (const workers of [1, 2, 3]) {
      const sys = await openTrainingTangent(cfg, { ...o, workers });
      try {
        sameBits(lyapunovSpectrum(sys, runOpts).exponents, here, `batch ${batch}, ${workers} workers`);
      } finally {
        await sys.close();
      }
    }
    // a batch cut into chunks (reduced in chunk order) is the same number to rounding, and the same bits for any number of threads
    const chunked = await Promise.all(
      [1, 2].map(async (workers) => {
        const sys = await openTrainingTangent(cfg, { ...o, workers, chunk: 7 });
        try {
          return lyapunovSpectrum(sys, runOpts).exponents;
        } finally {
          await sys.close();
        }
      }),
    );
    sameBits(chunked[0], chunked[1], "chunked, 1 and 2 workers");
    chunked[0].forEach((x, i) => assert.ok(Math.abs(x - here[i]) < 1e-9, `chunked λ${i + 1}`));
  }
});

test("the review's algorithm runs on the same trajectory and minibatches as the step's Jacobian; frozen weights stay at θ₀", () => {
  const { obj, theta } = problem("tanh", "mse", "review");
  const end = (jacobian: "step" | "hessian", frozen = false) => {
    const sys = trainingTangent(obj, { eta: 0.2, theta0: theta, batch: 6, jacobian, frozen });
    lyapunovSpectrum(sys, { k: 3, steps: 30, stream: Stream.named(1, "test/nn/training-tangent/review") });
    return Float64Array.from(sys.theta);
  };
  sameBits(end("hessian"), end("step"), "θ after 30 steps");
  sameBits(end("hessian", true), theta, "frozen θ");
});

test("SGD draws batch t from the run's stream's child (\"batch\", t): a run is a function of its stream alone", () => {
  const { obj, theta } = problem("relu", "mse", "sgd-streams", 30);
  const path = (seed: number) => {
    const ls: number[] = [];
    lyapunovSpectrum(trainingTangent(obj, { eta: 0.1, theta0: theta, batch: 4, onStep: (_t, l) => ls.push(l) }), {
      k: 2,
      steps: 25,
      stream: Stream.named(seed, "test/nn/training-tangent/sgd"),
    });
    return ls;
  };
  assert.deepEqual(path(1), path(1));
  assert.notDeepEqual(path(1), path(2));
});

test("bad input: k larger than d, an objective without HVPs, η ≤ 0, minibatches on an objective without subsets; a diverging run is recorded with its step", async () => {
  const { spec, data, obj, theta } = problem("tanh", "mse", "bad");
  const stream = Stream.named(1, "test/nn/training-tangent/bad");
  assert.throws(
    () => lyapunovSpectrum(trainingTangent(obj, { eta: 0.1, theta0: theta }), { k: obj.dim + 1, steps: 5, stream }),
    (e: unknown) =>
      e instanceof RangeError &&
      (e as Error).message.includes(`k (number of exponents, at most ${obj.dim})`) &&
      (e as Error).message.includes(`got ${obj.dim + 1}`),
  );
  await assert.rejects(
    trainingLyapunov(obj, { eta: 0.1, theta0: theta, k: obj.dim + 1, steps: 5, stream }),
    RangeError,
  );
  const noHvp: Objective = { dim: obj.dim, evaluate: (t) => ({ ...obj.evaluate(t), hvp: null }) };
  assert.throws(
    () => lyapunovSpectrum(trainingTangent(noHvp, { eta: 0.1, theta0: theta }), { k: 2, steps: 5, stream }),
    (e: unknown) => e instanceof TypeError && /no Hessian-vector product/.test((e as Error).message),
  );
  for (const eta of [0, -0.1, NaN]) {
    assert.throws(
      () => trainingTangent(obj, { eta, theta0: theta }),
      (e: unknown) =>
        e instanceof RangeError && /eta \(learning rate\) must be a finite number > 0/.test((e as Error).message),
    );
    await assert.rejects(
      openTrainingTangent(mlpShardConfig(spec, { inputs: data.inputs, targets: data.targets }), { eta, theta0: theta }),
      /eta \(learning rate\)/,
    );
  }
  const whole: Objective = { dim: obj.dim, evaluate: (t, v) => obj.evaluate(t, v) };
  assert.throws(
    () => trainingTangent(whole, { eta: 0.1, theta0: theta, batch: 4 }),
    (e: unknown) => e instanceof TypeError && /batch 4 needs an objective/.test((e as Error).message),
  );
  assert.throws(
    () => trainingTangent(obj, { eta: 0.1, theta0: theta.subarray(1) }),
    new RegExp(`theta0 must have length ${obj.dim}`),
  );
  await assert.rejects(openTrainingTangent({ dim: 3 } as never, { eta: 0.1, theta0: [0, 0, 0] }), TypeError);
  // growth along h = −0.4 (|1 − ηh| = 1.4 per step) from a unit start along its eigenvector: ‖θ_t‖ = 1.4^t passes 1e6 at t = 42
  const s = Stream.named(1, "test/nn/training-tangent/diverge");
  const { H, eigenvectors } = matrixWithSpectrum([-0.4, 0.3, 0.5], () => s.normal());
  const q = quadraticObjective(H, 3),
    expected = Math.ceil(Math.log(1e6) / Math.log(1.4));
  const r = await trainingLyapunov(q, { eta: 1, theta0: eigenvectors[0], k: 2, steps: 100, stream });
  assert.equal(r.divergence?.step, expected);
  assert.equal(r.divergence?.run, 0);
  assert.deepEqual(r.exponents, []);
  assert.equal(r.kaplanYorke, null);
  // an MLP whose loss overflows at a huge step: recorded at the step where the loss is not finite, never NaN exponents
  const big = await trainingLyapunov(mlpShardConfig(spec, { inputs: data.inputs, targets: data.targets }), {
    eta: 1e8,
    theta0: theta,
    k: 2,
    steps: 50,
    stream,
    maxNorm: Infinity,
  });
  assert.ok(big.divergence && big.divergence.step >= 1 && big.divergence.step < 50, JSON.stringify(big.divergence));
  assert.deepEqual(big.exponents, []);
  assert.throws(
    () => lyapunovSpectrum(trainingTangent(q, { eta: 1, theta0: eigenvectors[0] }), { k: 2, steps: 100, stream }),
    (e: unknown) => e instanceof DivergedError && e.step === expected,
  );
});

test("trainingLyapunovTask: whole spectra as worker tasks, the same on 1 and 2 workers; the GPT's shard configuration works too", async () => {
  const { spec, data } = problem("tanh", "cross-entropy", "task", 30);
  const source = mlpShardConfig(spec, { inputs: data.inputs, labels: data.labels }, "cross-entropy");
  const inputs = [0.3, 2].map((eta, index) => ({
    source,
    eta,
    batch: 10,
    theta0: { gain: 1 },
    k: 3,
    steps: 15,
    transient: 5,
    blocks: 3,
    seed: Stream.path(1, "test/nn/training-tangent/task"),
    index,
  }));
  const one = await parallelMap(trainingLyapunovTask, inputs, { workers: 1 }),
    two = await parallelMap(trainingLyapunovTask, inputs, { workers: 2 });
  assert.deepEqual(
    one.map((r) => r.exponents),
    two.map((r) => r.exponents),
  );
  assert.equal(one[0].exponents.length, 3);
  assert.equal(one[0].losses.length, 20, "one loss per step, transient included");
  const g = { vocab: 8, block: 4, layers: 1, heads: 2, dModel: 4 };
  const corpus = Int32Array.from({ length: 40 }, (_, i) => (i * 5 + ((i * i) % 3)) % 8);
  const r = trainingLyapunovRun({
    source: gptShardConfig(g, corpus, 4),
    eta: 0.5,
    batch: 6,
    theta0: { std: 0.1 },
    k: 2,
    steps: 6,
    blocks: 2,
    seed: Stream.path(1, "test/nn/training-tangent/gpt-task"),
    index: 0,
  });
  assert.equal(r.exponents.length, 2);
  assert.ok(r.exponents.every(Number.isFinite));
});
