import { test } from "node:test";
import assert from "node:assert/strict";
import { Stream } from "../../lib/random";
import { GptGradient, gptInit, gptObjective, tokenWindows, type GptVariant } from "../../lib/nn";
import type { GptSpec } from "../../lib/nn";

const specs: GptSpec[] = (["lecture", "nanogpt"] as GptVariant[]).map((variant) => ({
  vocab: 7,
  block: 6,
  layers: 2,
  heads: 2,
  dModel: 8,
  variant,
}));

function windowsFor(spec: GptSpec, seed: number, B: number, T: number) {
  const s = new Stream("test/gpt-gradient", seed);
  const corpus = Int32Array.from({ length: 80 }, () => Math.floor(s.uniform() * spec.vocab));
  return tokenWindows(
    corpus,
    Array.from({ length: B }, (_, b) => 7 * b + 1),
    T,
  );
}

const maxAbs = (a: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
};
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

for (const spec of specs) {
  test(`GptGradient (${spec.variant}): the hand-written loss and gradient equal the tape's (gptObjective) to rounding`, () => {
    // a large init so that every nonlinearity (softmax, GELU or ReLU, layer norm) is far from linear
    const theta = gptInit(spec, new Stream("test/gpt-gradient", 0), { std: 0.5 });
    for (const [B, T] of [
      [3, 5],
      [2, 6],
      [1, 1],
    ]) {
      const win = windowsFor(spec, B * 10 + T, B, T);
      const tape = gptObjective(spec, win).evaluate(theta);
      const fast = new GptGradient(spec).evaluate(theta, win);
      assert.ok(Math.abs(fast.loss - tape.loss) < 1e-12 * Math.abs(tape.loss), `loss ${fast.loss} vs ${tape.loss}`);
      const worst = maxDiff(fast.gradient, tape.gradient),
        scale = maxAbs(tape.gradient);
      assert.ok(worst < 1e-11 * scale, `B = ${B}, T = ${T}: max |Δg| = ${worst} of ${scale}`);
    }
  });

  test(`GptGradient (${spec.variant}): a central difference of the loss along a random direction matches ⟨g, v⟩; workspace reuse changes nothing; the JS loops give the same bits`, () => {
    const theta = gptInit(spec, new Stream("test/gpt-gradient", 1), { std: 0.5 });
    const v = new Stream("test/gpt-gradient", 2).fillNormal(new Float64Array(theta.length));
    const win = windowsFor(spec, 3, 2, 6);
    const gg = new GptGradient(spec);
    const { gradient } = gg.evaluate(theta, win);
    const g0 = Float64Array.from(gradient);
    const at = (e: number) =>
      gg.evaluate(
        theta.map((t, i) => t + e * v[i]),
        win,
      ).loss;
    const eps = 1e-5,
      fd = (at(eps) - at(-eps)) / (2 * eps);
    const dot = g0.reduce((a, gi, i) => a + gi * v[i], 0);
    assert.ok(Math.abs(fd - dot) < 1e-7 * Math.max(1, Math.abs(dot)), `fd ${fd} vs ${dot}`);
    assert.deepEqual(gg.evaluate(theta, win).gradient, g0);
    const js = new GptGradient(spec, { wasm: false }).evaluate(theta, win);
    assert.deepEqual(js.gradient, g0);
    assert.throws(() => gg.evaluate(theta.subarray(1), win), /θ/);
    assert.throws(
      () => gg.evaluate(theta, { inputs: Int32Array.of(1, 9), targets: Int32Array.of(2, 3), sequences: 1 }),
      /outside 0 … 6/,
    );
    assert.throws(() => gg.evaluate(theta, windowsFor(spec, 4, 1, 7)), /block size 6/);
  });
}

/**
 * The float32 path's distance to the float64 path, bounded by float32 rounding.
 *
 * Derivation. With u = 2⁻²⁴ (float32's unit roundoff), a float32 dot product of length k has
 * |fl(xᵀy) − xᵀy| ≤ γ_k Σ|x_i y_i|, γ_k = k·u/(1 − k·u) (Higham, Accuracy and Stability of
 * Numerical Algorithms, 2002, §3.1); an element-wise operation or a rounded store errs by at most
 * u relative. The float32 evaluation is the float64 one with each stage's output perturbed by such
 * a relative error (θ itself is rounded on the way in: one more stage with k = 1). Along the
 * sequential chain of stages that produce the gradient (forward: embeddings; per layer the layer
 * norm (sums of length d), Q/K/V (k = d), scores (k = s), softmax (sums of length T), P·V (k = T),
 * projection (k = h·s) with its residual, layer norm, W1 (k = d), activation, W2 (k = 4d) with its
 * residual; the final norm and the logits (k = d); the cross-entropy (sums of length V); backward:
 * each of these again, twice where a product has a weight and an input gradient, plus the weight
 * gradients' sums over the R = B·T rows), the first-order relative error of the result is at most
 * Σ_stages g_stage·γ_{k_stage}, where g_stage is how much a relative perturbation of that stage
 * grows on its way to the output. Layer norms rescale the residual stream to unit variance and a
 * softmax is 1-Lipschitz, so we take g = 1 (the assumption of this bound; a model in a
 * sharply-conditioned state could exceed it, which is why the test runs at a generic point). A
 * softmax's exp also carries the rounding of its float32 argument x − max, |x − max|·u relative,
 * and the polynomial exp of wasm/softmax32.ts a few ulps more: with scores of order one here
 * (layer-normed inputs, weights of order 1/√d), we count 16u for each softmax. The
 * bound on max|g32 − g64| is then max|g64|·Σ γ_k, with the stage list written out below. The
 * measured error is far smaller (rounding errors mostly cancel: ~√(Σk)·u, Higham & Mary 2019), so
 * the test also fails if the float32 path computes a different function (an O(1) error).
 */
function float32Bound(spec: GptSpec, B: number, T: number): number {
  const u = 2 ** -24,
    gamma = (k: number) => (k * u) / (1 - k * u);
  const d = spec.dModel,
    s = spec.headSize ?? d / spec.heads,
    hs = spec.heads * s,
    F = 4 * d,
    V = spec.vocab,
    R = B * T;
  const perLayerForward = [d, d, s, T + 16, T, hs, 1, d, d, 1, F, 1].map(gamma).reduce((a, b) => a + b, 0);
  // backward: input gradients (k = the output width of each product), weight gradients (k = R rows), the softmax's and layer norms' row sums
  const perLayerBackward = [d, F, R, R, d, d, hs, R, s, T + 16, T, R, R, R, hs, hs, hs, d]
    .map(gamma)
    .reduce((a, b) => a + b, 0);
  const ends = [1, 1, d, d, V + 16, V, R, V].map(gamma).reduce((a, b) => a + b, 0); // θ in, embeddings, final norm, logits, cross-entropy (a softmax), head gradients
  return spec.layers * (perLayerForward + perLayerBackward) + ends;
}

// the test shapes, and one wide enough for the kernels' full blocks (16 columns of a head, 16 keys, 8 output columns, 4 rows)
const wide: GptSpec[] = specs.map((sp) => ({ ...sp, vocab: 13, block: 20, heads: 1, layers: 1, dModel: 16 }));
for (const spec of [...specs, ...wide]) {
  test(`GptGradient (${spec.variant}, d = ${spec.dModel}) in float32: loss and gradient within the float32 rounding bound of the float64 path, in WebAssembly and in its JS loops`, () => {
    const theta = gptInit(spec, new Stream("test/gpt-gradient", 5), { std: 0.5 });
    for (const [B, T] of spec.block === 20
      ? [
          [2, 20],
          [1, 17],
        ]
      : [
          [3, 5],
          [2, 6],
        ]) {
      const win = windowsFor(spec, 20 + B, B, T);
      const g64 = new GptGradient(spec).evaluate(theta, win);
      const bound = float32Bound(spec, B, T),
        scale = maxAbs(g64.gradient);
      for (const wasm of [true, false]) {
        const f32 = new GptGradient(spec, { precision: "float32", wasm });
        const g32 = f32.evaluate(theta, win, new Float32Array(theta.length));
        assert.ok(g32.gradient instanceof Float32Array);
        const err = maxDiff(g32.gradient, g64.gradient);
        assert.ok(
          err <= bound * scale,
          `${wasm ? "wasm" : "JS"}, B = ${B}, T = ${T}: max |g32 − g64| = ${err.toExponential(2)} > bound ${(bound * scale).toExponential(2)} (Σγ = ${bound.toExponential(2)})`,
        );
        assert.ok(err > 0, "float32 differs from float64 somewhere");
        if (process.env.GPT_F32_VERBOSE)
          console.log(
            `${spec.variant} d=${spec.dModel} ${wasm ? "wasm" : "JS"} B=${B} T=${T}: err/scale ${(err / scale).toExponential(2)}, bound ${bound.toExponential(2)}`,
          );
        const logits = maxAbs(new GptGradient(spec).logits(theta, win));
        assert.ok(
          Math.abs(g32.loss - g64.loss) <= bound * Math.max(g64.loss, logits),
          `loss ${g32.loss} vs ${g64.loss}`,
        );
        assert.equal(f32.loss(theta, win), g32.loss, "loss() is evaluate()'s loss");
      }
    }
  });
}

test("GptGradient: a float32 θ is accepted and an unknown precision refused", () => {
  const spec = specs[0];
  const theta = gptInit(spec, new Stream("test/gpt-gradient", 6));
  const win = windowsFor(spec, 1, 2, 4);
  const gg = new GptGradient(spec, { precision: "float32" });
  assert.deepEqual(gg.evaluate(Float32Array.from(theta), win).gradient, gg.evaluate(theta, win).gradient);
  assert.throws(
    () => new GptGradient(spec, { precision: "float16" as "float32" }),
    /precision must be "float32" or "float64", got "float16"/,
  );
});
