// The talk's model (the lecture's GPT at its small configuration: V = 65, block 32, 4 layers × 4
// heads, d = 64, D = 209 729) on one batch of 16 windows × 32 tokens, loss + gradient on one
// thread: the hand-written GptGradient in float32 and float64, its JS loops (the fallback without
// kernels.wasm), and the tape's gptObjective (the reference it is tested against). Where the time
// goes: the forward pass alone, and the share of the products, from their FLOP count at the rate
// the matmul kernel reaches on the model's own shapes. All in CPU time (one thread): on a shared
// machine that is what the code costs, while its wall time depends on the other jobs.
import { Stream } from "../../lib/random";
import { GptGradient, gptInit, gptLayout, gptObjective, tokenWindows, type GptSpec } from "../../lib/nn";
import { KernelArena, type FloatArray, type Precision } from "../../lib/kernels";
import { bench, formatRate } from "./harness";
import type { BenchContext } from "./harness";

/** The talk's model at Shakespeare's 65 characters. */
export const TALK_SPEC: GptSpec = { vocab: 65, block: 32, layers: 4, heads: 4, dModel: 64, variant: "lecture" };

/** The products of one loss + gradient of a GPT on R rows, as [m, k, n] triples (forward, then the two products of the backward pass per forward product). */
function products(spec: GptSpec, R: number): [number, number, number][] {
  const d = spec.dModel,
    F = 4 * d,
    V = spec.vocab;
  const forward: [number, number, number][] = [];
  for (let l = 0; l < spec.layers; l++) forward.push([R, d, d], [R, d, d], [R, d, d], [R, d, d], [R, d, F], [R, F, d]);
  forward.push([R, d, V]);
  // backward: input gradient [R, n]·[n, k] and weight gradient [k, R]·[R, n] of each
  return [
    ...forward,
    ...forward.map(([m, k, n]) => [m, n, k] as [number, number, number]),
    ...forward.map(([m, k, n]) => [k, m, n] as [number, number, number]),
  ];
}

/** Milliseconds the products of `products` take at the kernel's measured rate on each shape. */
function matmulMs(precision: Precision, shapes: [number, number, number][]): { ms: number; flops: number } {
  const arena = new KernelArena<FloatArray>({ precision });
  let ms = 0,
    flops = 0;
  const rate = new Map<string, number>();
  for (const [m, k, n] of shapes) {
    const key = `${m},${k},${n}`;
    if (!rate.has(key)) {
      arena.layout(m * k + k * n + m * n);
      const a = arena.alloc(m * k).fill(0.5),
        b = arena.alloc(k * n).fill(0.25),
        c = arena.alloc(m * n);
      rate.set(
        key,
        bench(
          "",
          "flop/s",
          2 * m * k * n,
          () => {
            for (let r = 0; r < 20; r++) arena.addTimes(a, b, c, m, k, n);
          },
          5,
          { clock: "cpu" },
        ).rate * 20,
      );
    }
    ms += (1000 * 2 * m * k * n) / rate.get(key)!;
    flops += 2 * m * k * n;
  }
  return { ms, flops };
}

/** Runs this file's benchmarks into ctx (see the comment at the top). */
export function run(ctx: BenchContext): void {
  const spec = TALK_SPEC,
    D = gptLayout(spec).dim;
  const corpus = Int32Array.from({ length: 20000 }, (_, i) => (i * 31 + ((i * i) % 17)) % 65);
  const theta = gptInit(spec, new Stream(15, 0));
  const win = tokenWindows(
    corpus,
    Array.from({ length: 16 }, (_, b) => b * 997),
    32,
  );
  const name = (what: string) => `talk's GPT D = ${D}, 16 × 32 tokens: ${what} (CPU time)`;
  const cpu = { clock: "cpu" as const };
  const f64 = new GptGradient(spec),
    f32 = new GptGradient(spec, { precision: "float32" });
  const g64 = new Float64Array(D),
    g32 = new Float32Array(D);
  const r64 = bench(
    name("GptGradient float64, loss + gradient"),
    "tokens/s",
    512,
    () => {
      f64.evaluate(theta, win, g64);
    },
    7,
    cpu,
  );
  const r32 = bench(
    name("GptGradient float32 (f32x4), loss + gradient"),
    "tokens/s",
    512,
    () => {
      f32.evaluate(theta, win, g32);
    },
    7,
    cpu,
  );
  const fwd32 = bench(
    name("GptGradient float32, forward pass only (loss)"),
    "tokens/s",
    512,
    () => {
      f32.loss(theta, win);
    },
    7,
    cpu,
  );
  const loops = new GptGradient(spec, { wasm: false });
  const js = bench(
    name("GptGradient float64 on plain JS loops ({ wasm: false }, same arithmetic)"),
    "tokens/s",
    512,
    () => {
      loops.evaluate(theta, win);
    },
    3,
    cpu,
  );
  const obj = gptObjective(spec, win);
  const tape = bench(
    name("the tape's gptObjective float64, loss + gradient"),
    "tokens/s",
    512,
    () => {
      obj.evaluate(theta);
    },
    3,
    cpu,
  );
  ctx.results.push(r32, r64, fwd32, js, tape);
  const ms = (r: { rate: number }) => (1000 * 512) / r.rate;
  const mm32 = matmulMs("float32", products(spec, 512)),
    mm64 = matmulMs("float64", products(spec, 512));
  console.log(
    `talk's GPT gradient, one thread, CPU time: float32 ${ms(r32).toFixed(1)} ms, float64 ${ms(r64).toFixed(1)} ms (float32 ×${(r32.rate / r64.rate).toFixed(2)}); float64 is ${(r64.rate / js.rate).toFixed(1)}× its JS loops and ${(r64.rate / tape.rate).toFixed(1)}× the tape`,
  );
  console.log(
    `  where the float32 time goes: forward ${ms(fwd32).toFixed(1)} ms, backward ${(ms(r32) - ms(fwd32)).toFixed(1)} ms; the ${(mm32.flops / 1e6).toFixed(0)} MFLOP of products ${mm32.ms.toFixed(1)} ms at the kernel's rates on these shapes (${formatRate((mm32.flops / mm32.ms) * 1000)}FLOP/s, ${((100 * mm32.ms) / ms(r32)).toFixed(0)} %), the rest (attention, softmaxes, layer norms, embeddings, copies) ${(ms(r32) - mm32.ms).toFixed(1)} ms`,
  );
  console.log(
    `  float64: products ${mm64.ms.toFixed(1)} ms (${formatRate((mm64.flops / mm64.ms) * 1000)}FLOP/s, ${((100 * mm64.ms) / ms(r64)).toFixed(0)} %), the rest ${(ms(r64) - mm64.ms).toFixed(1)} ms`,
  );
  ctx.extra.gptGradient = {
    msFloat32: ms(r32),
    msFloat64: ms(r64),
    msForwardFloat32: ms(fwd32),
    msProductsFloat32: mm32.ms,
    msProductsFloat64: mm64.ms,
    mflop: mm32.flops / 1e6,
  };
}
