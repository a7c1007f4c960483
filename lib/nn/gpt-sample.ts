import { Stream } from "../random/stream";
import { requireInteger, requirePositive } from "../util/validate";
import type { GptSpec, TokenWindows } from "./gpt";

/**
 * Sample `length` characters from the model after `prompt` (token ids), drawing each next token
 * from softmax(logits/temperature) on `stream`; the context is the last spec.block tokens. `gg`
 * gives the logits (a `GptGradient`: the forward pass only). Errors: RangeErrors for a length
 * below 1 or a non-positive temperature.
 */
export function sampleText(
  spec: GptSpec,
  theta: ArrayLike<number>,
  prompt: Int32Array,
  length: number,
  stream: Stream,
  gg: { logits(theta: ArrayLike<number>, w: TokenWindows): ArrayLike<number> },
  temperature = 1,
): Int32Array {
  requireInteger("length", length, 1);
  requirePositive("temperature", temperature);
  const out = Array.from(prompt);
  const V = spec.vocab;
  for (let k = 0; k < length; k++) {
    const ctx = Int32Array.from(out.slice(-spec.block));
    const logits = gg.logits(theta, { inputs: ctx, targets: new Int32Array(ctx.length), sequences: 1 });
    const row = (i: number) => logits[(ctx.length - 1) * V + i];
    let mx = -Infinity;
    for (let c = 0; c < V; c++) mx = Math.max(mx, row(c) / temperature);
    let z = 0;
    const p = new Float64Array(V);
    for (let c = 0; c < V; c++) z += p[c] = Math.exp(row(c) / temperature - mx);
    let u = stream.uniform() * z,
      pick = V - 1;
    for (let c = 0; c < V; c++) {
      u -= p[c];
      if (u <= 0) {
        pick = c;
        break;
      }
    }
    out.push(pick);
  }
  return Int32Array.from(out.slice(prompt.length));
}
