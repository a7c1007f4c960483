// The tape's causal attention: one op for every sequence and head (`causalAttention`) against the
// same attention composed from the tape's primitives, one (sequence, head) at a time, as
// `causalSelfAttention` built it before, measured in the same run. The load is notebook 17's
// grokking model: a one-layer GPT on a + b mod 23 (264 three-token equations, d = 32, 4 heads):
// its gradient, and a sweep with 8 tangents (the GD probe's step).
import { Tape, causalAttention, composedCausalAttention, mul, slice, sum } from "../../lib/nn";
import { Stream } from "../../lib/random";
import { bench } from "./harness";
import type { BenchContext } from "./harness";

/** Runs this file's benchmarks into ctx (see the comment at the top). */
export function run(ctx: BenchContext): void {
  const sequences = 264,
    T = 3,
    heads = 4,
    width = 32,
    size = sequences * T * width;
  const s = new Stream(1, 35);
  const qkv = s.fillNormal(new Float64Array(3 * size)).map((x) => 0.3 * x);
  const weights = s.fillNormal(new Float64Array(size));
  const c = 1 / Math.sqrt(width / heads);
  const rates: Record<string, number> = {};
  for (const k of [1, 8]) {
    const tangents = s.fillNormal(new Float64Array(k * 3 * size));
    for (const [label, op] of [
      ["one op", causalAttention],
      ["composed", composedCausalAttention],
    ] as const) {
      const r = bench(
        `attention (${label}), ${sequences} sequences × ${T} tokens, ${heads} heads, ${k === 1 ? "gradient + 1 HVP" : `${k} tangents`}`,
        "sweeps/s",
        1,
        () => {
          const tape = new Tape(k);
          const th = tape.param(qkv, [3 * size], tangents);
          const part = (i: number) => slice(tape, th, i * size, [sequences * T, width]);
          const O = op(tape, part(0), part(1), part(2), heads, sequences, c);
          tape.backward(sum(tape, mul(tape, mul(tape, O, O), tape.constant(weights, O.shape))));
        },
        7,
        { clock: "cpu" },
      );
      ctx.results.push(r);
      rates[`${label}/${k}`] = r.rate;
    }
    const ratio = rates[`one op/${k}`] / rates[`composed/${k}`];
    console.log(`  attention with ${k} tangent(s): one op ×${ratio.toFixed(1)} the composed primitives`);
    ctx.extra[`attentionOpOverComposed${k}`] = ratio;
  }
}
