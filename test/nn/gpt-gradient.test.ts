import { test } from "node:test";
import assert from "node:assert/strict";
import { Stream } from "../../lib/random";
import { GptGradient, gptInit, gptObjective, tokenWindows } from "../../lib/nn";
import type { GptSpec } from "../../lib/nn";

const spec: GptSpec = { vocab: 7, block: 6, layers: 2, heads: 2, dModel: 8 };

function windowsFor(seed: number, B: number, T: number) {
  const s = new Stream("test/gpt-gradient", seed);
  const corpus = Int32Array.from({ length: 60 }, () => Math.floor(s.uniform() * spec.vocab));
  return tokenWindows(corpus, Array.from({ length: B }, (_, b) => 7 * b + 1), T);
}

test("GptGradient: the hand-written loss and gradient equal the tape's (gptObjective) to rounding", () => {
  // a large init so that every nonlinearity (softmax, GELU, layer norm) is far from linear
  const theta = gptInit(spec, new Stream("test/gpt-gradient", 0), { std: 0.5 });
  for (const [B, T] of [[3, 5], [2, 6], [1, 1]]) {
    const win = windowsFor(B * 10 + T, B, T);
    const tape = gptObjective(spec, win).evaluate(theta);
    const fast = new GptGradient(spec).evaluate(theta, win);
    assert.ok(Math.abs(fast.loss - tape.loss) < 1e-12 * Math.abs(tape.loss), `loss ${fast.loss} vs ${tape.loss}`);
    let worst = 0, scale = 0;
    for (let i = 0; i < theta.length; i++) { worst = Math.max(worst, Math.abs(fast.gradient[i] - tape.gradient[i])); scale = Math.max(scale, Math.abs(tape.gradient[i])); }
    assert.ok(worst < 1e-11 * scale, `B = ${B}, T = ${T}: max |Δg| = ${worst} of ${scale}`);
  }
});

test("GptGradient: a central difference of the loss along a random direction matches ⟨g, v⟩; workspace reuse changes nothing", () => {
  const theta = gptInit(spec, new Stream("test/gpt-gradient", 1), { std: 0.5 });
  const v = new Stream("test/gpt-gradient", 2).fillNormal(new Float64Array(theta.length));
  const win = windowsFor(3, 2, 6);
  const gg = new GptGradient(spec);
  const { gradient } = gg.evaluate(theta, win);
  const g0 = Float64Array.from(gradient);
  const at = (e: number) => gg.evaluate(theta.map((t, i) => t + e * v[i]), win).loss;
  const eps = 1e-5, fd = (at(eps) - at(-eps)) / (2 * eps);
  const dot = g0.reduce((a, gi, i) => a + gi * v[i], 0);
  assert.ok(Math.abs(fd - dot) < 1e-7 * Math.max(1, Math.abs(dot)), `fd ${fd} vs ${dot}`);
  assert.deepEqual(gg.evaluate(theta, win).gradient, g0);
  assert.throws(() => gg.evaluate(theta.subarray(1), win), /θ/);
  assert.throws(() => gg.evaluate(theta, { inputs: Int32Array.of(1, 9), targets: Int32Array.of(2, 3), sequences: 1 }), /outside 0 … 6/);
  assert.throws(() => gg.evaluate(theta, windowsFor(4, 1, 7)), /block size 6/);
});
