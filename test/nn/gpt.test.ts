import { test } from "node:test";
import assert from "node:assert/strict";
import {
  Tape,
  gptLayout,
  gptInit,
  gptInitVariance,
  gptForward,
  gptObjective,
  tokenWindows,
  concatRows,
  sum,
  mul,
  slice,
  attentionScale,
  loadMobyDick,
  type GptSpec,
  type GptVariant,
} from "../../lib/nn";
import { Stream } from "../../lib/random";
import { centralDifference, rnd } from "./finite-difference";

const spec: GptSpec = { vocab: 5, block: 4, layers: 2, heads: 2, dModel: 4, variant: "nanogpt" };
const lecture: GptSpec = { ...spec, variant: "lecture" };

test("GPT layout: the parameter counts of nanoGPT (tied embeddings) and of the lecture's model (untied head, projection biases)", () => {
  const { blocks, dim } = gptLayout(spec);
  const d = 4,
    V = 5,
    L = 2,
    per = 2 * d + 4 * d * d + 2 * d + d * 4 * d + 4 * d + 4 * d * d + d;
  assert.equal(dim, V * d + 4 * d + L * per + 2 * d);
  assert.equal(blocks[blocks.length - 1].offset + blocks[blocks.length - 1].size, dim);
  assert.deepEqual(blocks.find((b) => b.name === "h1.attn.Wo")!.shape, [4, 4]);
  assert.throws(() => gptLayout({ ...spec, dModel: 5 }), /does not split into 2 heads/);
  assert.equal(
    gptLayout({ ...spec, dModel: 5, headSize: 3 })
      .blocks.find((b) => b.name === "h0.attn.Wq")!
      .shape.join(),
    "5,6",
  );
  // the lecture adds a bias of d per layer to the projection and an untied head W [d, V] with its bias [V]
  assert.equal(gptLayout(lecture).dim, dim + L * d + d * V + V);
  assert.equal(
    gptLayout({ vocab: 5, block: 4, layers: 2, heads: 2, dModel: 4 }).dim,
    gptLayout(lecture).dim,
    "the default variant is the lecture's",
  );
  assert.throws(
    () => gptLayout({ ...spec, variant: "gpt2" as GptVariant }),
    /variant must be one of "lecture", "nanogpt", got "gpt2"/,
  );
  // the talk's "about 2.1·10⁵ parameters": the small configuration at Shakespeare's 65 characters (PyTorch counts the same, tools/bench/gpt-reference.py)
  const small = { block: 32, layers: 4, heads: 4, dModel: 64 };
  assert.equal(gptLayout({ ...small, vocab: 65 }).dim, 209_729);
  assert.equal(gptLayout({ ...small, vocab: 65, variant: "nanogpt" }).dim, 205_248);
  // Moby-Dick's alphabet (the corpus here): 64 + 64 + 1 more parameters per character (wte row, head column, head bias)
  const V89 = loadMobyDick().alphabet.length;
  assert.equal(V89, 89);
  assert.equal(gptLayout({ ...small, vocab: V89 }).dim, 209_729 + (V89 - 65) * 129);
  assert.equal(gptLayout({ ...small, vocab: V89, variant: "nanogpt" }).dim, 206_784);
});

test("GPT attention scale: head_size^−½ for nanoGPT, n_embd^−½ for the lecture's script (its C**-0.5)", () => {
  assert.equal(attentionScale({ ...spec, dModel: 64, heads: 4 }), 1 / Math.sqrt(16));
  assert.equal(attentionScale({ ...lecture, dModel: 64, heads: 4 }), 1 / Math.sqrt(64));
});

test("gptInit, lecture: PyTorch's defaults, U(±1/√fan_in) for Linear weights and biases, N(0, 1) embeddings, LN 1 and 0", () => {
  const big: GptSpec = { vocab: 65, block: 32, layers: 4, heads: 4, dModel: 64 };
  const theta = gptInit(big, Stream.named(3, "test/nn/gpt-init"));
  const { blocks } = gptLayout(big);
  const fanIn: Record<string, number> = {
    Wq: 64,
    Wk: 64,
    Wv: 64,
    Wo: 64,
    bo: 64,
    W1: 64,
    b1: 64,
    W2: 256,
    b2: 256,
    W: 64,
    b: 64,
  };
  for (const b of blocks) {
    const x = theta.subarray(b.offset, b.offset + b.size),
      kind = b.name.split(".").pop()!;
    if (kind === "gamma") {
      assert.ok(
        x.every((v) => v === 1),
        b.name,
      );
      assert.equal(gptInitVariance(big, b.name), 0);
      continue;
    }
    if (kind === "beta") {
      assert.ok(
        x.every((v) => v === 0),
        b.name,
      );
      continue;
    }
    const n = x.length,
      m2 = x.reduce((a, v) => a + v * v, 0) / n;
    if (b.name === "wte" || b.name === "wpe") {
      assert.equal(gptInitVariance(big, b.name), 1);
      // E x² = 1 for N(0, 1); Var x² = 2: z = (m2 − 1)/√(2/n), tested at |z| < 5 (a 6e-7 chance per block if the law is right)
      assert.ok(Math.abs(m2 - 1) / Math.sqrt(2 / n) < 5, `${b.name}: mean square ${m2}`);
      continue;
    }
    const bound = 1 / Math.sqrt(fanIn[kind]);
    assert.ok(Math.abs(gptInitVariance(big, b.name) - bound ** 2 / 3) < 1e-15, `${b.name}: gptInitVariance`);
    assert.ok(
      x.every((v) => Math.abs(v) <= bound),
      `${b.name} within ±1/√${fanIn[kind]}`,
    );
    // U(−c, c): E x² = c²/3, Var x² = E x⁴ − (E x²)² = c⁴/5 − c⁴/9 = 4c⁴/45
    const z = (m2 - bound ** 2 / 3) / Math.sqrt((4 * bound ** 4) / 45 / n);
    assert.ok(Math.abs(z) < 5, `${b.name}: mean square ${m2} vs c²/3 = ${bound ** 2 / 3} (z = ${z})`);
  }
  // the MP scale of a head at initialisation: d·variance = 1/3 for the lecture, 64·0.02² for nanoGPT
  assert.ok(Math.abs(64 * gptInitVariance(big, "h0.attn.Wk") - 1 / 3) < 1e-15);
  assert.ok(Math.abs(64 * gptInitVariance({ ...big, variant: "nanogpt" }, "h0.attn.Wk") - 64 * 0.02 ** 2) < 1e-15);
  assert.equal(gptInitVariance({ ...big, variant: "nanogpt" }, "h0.mlp.W2"), 0.02 ** 2 / 8);
  assert.throws(() => gptInitVariance(big, "h9.attn.Wk"), /no block "h9.attn.Wk"/);
});

for (const sp of [spec, lecture])
  test(`GPT (${sp.variant}): gradient and HVP of the next-token loss (two stacked sequences) against central differences`, () => {
    const s = Stream.named(21, `test/nn/gpt/${sp.variant}`);
    const spec = sp;
    const { dim } = gptLayout(spec);
    // a non-trivial point: nanoGPT's init at scale 0.5 (the lecture's default init is already O(1)) so that attention and layer norm are far from linear
    const theta = gptInit(spec, s.child("init"), { std: 0.5 });
    const w = tokenWindows([0, 3, 1, 4, 2, 2, 0, 1, 3, 4], [0, 4], 4);
    const obj = gptObjective(spec, w);
    const v = rnd(s, dim);
    const { loss, gradient, hvp } = obj.evaluate(theta, v);
    const f = (t: Float64Array) => Float64Array.of(obj.evaluate(t).loss);
    for (let k = 0; k < 4; k++) {
      const u = rnd(s, dim);
      const fd = centralDifference(f, theta, u, 1e-3);
      const gu = gradient.reduce((a, g, i) => a + g * u[i], 0);
      assert.ok(
        Math.abs(gu - fd.value[0]) <= fd.tol[0],
        `directional derivative ${gu} vs ${fd.value[0]} ± ${fd.tol[0]}`,
      );
    }
    const fdh = centralDifference((t) => obj.evaluate(t).gradient, theta, v, 1e-3);
    let worst = 0;
    for (let i = 0; i < dim; i++) {
      assert.ok(
        Math.abs(hvp![i] - fdh.value[i]) <= fdh.tol[i],
        `(Hv)${i} = ${hvp![i]} vs ${fdh.value[i]} ± ${fdh.tol[i]}`,
      );
      worst = Math.max(worst, Math.abs(hvp![i] - fdh.value[i]));
    }
    assert.ok(Number.isFinite(loss) && worst > 0);
  });

test("GPT: causal (changing a later token leaves earlier logits unchanged), stacked sequences equal separate ones, loss ≈ log V at a small init", () => {
  const s = Stream.named(22, "test/nn/gpt-props");
  const theta = gptInit(spec, s.child("init"));
  const logits = (tokens: number[], B: number) => {
    const tp = new Tape();
    return gptForward(tp, spec, tp.constant(theta, [theta.length]), tokens, B).value;
  };
  const a = logits([1, 2, 3, 4], 1),
    b = logits([1, 2, 3, 0], 1);
  for (let i = 0; i < 15; i++) assert.equal(a[i], b[i]);
  assert.notEqual(a[15], b[15]);
  const both = logits([1, 2, 3, 4, 1, 2, 3, 0], 2);
  for (let i = 0; i < 20; i++) {
    assert.ok(Math.abs(both[i] - a[i]) < 1e-14);
    assert.ok(Math.abs(both[20 + i] - b[i]) < 1e-14);
  }
  // With weights of scale 0.02 the logits are O(0.02²·d) away from equal: the loss is log V to ~1e-2.
  const L = gptObjective(spec, tokenWindows([0, 1, 2, 3, 4, 0, 1, 2, 3], [0, 2, 4], 4)).evaluate(theta).loss;
  assert.ok(Math.abs(L - Math.log(5)) < 0.01, `initial loss ${L} vs log 5 = ${Math.log(5)}`);
});

test("GPT and concatRows: bad input gives clear errors", () => {
  const theta = gptInit(spec, new Stream(1, 0));
  const tp = new Tape();
  const th = tp.constant(theta, [theta.length]);
  assert.throws(() => gptForward(tp, spec, th, [0, 1, 2, 3, 4], 1), /exceed the block size 4/);
  assert.throws(() => gptForward(tp, spec, th, [0, 1, 2], 2), /do not split into 2 sequences/);
  assert.throws(() => gptForward(tp, spec, th, [0, 7], 1), /index 0 is 7|outside 0…4/);
  assert.throws(() => gptForward(tp, spec, tp.constant([1, 2], [2]), [0], 1), /θ has 2 entries/);
  assert.throws(() => tokenWindows([0, 1, 2], [0, 1], 2), /window 1 starts at 1/);
  assert.throws(
    () => concatRows(tp, [tp.constant([1, 2], [1, 2]), tp.constant([1, 2, 3], [1, 3])]),
    /part 1 has shape \[1, 3\]/,
  );
  // concatRows's adjoint: each part gets its own rows back
  const t2 = new Tape();
  const p = t2.param([1, 2, 3, 4, 5, 6], [6]);
  const c = concatRows(t2, [slice(t2, p, 0, [1, 2]), slice(t2, p, 2, [2, 2])]);
  t2.backward(sum(t2, mul(t2, c, t2.constant([1, 10, 100, 1000, 1e4, 1e5], [3, 2]))));
  assert.deepEqual(Array.from(p.grad!), [1, 10, 100, 1000, 1e4, 1e5]);
});
