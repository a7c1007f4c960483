import { test } from "node:test";
import assert from "node:assert/strict";
import {
  Tape,
  Node,
  matmul,
  addRow,
  tanh,
  sigmoid,
  softplus,
  exp,
  log,
  relu,
  gelu,
  mse,
  softmaxCrossEntropy,
  sum,
  mul,
  slice,
  mlpObjective,
  mlpParameterCount,
} from "../../lib/nn";
import { TanhMlp, gradient, hessian } from "../../lib/models";
import { Stream } from "../../lib/random";
import { centralDifference, derivatives, rnd, type Build } from "./finite-difference";

function checkOp(name: string, build: Build, D: number) {
  const s = Stream.named(5, `test/nn/${name}`);
  const theta = rnd(s, D, 0.7),
    v = rnd(s, D);
  const { g, hv } = derivatives(build, theta, v);
  for (let i = 0; i < D; i++) {
    const e = new Float64Array(D);
    e[i] = 1;
    const fd = centralDifference((t) => Float64Array.of(derivatives(build, t).f), theta, e, 1e-3);
    assert.ok(
      Math.abs(g[i] - fd.value[0]) <= fd.tol[0],
      `${name}: ∂f/∂θ${i} = ${g[i]} vs ${fd.value[0]} ± ${fd.tol[0]}`,
    );
  }
  const fdh = centralDifference((t) => derivatives(build, t).g, theta, v, 1e-3);
  for (let i = 0; i < D; i++)
    assert.ok(
      Math.abs(hv[i] - fdh.value[i]) <= fdh.tol[i],
      `${name}: (Hv)${i} = ${hv[i]} vs ${fdh.value[i]} ± ${fdh.tol[i]}`,
    );
}

test("every op's gradient and Hessian-vector product against central differences (tolerance from the scheme's own error)", () => {
  const c = (n: number, seed: string) => rnd(Stream.named(6, seed), n);
  const weigh = (tape: Tape, y: Node, seed: string) => sum(tape, mul(tape, y, tape.constant(c(y.size, seed), y.shape)));
  checkOp("matmul", (tp, th) => weigh(tp, matmul(tp, slice(tp, th, 0, [3, 4]), slice(tp, th, 12, [4, 2])), "c1"), 20);
  checkOp(
    "addRow",
    (tp, th) =>
      weigh(
        tp,
        mul(
          tp,
          addRow(tp, slice(tp, th, 0, [3, 4]), slice(tp, th, 12, [4])),
          addRow(tp, slice(tp, th, 0, [3, 4]), slice(tp, th, 12, [4])),
        ),
        "c2",
      ),
    16,
  );
  checkOp("tanh", (tp, th) => weigh(tp, tanh(tp, slice(tp, th, 0, [5, 3])), "c3"), 15);
  checkOp("mul-self", (tp, th) => weigh(tp, mul(tp, th, th), "c4"), 7);
  for (const [name, op] of [
    ["sigmoid", sigmoid],
    ["softplus", softplus],
    ["exp", exp],
    ["relu", relu],
    ["gelu", gelu],
  ] as const) {
    checkOp(name, (tp, th) => weigh(tp, mul(tp, op(tp, th), th), `c-${name}`), 9);
  }
  checkOp("log", (tp, th) => weigh(tp, log(tp, softplus(tp, th)), "c-log"), 9);
  checkOp(
    "softmax-cross-entropy",
    (tp, th) =>
      softmaxCrossEntropy(tp, matmul(tp, slice(tp, th, 0, [5, 3]), slice(tp, th, 15, [3, 4])), [0, 3, 1, 1, 2]),
    27,
  );
  checkOp(
    "mse-of-network",
    (tp, th) => mse(tp, tanh(tp, matmul(tp, slice(tp, th, 0, [4, 3]), slice(tp, th, 12, [3, 2]))), c(8, "t")),
    18,
  );
});

test("a quadratic ½θᵀAθ: the gradient is Aθ and the HVP is Av exactly (to rounding)", () => {
  const D = 6,
    s = Stream.named(7, "test/nn/quadratic");
  const m = rnd(s, D * D);
  const A = Float64Array.from({ length: D * D }, (_, k) => {
    const i = Math.floor(k / D),
      j = k % D;
    return m[i * D + j] + m[j * D + i];
  });
  const theta = rnd(s, D),
    v = rnd(s, D);
  const build: Build = (tp, th) => {
    const col = slice(tp, th, 0, [D, 1]);
    const half = tp.constant(
      Float64Array.from({ length: D }, () => 0.5),
      [D, 1],
    );
    return sum(tp, mul(tp, mul(tp, col, half), matmul(tp, tp.constant(A, [D, D]), col)));
  };
  const { g, hv } = derivatives(build, theta, v);
  for (let i = 0; i < D; i++) {
    let ai = 0,
      av = 0;
    for (let j = 0; j < D; j++) {
      ai += A[i * D + j] * theta[j];
      av += A[i * D + j] * v[j];
    }
    assert.ok(Math.abs(g[i] - ai) < 1e-13 * (1 + Math.abs(ai)));
    assert.ok(Math.abs(hv[i] - av) < 1e-13 * (1 + Math.abs(av)));
  }
});

/** The project's D = 51 tanh network (8 inputs, 5 hidden, 12 samples) and its parameters in our MLP layout. */
function tanhMlpAndTheta() {
  const net = TanhMlp.teacherStudent(Stream.named(1, "tanh-teacher-network"), { inputs: 8, hidden: 5, samples: 12 });
  const x = rnd(Stream.named(8, "test/nn/point"), net.dim, 0.5);
  const d = net.inputs,
    h = net.hidden,
    stride = d + 2;
  const theta = new Float64Array(d * h + h + h + 1);
  for (let k = 0; k < h; k++) {
    for (let j = 0; j < d; j++) theta[j * h + k] = x[k * stride + j];
    theta[d * h + k] = x[k * stride + d];
    theta[d * h + h + k] = x[k * stride + d + 1];
  }
  theta[d * h + 2 * h] = x[net.dim - 1];
  // θ index of TanhMlp coordinate
  const map = new Int32Array(net.dim);
  for (let k = 0; k < h; k++) {
    for (let j = 0; j < d; j++) map[k * stride + j] = j * h + k;
    map[k * stride + d] = d * h + k;
    map[k * stride + d + 1] = d * h + h + k;
  }
  map[net.dim - 1] = d * h + 2 * h;
  return {
    net,
    x,
    theta,
    map,
    spec: { widths: [d, h, 1], activations: ["tanh", "identity"] as ("tanh" | "identity")[] },
  };
}

test("the D = 51 tanh network: gradient equal to TanhMlp's to 1e-12, full Hessian (from HVPs) equal to its exact Hessian and symmetric", () => {
  const { net, x, theta, map, spec } = tanhMlpAndTheta();
  assert.equal(mlpParameterCount(spec), net.dim);
  const ref = gradient(net, x),
    H = hessian(net, x);
  const D = net.dim;
  const ours = mlpObjective(spec, { inputs: net.data, targets: net.targets }).evaluate(theta);
  const gmax = Math.max(...ref.map(Math.abs));
  for (let i = 0; i < D; i++) assert.ok(Math.abs(ours.gradient[map[i]] - ref[i]) <= 1e-12 * gmax, `∂L/∂x${i}`);
  const Hours = new Float64Array(D * D);
  for (let j = 0; j < D; j++) {
    const e = new Float64Array(D);
    e[j] = 1;
    const col = mlpObjective(spec, { inputs: net.data, targets: net.targets }).evaluate(theta, e).hvp!;
    for (let i = 0; i < D; i++) Hours[i * D + j] = col[i];
  }
  const hmax = Math.max(...H.map(Math.abs));
  for (let i = 0; i < D; i++)
    for (let j = 0; j < D; j++) {
      assert.ok(Math.abs(Hours[map[i] * D + map[j]] - H[i * D + j]) <= 1e-12 * hmax, `H[${i}, ${j}]`);
      assert.ok(Math.abs(Hours[i * D + j] - Hours[j * D + i]) <= 1e-13 * hmax, "symmetric");
    }
});

test("bad input: shape mismatches name both shapes; backward needs a finite scalar; sizes are checked", () => {
  const tp = new Tape();
  const a = tp.param(new Float64Array(6), [2, 3]),
    b = tp.param(new Float64Array(8), [4, 2]);
  assert.throws(() => matmul(tp, a, b), /matmul: shapes \[2, 3\] and \[4, 2\]/);
  assert.throws(() => addRow(tp, a, tp.param(new Float64Array(2), [2])), /addRow: shapes \[2, 3\] and \[2\]/);
  assert.throws(() => tp.backward(a), /scalar loss/);
  assert.throws(() => softmaxCrossEntropy(tp, a, [0, 3]), /label 1 is 3, outside 0…2/);
  assert.throws(() => log(tp, tp.param([-1], [1])), /log\(-1\) is not finite/);
  assert.throws(() => tp.backward(mse(tp, tp.param([Infinity], [1]), [0])), /loss is/);
  const tiny = mlpObjective(
    { widths: [2, 3], activations: ["tanh"] },
    { inputs: [1, 2], labels: [2] },
    { loss: "cross-entropy" },
  );
  assert.throws(() => tiny.evaluate(new Float64Array(2)), /θ/);
  assert.throws(
    () =>
      mlpObjective(
        { widths: [2, 3], activations: ["tanh"] },
        { inputs: [1, 2], labels: [3] },
        { loss: "cross-entropy" },
      ),
    /label 0 is 3, outside 0…2/,
  );
  assert.throws(
    () => mlpObjective({ widths: [2, 3], activations: ["tanh"] }, { inputs: [1, 2, 3], targets: [0, 0, 0] }),
    /number of inputs/,
  );
  assert.throws(
    () => mlpObjective({ widths: [2, 3], activations: ["swish" as "tanh"] }, { inputs: [1, 2], targets: [0, 0, 0] }),
    /unknown activation "swish"/,
  );
  assert.throws(() => mlpObjective({ widths: [2, 3], activations: ["tanh"] }, { inputs: [1, 2] }), /needs targets/);
});

test("softmax cross-entropy: equal logits give log C; the gradient rows sum to zero; extreme logits stay finite", () => {
  const tp = new Tape();
  const z = tp.param(new Float64Array(8), [2, 4]);
  const L = softmaxCrossEntropy(tp, z, [1, 3]);
  assert.ok(Math.abs(L.value[0] - Math.log(4)) < 1e-15);
  tp.backward(L);
  for (let i = 0; i < 2; i++) assert.ok(Math.abs(z.grad!.slice(i * 4, i * 4 + 4).reduce((a, b) => a + b, 0)) < 1e-16);
  const t2 = new Tape();
  const big = softmaxCrossEntropy(t2, t2.param([1000, -1000, 0], [1, 3]), [0]);
  assert.ok(Math.abs(big.value[0]) < 1e-300 || big.value[0] === 0);
});

test("shape ops, layer norm and causal multi-head attention: gradient and HVP against central differences", async () => {
  const nn = await import("../../lib/nn");
  const c = (n: number, seed: string) => rnd(Stream.named(6, seed), n);
  const weigh = (tape: Tape, y: Node, seed: string) => sum(tape, mul(tape, y, tape.constant(c(y.size, seed), y.shape)));
  checkOp(
    "transpose-scale",
    (tp, th) =>
      weigh(
        tp,
        mul(
          tp,
          nn.scale(tp, nn.transpose(tp, slice(tp, th, 0, [2, 3])), 1.7),
          nn.transpose(tp, slice(tp, th, 0, [2, 3])),
        ),
        "s1",
      ),
    6,
  );
  checkOp(
    "rowMean-addCol-mulCol",
    (tp, th) => {
      const x = slice(tp, th, 0, [3, 4]);
      const mu = nn.rowMean(tp, mul(tp, x, x));
      return weigh(tp, nn.mulCol(tp, nn.addCol(tp, x, mu), mu), "s2");
    },
    12,
  );
  checkOp("mulRow", (tp, th) => weigh(tp, nn.mulRow(tp, slice(tp, th, 0, [3, 4]), slice(tp, th, 12, [4])), "s3"), 16);
  checkOp(
    "gatherRows",
    (tp, th) =>
      weigh(
        tp,
        mul(
          tp,
          nn.gatherRows(tp, slice(tp, th, 0, [4, 3]), [2, 0, 2, 3]),
          nn.gatherRows(tp, slice(tp, th, 0, [4, 3]), [1, 1, 0, 3]),
        ),
        "s4",
      ),
    12,
  );
  checkOp("rowSoftmax", (tp, th) => weigh(tp, nn.rowSoftmax(tp, slice(tp, th, 0, [3, 4])), "s5"), 12);
  checkOp(
    "rowSoftmax-causal",
    (tp, th) => weigh(tp, nn.rowSoftmax(tp, slice(tp, th, 0, [6, 3]), { causalBlock: 3 }), "s6"),
    18,
  );
  checkOp(
    "columnSlice-placeColumns",
    (tp, th) =>
      weigh(
        tp,
        mul(
          tp,
          nn.placeColumns(tp, nn.columnSlice(tp, slice(tp, th, 0, [3, 4]), 1, 2), 2, 5),
          nn.placeColumns(tp, nn.columnSlice(tp, slice(tp, th, 0, [3, 4]), 0, 2), 2, 5),
        ),
        "s9",
      ),
    12,
  );
  checkOp(
    "layerNorm",
    (tp, th) =>
      weigh(tp, nn.layerNorm(tp, slice(tp, th, 0, [3, 5]), slice(tp, th, 15, [5]), slice(tp, th, 20, [5])), "s7"),
    25,
  );
  // attention: T = 4 tokens, d = 4, 2 heads of size 2; θ holds x and the four projections
  checkOp(
    "causalSelfAttention",
    (tp, th) =>
      weigh(
        tp,
        nn.causalSelfAttention(
          tp,
          slice(tp, th, 0, [4, 4]),
          slice(tp, th, 16, [4, 4]),
          slice(tp, th, 32, [4, 4]),
          slice(tp, th, 48, [4, 4]),
          slice(tp, th, 64, [4, 4]),
          2,
        ),
        "s8",
      ),
    80,
  );
});

test("attention is causal (a token does not see later ones) and layer norm normalises", async () => {
  const nn = await import("../../lib/nn");
  const s = Stream.named(9, "test/nn/causal");
  const W = () => rnd(s, 16, 0.5);
  const x = rnd(s, 16),
    Wq = W(),
    Wk = W(),
    Wv = W(),
    Wo = W();
  const run = (xs: Float64Array) => {
    const tp = new Tape();
    return nn.causalSelfAttention(
      tp,
      tp.constant(xs, [4, 4]),
      tp.constant(Wq, [4, 4]),
      tp.constant(Wk, [4, 4]),
      tp.constant(Wv, [4, 4]),
      tp.constant(Wo, [4, 4]),
      2,
    ).value;
  };
  const a = run(x),
    x2 = Float64Array.from(x);
  x2[12] += 1; // change the last token only
  const b = run(x2);
  for (let i = 0; i < 12; i++) assert.equal(a[i], b[i], "earlier outputs unchanged");
  assert.notEqual(a[12], b[12]);
  const tp = new Tape();
  const y = nn.layerNorm(
    tp,
    tp.constant(x, [4, 4]),
    tp.constant([1, 1, 1, 1], [4]),
    tp.constant([0, 0, 0, 0], [4]),
    0,
  ).value;
  for (let r = 0; r < 4; r++) {
    const row = Array.from(y.slice(r * 4, r * 4 + 4));
    const m = row.reduce((p, q) => p + q, 0) / 4,
      v = row.reduce((p, q) => p + (q - m) ** 2, 0) / 4;
    assert.ok(Math.abs(m) < 1e-15 && Math.abs(v - 1) < 1e-12);
  }
  assert.throws(() => nn.gatherRows(tp, tp.constant(new Float64Array(6), [3, 2]), [3]), /index 0 is 3, outside 0…2/);
});

test("the wasm SIMD matmul kernel is built, and agrees with the plain JS loop bit for bit (odd sizes exercise the remainders)", async () => {
  const { matmulInto, matmulJs, wasmKernel } = await import("../../lib/kernels");
  assert.ok(wasmKernel() !== null, "lib/kernels/kernels.wasm missing: run npm run build:wasm");
  const s = Stream.named(3, "test/nn/kernel");
  for (const [m, k, n] of [
    [1, 1, 1],
    [5, 7, 3],
    [8, 9, 12],
    [13, 4, 17],
    [64, 33, 65],
  ]) {
    const A = rnd(s, m * k),
      B = rnd(s, k * n);
    assert.deepEqual(
      matmulInto(A, B, new Float64Array(m * n), m, k, n),
      matmulJs(A, B, new Float64Array(m * n), m, k, n),
      `[${m}, ${k}]·[${k}, ${n}]`,
    );
  }
  assert.throws(() => matmulInto(new Float64Array(3), new Float64Array(3), new Float64Array(1), 1, 2, 1), /do not fit/);
});
