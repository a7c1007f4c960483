import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "path";
import { spawnSync } from "child_process";
import { Stream } from "../../lib/random";
import { GptGradient, gptInit, gptLayout, tokenWindows, type GptSpec } from "../../lib/nn";

/**
 * lib/nn's lecture model against the same model written in PyTorch (tools/bench/gpt-reference.py:
 * nn.Linear, nn.Embedding, nn.LayerNorm, F.relu, scores times C**-0.5, F.cross_entropy), on the
 * same θ: loss and gradient agree to float64 rounding. This checks the architecture itself (the
 * biases, the untied head, the score scale, ReLU), which the tape-against-hand tests cannot: both
 * of those implement lib/nn's definition. Skipped where no python3 has torch (Debian: python3-torch).
 */
const script = path.join(__dirname, "..", "..", "tools", "bench", "gpt-reference.py");
function torch(input: object): { loss: number; gradient: number[] } | null {
  for (const python of ["python3", "/usr/bin/python3"]) {
    const r = spawnSync(python, [script, "--check"], {
      input: JSON.stringify(input),
      encoding: "utf8",
      env: { ...process.env, OPENBLAS_NUM_THREADS: "1" },
      timeout: 120_000,
    });
    if (r.status === 0) return JSON.parse(r.stdout.trim().split("\n").pop()!);
  }
  return null;
}
const hasTorch = ["python3", "/usr/bin/python3"].some((p) => spawnSync(p, ["-c", "import torch"]).status === 0);

test(
  "the lecture's GPT equals PyTorch's on the same θ: loss and gradient to float64 rounding",
  { skip: hasTorch ? false : "python3 with torch not found" },
  () => {
    const spec: GptSpec = { vocab: 11, block: 8, layers: 2, heads: 2, dModel: 8 };
    const theta = gptInit(spec, Stream.named(5, "test/nn/gpt-torch"));
    const s = Stream.named(5, "test/nn/gpt-torch/corpus");
    const corpus = Int32Array.from({ length: 100 }, () => s.int(spec.vocab));
    const win = tokenWindows(corpus, [3, 40, 71], 8);
    const ref = torch({
      spec,
      theta: Array.from(theta),
      inputs: Array.from(win.inputs),
      targets: Array.from(win.targets),
      sequences: win.sequences,
    });
    assert.ok(ref, "PyTorch ran");
    assert.equal(ref!.gradient.length, gptLayout(spec).dim);
    const ours = new GptGradient(spec).evaluate(theta, win);
    assert.ok(Math.abs(ours.loss - ref!.loss) < 1e-12 * ref!.loss, `loss ${ours.loss} vs PyTorch ${ref!.loss}`);
    let worst = 0,
      scale = 0;
    for (let i = 0; i < ref!.gradient.length; i++) {
      worst = Math.max(worst, Math.abs(ours.gradient[i] - ref!.gradient[i]));
      scale = Math.max(scale, Math.abs(ref!.gradient[i]));
    }
    assert.ok(worst < 1e-11 * scale, `max |Δg| = ${worst} of ${scale}`);
    // the nanoGPT variant is another function: its loss on the same windows differs
    const nano = new GptGradient({ ...spec, variant: "nanogpt" }).evaluate(
      gptInit({ ...spec, variant: "nanogpt" }, Stream.named(5, "test/nn/gpt-torch")),
      win,
    ).loss;
    assert.ok(Math.abs(nano - ref!.loss) > 1e-3);
  },
);
