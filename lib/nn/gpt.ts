import { Node, Tape } from "./tape";
import { add, addRow, gelu, matmul, relu, slice, softmaxCrossEntropy } from "./ops";
import { gatherRows, transpose } from "./shape-ops";
import { causalSelfAttention, layerNorm } from "./layers";
import type { Objective } from "./mlp";
import { Stream } from "../random/stream";
import { requireInteger, requireLength } from "../util/validate";

/**
 * The two character-level GPTs of the project, both pre-LN transformers (token and position
 * embeddings, `layers` blocks x ← x + Attn(LN₁ x), x ← x + MLP(LN₂ x) with a 4× MLP, a final layer
 * norm, then logits):
 *
 * - `"lecture"` (the default): the model of Karpathy's lecture script gpt.py (ng-video-lecture, as
 *   in the video, 2023-01-17), which the RMT talk trained. A ReLU MLP; biases on the attention's
 *   output projection and on both MLP layers (none on K, Q, V); an untied `lm_head` with a bias;
 *   attention scores scaled by n_embd^−½ (the script's `C**-0.5`, C = dModel), not by the head
 *   size; PyTorch's default initialisation (`gptInit`). With V = 65 (Shakespeare's alphabet) and
 *   the small configuration (d = 64, 4 heads, 4 layers, block 32) it has 209 729 parameters.
 * - `"nanogpt"`: Karpathy's nanoGPT (after Radford et al. 2019): a GELU MLP, no bias on the
 *   attention's projections, logits through the token embedding (weights tied), scores scaled by
 *   head_size^−½, nanoGPT's N(0, 0.02²) initialisation with GPT-2's scaled residual projections.
 *
 * The variant decides the layout, the forward pass, the initialisation and (in lib/nn/gpt-train)
 * the optimiser's schedule and weight decay.
 */
export type GptVariant = "lecture" | "nanogpt";

/** The variants by name, for validation and help texts. */
export const GPT_VARIANTS: readonly GptVariant[] = ["lecture", "nanogpt"];

/** The shape of a GPT and its variant (see `GptVariant`). */
export interface GptSpec {
  /** Alphabet size V (token ids 0 … V − 1). */
  vocab: number;
  /** Longest context (block size): sequences may have any length T ≤ block. */
  block: number;
  layers: number;
  heads: number;
  /** Width d of the residual stream. */
  dModel: number;
  /** Width s of one attention head (default dModel / heads). */
  headSize?: number;
  /** Which model (default "lecture": the talk's). */
  variant?: GptVariant;
}

/** The spec's variant, "lecture" when none is given. Errors: a RangeError for an unknown name. */
export function gptVariant(spec: GptSpec): GptVariant {
  const v = spec.variant ?? "lecture";
  if (!GPT_VARIANTS.includes(v))
    throw new RangeError(
      `GptSpec.variant must be one of ${GPT_VARIANTS.map((x) => JSON.stringify(x)).join(", ")}, got ${JSON.stringify(v)}`,
    );
  return v;
}

/**
 * The factor of the attention scores QKᵀ: head_size^−½ for nanoGPT (Vaswani et al.), dModel^−½
 * for the lecture's script, which multiplies by C**-0.5 with C the embedding width.
 */
export function attentionScale(spec: GptSpec): number {
  const s = spec.headSize ?? spec.dModel / spec.heads;
  return gptVariant(spec) === "lecture" ? 1 / Math.sqrt(spec.dModel) : 1 / Math.sqrt(s);
}

/** One named weight array of a flat parameter vector: its offset, shape and size. */
export interface ParameterBlock {
  /** e.g. "wte", "h0.attn.Wq", "h1.mlp.W1", "lnf.gamma". */
  name: string;
  shape: number[];
  offset: number;
  size: number;
}

/**
 * The layout of a GPT's flat parameter vector θ, in order: wte [V, d], wpe [block, d]; per layer ℓ:
 * hℓ.ln1.gamma, hℓ.ln1.beta [d], hℓ.attn.Wq, Wk, Wv [d, h·s], hℓ.attn.Wo [h·s, d], (lecture:
 * hℓ.attn.bo [d]), hℓ.ln2.gamma, hℓ.ln2.beta [d], hℓ.mlp.W1 [d, 4d], hℓ.mlp.b1 [4d], hℓ.mlp.W2
 * [4d, d], hℓ.mlp.b2 [d]; then lnf.gamma, lnf.beta [d]; (lecture: head.W [d, V], head.b [V]).
 * Matrices act on rows (y = x·W), so a PyTorch `Linear(in, out)` weight is the transpose of the
 * block. Errors: a RangeError for non-integer or non-positive sizes, an unknown variant, or a
 * dModel that does not split into heads (without an explicit headSize).
 */
export function gptLayout(spec: GptSpec): { blocks: ParameterBlock[]; dim: number } {
  const { vocab: V, block, layers, heads, dModel: d } = spec;
  for (const [name, x] of [
    ["vocab", V],
    ["block", block],
    ["layers", layers],
    ["heads", heads],
    ["dModel", d],
  ] as const)
    requireInteger(`GptSpec.${name}`, x, 1);
  if (spec.headSize === undefined && d % heads !== 0)
    throw new RangeError(`GptSpec: dModel ${d} does not split into ${heads} heads (give headSize)`);
  const s = spec.headSize ?? d / heads;
  requireInteger("GptSpec.headSize", s, 1);
  const lecture = gptVariant(spec) === "lecture";
  const blocks: ParameterBlock[] = [];
  let offset = 0;
  const add = (name: string, shape: number[]) => {
    const size = shape.reduce((a, b) => a * b, 1);
    blocks.push({ name, shape, offset, size });
    offset += size;
  };
  add("wte", [V, d]);
  add("wpe", [block, d]);
  for (let l = 0; l < layers; l++) {
    add(`h${l}.ln1.gamma`, [d]);
    add(`h${l}.ln1.beta`, [d]);
    add(`h${l}.attn.Wq`, [d, heads * s]);
    add(`h${l}.attn.Wk`, [d, heads * s]);
    add(`h${l}.attn.Wv`, [d, heads * s]);
    add(`h${l}.attn.Wo`, [heads * s, d]);
    if (lecture) add(`h${l}.attn.bo`, [d]);
    add(`h${l}.ln2.gamma`, [d]);
    add(`h${l}.ln2.beta`, [d]);
    add(`h${l}.mlp.W1`, [d, 4 * d]);
    add(`h${l}.mlp.b1`, [4 * d]);
    add(`h${l}.mlp.W2`, [4 * d, d]);
    add(`h${l}.mlp.b2`, [d]);
  }
  add("lnf.gamma", [d]);
  add("lnf.beta", [d]);
  if (lecture) {
    add("head.W", [d, V]);
    add("head.b", [V]);
  }
  return { blocks, dim: offset };
}

/**
 * The variant's initialisation; the draws come from `stream` in layout order.
 *
 * - "lecture": PyTorch's defaults (torch/nn/modules: `Linear.reset_parameters`, `Embedding`,
 *   `LayerNorm`). A `Linear(in, out)` draws its weight by kaiming_uniform_ with a = √5: gain
 *   √(2/(1 + a²)) = 1/√3, std = gain/√in, bound √3·std = 1/√in, so W ~ U(−1/√in, 1/√in) (variance
 *   1/(3·in)), and its bias from the same U(−1/√in, 1/√in). Here in is the rows of the block: d for
 *   Wq, Wk, Wv, W1 and the head, h·s for Wo (and bo), 4d for W2 (and b2). Embeddings N(0, 1);
 *   layer norms γ = 1, β = 0. `std` is ignored.
 * - "nanogpt": every weight matrix and embedding N(0, std²) (default std = 0.02), the residual
 *   projections (attn.Wo, mlp.W2) N(0, (std/√(2·layers))²) (GPT-2's scaled init), biases 0,
 *   layer-norm gains 1 and shifts 0.
 */
export function gptInit(spec: GptSpec, stream: Stream, o: { std?: number } = {}): Float64Array {
  const { blocks, dim } = gptLayout(spec);
  const std = o.std ?? 0.02;
  const theta = new Float64Array(dim);
  const lecture = gptVariant(spec) === "lecture";
  const fanIn = new Map(blocks.filter((b) => b.shape.length === 2).map((b) => [b.name, b.shape[0]]));
  for (const b of blocks) {
    const kind = b.name.split(".").pop()!;
    if (kind === "gamma") theta.fill(1, b.offset, b.offset + b.size);
    else if (kind === "beta") continue;
    else if (lecture) {
      if (b.name === "wte" || b.name === "wpe") {
        for (let i = 0; i < b.size; i++) theta[b.offset + i] = stream.normal();
        continue;
      }
      const weight = linearWeightOf(b.name);
      const bound = 1 / Math.sqrt(fanIn.get(weight)!);
      for (let i = 0; i < b.size; i++) theta[b.offset + i] = bound * (2 * stream.uniform() - 1);
    } else if (b.shape.length === 2) {
      const sd = kind === "Wo" || kind === "W2" ? std / Math.sqrt(2 * spec.layers) : std;
      for (let i = 0; i < b.size; i++) theta[b.offset + i] = sd * stream.normal();
    }
  }
  return theta;
}

/** The weight block of the Linear layer a block belongs to (a bias shares its Linear's fan-in: bo with Wo, b1 with W1, b2 with W2, head.b with head.W). */
function linearWeightOf(name: string): string {
  return name
    .replace(/\.bo$/, ".Wo")
    .replace(/\.b1$/, ".W1")
    .replace(/\.b2$/, ".W2")
    .replace(/^head\.b$/, "head.W");
}

/**
 * The variance of one entry of the block `name` under `gptInit` (default std for nanoGPT): the
 * lecture's U(−1/√in, 1/√in) has variance 1/(3·in) for Linear weights and biases (in = the block's
 * fan-in, as gptInit), its embeddings N(0, 1) have 1; nanoGPT's matrices std², its residual
 * projections std²/(2·layers), its biases 0; layer-norm gains and shifts are constants (0). So a
 * head's X = WᵀW (W its d × s columns of Wk, Wq or Wv) has Marchenko–Pastur scale σ² = d·variance at
 * initialisation: 1/3 for the lecture (d/(3d), whatever d), 64·0.02² for nanoGPT at d = 64.
 * Errors: a RangeError for a name not in the layout.
 */
export function gptInitVariance(spec: GptSpec, name: string, o: { std?: number } = {}): number {
  const { blocks } = gptLayout(spec);
  const b = blocks.find((x) => x.name === name);
  if (!b) throw new RangeError(`gptInitVariance: no block ${JSON.stringify(name)} in the layout`);
  const kind = name.split(".").pop()!;
  if (kind === "gamma" || kind === "beta") return 0;
  if (gptVariant(spec) === "lecture") {
    if (name === "wte" || name === "wpe") return 1;
    const weight = linearWeightOf(name);
    return 1 / (3 * blocks.find((x) => x.name === weight)!.shape[0]);
  }
  const std = o.std ?? 0.02;
  if (b.shape.length !== 2) return 0;
  return kind === "Wo" || kind === "W2" ? std ** 2 / (2 * spec.layers) : std ** 2;
}

/**
 * The logits ([B·T, V]) of `sequences` = B token sequences of equal length T ≤ block, stacked
 * (`tokens` has B·T ids; row b·T + t predicts the token after position t of sequence b), on the
 * tape, from the flat parameters θ (a node of gptLayout(spec).dim entries).
 * Errors: a RangeError for a wrong θ size, T > block, tokens that do not split into B sequences, or
 * a token id outside 0 … V − 1.
 */
export function gptForward(tape: Tape, spec: GptSpec, theta: Node, tokens: ArrayLike<number>, sequences = 1): Node {
  const { blocks, dim } = gptLayout(spec);
  if (theta.size !== dim) throw new RangeError(`gptForward: θ has ${theta.size} entries, the spec needs ${dim}`);
  requireInteger("sequences", sequences, 1);
  const T = tokens.length / sequences;
  if (!Number.isInteger(T) || T < 1)
    throw new RangeError(
      `gptForward: ${tokens.length} tokens do not split into ${sequences} sequences of equal length`,
    );
  if (T > spec.block) throw new RangeError(`gptForward: sequences of length ${T} exceed the block size ${spec.block}`);
  const w = new Map(blocks.map((b) => [b.name, b]));
  const p = (name: string) => {
    const b = w.get(name)!;
    return slice(tape, theta, b.offset, b.shape);
  };
  const positions = Int32Array.from({ length: tokens.length }, (_, i) => i % T);
  const lecture = gptVariant(spec) === "lecture",
    scale = attentionScale(spec);
  const wte = p("wte");
  let x = add(tape, gatherRows(tape, wte, tokens), gatherRows(tape, p("wpe"), positions));
  for (let l = 0; l < spec.layers; l++) {
    const h = layerNorm(tape, x, p(`h${l}.ln1.gamma`), p(`h${l}.ln1.beta`));
    const att = causalSelfAttention(
      tape,
      h,
      p(`h${l}.attn.Wq`),
      p(`h${l}.attn.Wk`),
      p(`h${l}.attn.Wv`),
      p(`h${l}.attn.Wo`),
      spec.heads,
      sequences,
      { scale },
    );
    x = add(tape, x, lecture ? addRow(tape, att, p(`h${l}.attn.bo`)) : att);
    const h2 = layerNorm(tape, x, p(`h${l}.ln2.gamma`), p(`h${l}.ln2.beta`));
    const pre = addRow(tape, matmul(tape, h2, p(`h${l}.mlp.W1`)), p(`h${l}.mlp.b1`));
    const hidden = lecture ? relu(tape, pre) : gelu(tape, pre);
    x = add(tape, x, addRow(tape, matmul(tape, hidden, p(`h${l}.mlp.W2`)), p(`h${l}.mlp.b2`)));
  }
  const xf = layerNorm(tape, x, p("lnf.gamma"), p("lnf.beta"));
  return lecture ? addRow(tape, matmul(tape, xf, p("head.W")), p("head.b")) : matmul(tape, xf, transpose(tape, wte));
}

/** Next-token training windows: B sequences of T input ids and the T ids that follow each. */
export interface TokenWindows {
  inputs: Int32Array;
  targets: Int32Array;
  sequences: number;
}

/**
 * The windows of length T starting at the given positions of a token stream: inputs
 * corpus[s … s+T−1], targets corpus[s+1 … s+T]. Errors: a RangeError for a start whose window runs
 * past the end.
 */
export function tokenWindows(corpus: ArrayLike<number>, starts: ArrayLike<number>, T: number): TokenWindows {
  requireInteger("T (window length)", T, 1);
  const B = starts.length;
  requireInteger("number of windows", B, 1);
  const inputs = new Int32Array(B * T),
    targets = new Int32Array(B * T);
  for (let b = 0; b < B; b++) {
    const s = starts[b];
    if (!Number.isInteger(s) || s < 0 || s + T >= corpus.length)
      throw new RangeError(
        `tokenWindows: window ${b} starts at ${s}; windows of ${T} + 1 tokens must lie in 0 … ${corpus.length - 1}`,
      );
    for (let t = 0; t < T; t++) {
      inputs[b * T + t] = corpus[s + t];
      targets[b * T + t] = corpus[s + t + 1];
    }
  }
  return { inputs, targets, sequences: B };
}

/**
 * The mean next-token cross-entropy of a GPT on fixed windows, as an Objective (loss, gradient and
 * exact HVP from one forward-over-reverse sweep), e.g. for sharpness and Lanczos on a transformer.
 * Errors: RangeErrors as gptForward, and for targets of another length than the inputs.
 */
export function gptObjective(spec: GptSpec, windows: TokenWindows): Objective {
  const { dim } = gptLayout(spec);
  requireLength("targets (one per input token)", windows.targets, windows.inputs.length);
  return {
    dim,
    evaluate(theta, v) {
      requireLength("θ", theta, dim);
      if (v) requireLength("v (direction of the HVP)", v, dim);
      const tape = new Tape();
      const th = tape.param(theta, [dim], v);
      const L = softmaxCrossEntropy(
        tape,
        gptForward(tape, spec, th, windows.inputs, windows.sequences),
        windows.targets,
      );
      tape.backward(L);
      return {
        loss: L.value[0],
        gradient: th.grad ?? new Float64Array(dim),
        hvp: v ? (th.gradTangent ?? new Float64Array(dim)) : null,
      };
    },
  };
}
