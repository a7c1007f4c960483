import { geluInto, geluKernelTable } from "./gelu";
import { KernelArena } from "../kernels/arena";
import { floatArray, requirePrecision, type FloatArray, type Precision } from "../kernels/precision";
import { attentionScale, gptLayout, gptVariant } from "./gpt";
import type { GptSpec, GptVariant, TokenWindows } from "./gpt";
import { requireLength } from "../util/validate";

/**
 * The loss and gradient of `gptForward`'s GPT, either variant (same layout, same arithmetic up to
 * the order of additions), written out by hand: forward with the activations kept, then
 * reverse-mode by the chain rule layer by layer. No tape, no HVP.
 *
 * Why hand-written: training needs only gradients, and the tape builds a graph of nodes per op per
 * call (gptObjective: ~2k tokens/s with the HVP). Here θ, the gradient and every activation live in
 * a `KernelArena` (a private WebAssembly memory) reused across calls with the same shapes, the
 * large products run in the SIMD matmul kernel in one call per layer without copies (residual
 * additions and the first MLP bias folded into its accumulate), causal attention in the SIMD
 * kernels of wasm/attention.ts (and, in float32, their softmaxes in wasm/softmax32.ts), the GELU in wasm/gelu.ts, the ReLU, the bias gradients and the
 * residual with its bias in wasm/rows.ts, the layer norms in wasm/layernorm.ts; the remaining
 * element-wise steps (softmaxes, which need Math.exp, and the embeddings) are JS loops without
 * allocation. `npm run bench` measures it against gptObjective's gradient; test/nn checks it
 * against the tape.
 *
 * Precision (option, default "float64"): "float64" runs the float64 kernels, and without
 * kernels.wasm (or with `{ wasm: false }`) the same arithmetic in JS, bit for bit. "float32" keeps
 * θ, the gradient and every activation in float32 and runs the float32 kernels (wasm/*32.ts, four
 * numbers per v128): float32 training, as PyTorch's. Its JS loops (softmaxes, cross-entropy,
 * embeddings, and GELU for nanoGPT) compute in float64 and round on store; the loss is summed in
 * float64. The tests bound its distance to the float64 path by float32 rounding.
 *
 * Rules (R = B·T rows, loss L = mean over rows of −log softmax(logits)[target]):
 *   logits = LN_f(x)·W_head + b (lecture) or LN_f(x)·wteᵀ (nanoGPT):
 *     dlogits = (softmax − onehot)/R;  dW_head += xfᵀ·dlogits, db += Σ dlogits, dxf = dlogits·W_headᵀ
 *     (nanoGPT: dwte += dlogitsᵀ·xf, dxf = dlogits·wte);
 *   LN (x̂ = (x − μ)·r, y = x̂⊙γ + β):  dγ += Σ dy⊙x̂,  dβ += Σ dy,
 *                                     dx = r·(dx̂ − mean(dx̂) − x̂·mean(dx̂⊙x̂)),  dx̂ = dy⊙γ;
 *   y = a·W (+ b):  dW += aᵀ·dy,  db += Σ dy,  da = dy·Wᵀ;
 *   MLP activation f(u) (ReLU for the lecture, GELU uΦ(u) for nanoGPT): du = dg·f′(u);
 *   attention per head, S = c·QKᵀ masked (c = attentionScale), P = softmax(S), O = P·V:
 *     dP = dO·Vᵀ,  dV = Pᵀ·dO,  dS = P⊙(dP − rowsum(P⊙dP)),  dQ = c·dS·K,  dK = c·dSᵀ·Q.
 */
export class GptGradient {
  readonly spec: GptSpec;
  readonly dim: number;
  readonly variant: GptVariant;
  readonly precision: Precision;
  private readonly offsets: Map<string, number>;
  private readonly arena: KernelArena<FloatArray>;
  private ws: Workspace | null = null;

  /**
   * Options: precision (default "float64"), wasm (default true when kernels.wasm is built; false
   * runs the JS loops, for tests). Errors: gptLayout's for an invalid spec; a RangeError for an
   * unknown precision.
   */
  constructor(spec: GptSpec, o: { wasm?: boolean; precision?: Precision } = {}) {
    const layout = gptLayout(spec);
    this.spec = spec;
    this.dim = layout.dim;
    this.variant = gptVariant(spec);
    this.precision = requirePrecision("GptGradient precision", o.precision ?? "float64");
    this.offsets = new Map(layout.blocks.map((b) => [b.name, b.offset]));
    this.arena = new KernelArena<FloatArray>({ wasm: o.wasm, precision: this.precision });
  }

  /** Whether the kernels run in WebAssembly. */
  get wasm(): boolean {
    return this.arena.wasm;
  }

  /**
   * The logits [B·T, V] of the windows' inputs (targets are not read), in a buffer of the workspace
   * that the next call overwrites. Errors: as `evaluate`.
   */
  logits(theta: ArrayLike<number>, windows: TokenWindows): FloatArray {
    return this.forward(theta, windows).logits;
  }

  /** The forward pass, keeping every activation the backward pass needs in the workspace. */
  private forward(theta: ArrayLike<number>, windows: TokenWindows): Workspace {
    const { vocab: V, layers: Lyr, heads: H, dModel: d } = this.spec;
    const s = this.spec.headSize ?? d / H,
      hs = H * s,
      F = 4 * d;
    const lecture = this.variant === "lecture";
    requireLength("θ", theta, this.dim);
    const B = windows.sequences,
      R = windows.inputs.length,
      T = R / B;
    if (!Number.isInteger(T) || T > this.spec.block)
      throw new RangeError(
        `GptGradient: ${R} tokens in ${B} windows of length ${T}; windows must be at most the block size ${this.spec.block}`,
      );
    for (let r = 0; r < R; r++) {
      const a = windows.inputs[r];
      if (!(a >= 0 && a < V && Number.isInteger(a)))
        throw new RangeError(`GptGradient: token ${r} (${a}) is outside 0 … ${V - 1}`);
    }
    const w = this.workspace(R, B, T);
    const K = this.arena;
    w.theta.set(theta); // into the arena (rounded to float32 in that precision)
    const view = (name: string, size: number) => {
      const o = this.offsets.get(name)!;
      return w.theta.subarray(o, o + size);
    };
    const wte = view("wte", V * d),
      wpe = view("wpe", this.spec.block * d);
    // forward
    const x = w.x;
    for (let r = 0; r < R; r++) {
      const tok = windows.inputs[r],
        pos = r % T;
      for (let c = 0; c < d; c++) x[r * d + c] = wte[tok * d + c] + wpe[pos * d + c];
    }
    const scale = attentionScale(this.spec);
    for (let l = 0; l < Lyr; l++) {
      const L = w.layers[l];
      K.layerNormForward(x, view(`h${l}.ln1.gamma`, d), view(`h${l}.ln1.beta`, d), L.xhat1, L.rstd1, L.h1, R, d);
      K.times(L.h1, view(`h${l}.attn.Wq`, d * hs), L.q, R, d, hs);
      K.times(L.h1, view(`h${l}.attn.Wk`, d * hs), L.k, R, d, hs);
      K.times(L.h1, view(`h${l}.attn.Wv`, d * hs), L.v, R, d, hs);
      K.causalScores(L.q, L.k, L.p, w.headT, B, T, H, s, scale);
      K.causalSoftmax(L.p, B * H, T);
      K.causalTimes(L.p, L.v, L.att, B, T, H, s);
      if (lecture) {
        // x += (att·Wo + bo)
        K.times(L.att, view(`h${l}.attn.Wo`, hs * d), w.tmpRd, R, hs, d);
        K.addBiasedRows(x, w.tmpRd, view(`h${l}.attn.bo`, d), R, d);
      } else {
        K.addTimes(L.att, view(`h${l}.attn.Wo`, hs * d), x, R, hs, d); // x += att·Wo: the residual, added in the kernel
      }
      K.layerNormForward(x, view(`h${l}.ln2.gamma`, d), view(`h${l}.ln2.beta`, d), L.xhat2, L.rstd2, L.h2, R, d);
      const u = w.dRF; // the pre-activation is needed only here: it borrows the backward pass's scratch
      // u = b1 + h2·W1: the bias first, the product added in the kernel (the same sum as h2·W1 + b1, addition being commutative)
      const b1 = view(`h${l}.mlp.b1`, F);
      for (let r = 0; r < R; r++) u.set(b1, r * F);
      K.addTimes(L.h2, view(`h${l}.mlp.W1`, d * F), u, R, d, F);
      // the slope f'(u) is kept for the backward pass; for the GELU, geluInto takes over if any entry is outside the kernel's (−8, 8)
      if (lecture) K.relu(u, L.gel, L.slope, R * F);
      else if (K.gelu(u, L.gel, L.slope, w.geluTable, R * F) !== 0) geluInto(u, L.gel, L.slope, R * F);
      K.times(L.gel, view(`h${l}.mlp.W2`, F * d), w.tmpRd, R, F, d);
      K.addBiasedRows(x, w.tmpRd, view(`h${l}.mlp.b2`, d), R, d);
    }
    K.layerNormForward(x, view("lnf.gamma", d), view("lnf.beta", d), w.xhatF, w.rstdF, w.xf, R, d);
    if (lecture) {
      // logits = b + xf·W_head, the bias first as for the MLP
      const b = view("head.b", V);
      for (let r = 0; r < R; r++) w.logits.set(b, r * V);
      K.addTimes(w.xf, view("head.W", d * V), w.logits, R, d, V);
    } else {
      // logits = xf·wteᵀ through the kernel: wteᵀ once per call
      for (let i = 0; i < V; i++) for (let c = 0; c < d; c++) w.wteT[c * V + i] = wte[i * d + c];
      K.times(w.xf, w.wteT, w.logits, R, d, V);
    }
    return w;
  }

  /**
   * Mean next-token cross-entropy of θ on the windows, from the forward pass alone: the same number
   * as `evaluate(…).loss`, bit for bit, at about a third of its cost. Errors: as `evaluate`.
   */
  loss(theta: ArrayLike<number>, windows: TokenWindows): number {
    requireLength("targets", windows.targets, windows.inputs.length);
    const w = this.forward(theta, windows);
    requireTargets(windows.targets, this.spec.vocab);
    return crossEntropy(w.logits, windows.targets, windows.inputs.length, this.spec.vocab, false);
  }

  /**
   * Mean next-token cross-entropy of θ on the windows and its gradient, written into `gradient`
   * when given (either precision: it is converted), else into a new Float64Array. θ may be either
   * precision too (in float32 it is rounded on the way in). A loss that overflows comes back as a
   * non-finite number, not an exception. Errors: RangeError for a wrong θ length, windows longer
   * than the block, or token ids outside the vocabulary.
   */
  evaluate<G extends FloatArray = Float64Array>(
    theta: ArrayLike<number>,
    windows: TokenWindows,
    gradient?: G,
  ): { loss: number; gradient: G } {
    const { vocab: V, layers: Lyr, heads: H, dModel: d } = this.spec;
    const s = this.spec.headSize ?? d / H,
      hs = H * s,
      F = 4 * d;
    const lecture = this.variant === "lecture";
    requireLength("targets", windows.targets, windows.inputs.length);
    const w = this.forward(theta, windows);
    const B = windows.sequences,
      R = windows.inputs.length,
      T = R / B;
    requireTargets(windows.targets, V);
    const out = gradient ?? (new Float64Array(this.dim) as G);
    requireLength("gradient", out, this.dim);
    const K = this.arena,
      g = w.gradient;
    g.fill(0);
    const view = (name: string, size: number) => {
      const o = this.offsets.get(name)!;
      return w.theta.subarray(o, o + size);
    };
    const grad = (name: string, size: number) => {
      const o = this.offsets.get(name)!;
      return g.subarray(o, o + size);
    };
    const scale = attentionScale(this.spec);
    const dl = w.logits; // overwritten in place by dlogits
    const loss = crossEntropy(dl, windows.targets, R, V, true);

    // backward
    const gwte = grad("wte", V * d);
    if (lecture) {
      K.addTransposeTimes(w.xf, dl, grad("head.W", d * V), R, d, V);
      K.columnSums(dl, grad("head.b", V), R, V);
      w.tmpRd.fill(0);
      K.addTimesTranspose(dl, view("head.W", d * V), w.tmpRd, R, d, V, w.transposed);
    } else {
      K.addTransposeTimes(dl, w.xf, gwte, R, V, d);
      K.times(dl, view("wte", V * d), w.tmpRd, R, V, d);
    }
    const dx = w.dx;
    dx.fill(0);
    K.layerNormBackward(
      w.tmpRd,
      view("lnf.gamma", d),
      w.xhatF,
      w.rstdF,
      grad("lnf.gamma", d),
      grad("lnf.beta", d),
      dx,
      R,
      d,
    );
    for (let l = Lyr - 1; l >= 0; l--) {
      const L = w.layers[l];
      // MLP branch: x += f(h2·W1 + b1)·W2 + b2
      K.columnSums(dx, grad(`h${l}.mlp.b2`, d), R, d);
      K.addTransposeTimes(L.gel, dx, grad(`h${l}.mlp.W2`, F * d), R, F, d);
      w.dRF.fill(0);
      K.addTimesTranspose(dx, view(`h${l}.mlp.W2`, F * d), w.dRF, R, F, d, w.transposed);
      K.scaledColumnSums(w.dRF, L.slope, grad(`h${l}.mlp.b1`, F), R, F); // du = dg ⊙ f'(u), in place, and db1 += Σ du
      K.addTransposeTimes(L.h2, w.dRF, grad(`h${l}.mlp.W1`, d * F), R, d, F);
      w.tmpRd.fill(0);
      K.addTimesTranspose(w.dRF, view(`h${l}.mlp.W1`, d * F), w.tmpRd, R, d, F, w.transposed);
      K.layerNormBackward(
        w.tmpRd,
        view(`h${l}.ln2.gamma`, d),
        L.xhat2,
        L.rstd2,
        grad(`h${l}.ln2.gamma`, d),
        grad(`h${l}.ln2.beta`, d),
        dx,
        R,
        d,
      );
      // attention branch: x += attention(LN1 x)·Wo (+ bo)
      if (lecture) K.columnSums(dx, grad(`h${l}.attn.bo`, d), R, d);
      K.addTransposeTimes(L.att, dx, grad(`h${l}.attn.Wo`, hs * d), R, hs, d);
      w.dAtt.fill(0);
      K.addTimesTranspose(dx, view(`h${l}.attn.Wo`, hs * d), w.dAtt, R, hs, d, w.transposed);
      // dP = dO·Vᵀ, dV = Pᵀ·dO, dS = P⊙(dP − rowsum(P⊙dP))·c, dQ = dS·K, dK = dSᵀ·Q
      K.causalScores(w.dAtt, L.v, w.dp, w.headT, B, T, H, s, 1);
      K.causalTransposeTimes(L.p, w.dAtt, w.dv, B, T, H, s);
      K.causalSoftmaxBackward(L.p, w.dp, B * H, T, scale);
      K.causalTimes(w.dp, L.k, w.dq, B, T, H, s);
      K.causalTransposeTimes(w.dp, L.q, w.dk, B, T, H, s);
      K.addTransposeTimes(L.h1, w.dq, grad(`h${l}.attn.Wq`, d * hs), R, d, hs);
      K.addTransposeTimes(L.h1, w.dk, grad(`h${l}.attn.Wk`, d * hs), R, d, hs);
      K.addTransposeTimes(L.h1, w.dv, grad(`h${l}.attn.Wv`, d * hs), R, d, hs);
      w.tmpRd.fill(0);
      K.addTimesTranspose(w.dq, view(`h${l}.attn.Wq`, d * hs), w.tmpRd, R, d, hs, w.transposed);
      K.addTimesTranspose(w.dk, view(`h${l}.attn.Wk`, d * hs), w.tmpRd, R, d, hs, w.transposed);
      K.addTimesTranspose(w.dv, view(`h${l}.attn.Wv`, d * hs), w.tmpRd, R, d, hs, w.transposed);
      K.layerNormBackward(
        w.tmpRd,
        view(`h${l}.ln1.gamma`, d),
        L.xhat1,
        L.rstd1,
        grad(`h${l}.ln1.gamma`, d),
        grad(`h${l}.ln1.beta`, d),
        dx,
        R,
        d,
      );
    }
    const gwpe = grad("wpe", this.spec.block * d);
    for (let r = 0; r < R; r++) {
      const tok = windows.inputs[r],
        pos = r % T;
      for (let c = 0; c < d; c++) {
        gwte[tok * d + c] += dx[r * d + c];
        gwpe[pos * d + c] += dx[r * d + c];
      }
    }
    out.set(g);
    return { loss: loss, gradient: out };
  }

  private workspace(R: number, B: number, T: number): Workspace {
    if (this.ws && this.ws.R === R && this.ws.B === B) return this.ws;
    // the buffers are listed once: a counting pass sizes the arena, a second pass carves the views
    let total = 0;
    const none = floatArray(this.precision, 0);
    this.build(R, B, T, (n) => {
      total += n;
      return none;
    });
    this.arena.layout(total);
    this.ws = this.build(R, B, T, (n) => this.arena.alloc(n));
    if (this.ws.geluTable.length > 0) this.ws.geluTable.set(geluKernelTable());
    return this.ws;
  }

  /** The workspace's buffers for R rows in B windows of T tokens, each from `f(size)`. */
  private build(R: number, B: number, T: number, f: (n: number) => FloatArray): Workspace {
    const { vocab: V, layers: Lyr, heads: H, dModel: d } = this.spec;
    const s = this.spec.headSize ?? d / H,
      hs = H * s,
      F = 4 * d;
    const lecture = this.variant === "lecture";
    return {
      R,
      B,
      theta: f(this.dim),
      gradient: f(this.dim),
      x: f(R * d),
      dx: f(R * d),
      tmpRd: f(R * d),
      dRF: f(R * F),
      dAtt: f(R * hs),
      dq: f(R * hs),
      dk: f(R * hs),
      dv: f(R * hs),
      dp: f(B * H * T * T),
      headT: f(s * T),
      // transposed: Wq, Wk, Wv, Wo, W1, W2 (and the lecture's head) in turn; the GELU table only for nanoGPT in float64
      transposed: f(Math.max(d * F, hs * d, lecture ? d * V : 0)),
      geluTable: f(!lecture && this.precision === "float64" ? GELU_TABLE_SIZE : 0),
      xhatF: f(R * d),
      rstdF: f(R),
      xf: f(R * d),
      wteT: f(lecture ? 0 : d * V),
      logits: f(R * V),
      layers: Array.from({ length: Lyr }, () => ({
        xhat1: f(R * d),
        rstd1: f(R),
        h1: f(R * d),
        q: f(R * hs),
        k: f(R * hs),
        v: f(R * hs),
        p: f(B * H * T * T),
        att: f(R * hs),
        xhat2: f(R * d),
        rstd2: f(R),
        h2: f(R * d),
        slope: f(R * F),
        gel: f(R * F),
      })),
    };
  }
}

const GELU_TABLE_SIZE = geluKernelTable().length;

interface LayerCache {
  xhat1: FloatArray;
  rstd1: FloatArray;
  h1: FloatArray;
  q: FloatArray;
  k: FloatArray;
  v: FloatArray;
  p: FloatArray;
  att: FloatArray;
  xhat2: FloatArray;
  rstd2: FloatArray;
  h2: FloatArray;
  slope: FloatArray;
  gel: FloatArray;
}
interface Workspace {
  R: number;
  B: number;
  theta: FloatArray;
  gradient: FloatArray;
  x: FloatArray;
  dx: FloatArray;
  tmpRd: FloatArray;
  dRF: FloatArray;
  dAtt: FloatArray;
  dq: FloatArray;
  dk: FloatArray;
  dv: FloatArray;
  dp: FloatArray;
  headT: FloatArray;
  transposed: FloatArray;
  geluTable: FloatArray;
  xhatF: FloatArray;
  rstdF: FloatArray;
  xf: FloatArray;
  wteT: FloatArray;
  logits: FloatArray;
  layers: LayerCache[];
}

/** Errors: a RangeError for a target outside 0 … V − 1. */
function requireTargets(targets: Int32Array, V: number): void {
  for (let r = 0; r < targets.length; r++)
    if (!(targets[r] >= 0 && targets[r] < V && Number.isInteger(targets[r])))
      throw new RangeError(`GptGradient: target ${r} (${targets[r]}) is outside 0 … ${V - 1}`);
}

/**
 * Mean over the R rows of −log softmax(logits)[target] (summed in float64); with `toGradient`, the
 * logits are overwritten by the loss's gradient (softmax − onehot)/R. Targets are checked by the caller.
 */
function crossEntropy(logits: FloatArray, targets: Int32Array, R: number, V: number, toGradient: boolean): number {
  let loss = 0;
  for (let r = 0; r < R; r++) {
    const o = r * V;
    let m = -Infinity;
    for (let c = 0; c < V; c++) m = Math.max(m, logits[o + c]);
    let z = 0;
    for (let c = 0; c < V; c++) z += Math.exp(logits[o + c] - m);
    const target = targets[r];
    loss -= logits[o + target] - m - Math.log(z);
    if (!toGradient) continue;
    for (let c = 0; c < V; c++) logits[o + c] = Math.exp(logits[o + c] - m) / z / R;
    logits[o + target] -= 1 / R;
  }
  return loss / R;
}
