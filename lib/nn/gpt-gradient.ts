import { erfc } from "../stats/normal";
import { addTimesTranspose, addTransposeTimes, matmulInto } from "../kernels/matmul";
import { gptLayout } from "./gpt";
import type { GptSpec, TokenWindows } from "./gpt";
import { requireLength } from "../util/validate";

/**
 * The loss and gradient of `gptForward`'s GPT (same layout, same arithmetic up to the order of
 * additions) written out by hand: forward with the activations kept, then reverse-mode by the chain
 * rule layer by layer. No tape, no HVP.
 *
 * Why hand-written: training needs only gradients, and the tape builds a graph of nodes per op per
 * call (gptObjective: ~2k tokens/s with the HVP). Here the large products go through the SIMD matmul
 * kernel in one call per layer, attention runs per (sequence, head) on Float64Array without
 * allocation, and all activations live in a workspace reused across calls with the same shapes.
 * `npm run bench` measures it against gptObjective's gradient; test/nn checks it against the tape.
 *
 * Rules (R = B·T rows, loss L = mean over rows of −log softmax(logits)[target]):
 *   logits = LN_f(x)·wteᵀ:   dlogits = (softmax − onehot)/R,  dwte += dlogitsᵀ·xf,  dxf = dlogits·wte;
 *   LN (x̂ = (x − μ)·r, y = x̂⊙γ + β):  dγ += Σ dy⊙x̂,  dβ += Σ dy,
 *                                     dx = r·(dx̂ − mean(dx̂) − x̂·mean(dx̂⊙x̂)),  dx̂ = dy⊙γ;
 *   y = a·W (+ b):  dW += aᵀ·dy,  db += Σ dy,  da = dy·Wᵀ;   gelu(u) = uΦ(u): du = dg·(Φ(u) + uφ(u));
 *   attention per head, S = QKᵀ/√s masked, P = softmax(S), O = P·V:
 *     dP = dO·Vᵀ,  dV = Pᵀ·dO,  dS = P⊙(dP − rowsum(P⊙dP)),  dQ = dS·K/√s,  dK = dSᵀ·Q/√s.
 */
export class GptGradient {
  readonly spec: GptSpec;
  readonly dim: number;
  private readonly offsets: Map<string, number>;
  private ws: Workspace | null = null;

  constructor(spec: GptSpec) {
    const layout = gptLayout(spec);
    this.spec = spec;
    this.dim = layout.dim;
    this.offsets = new Map(layout.blocks.map((b) => [b.name, b.offset]));
  }

  /**
   * Mean next-token cross-entropy of θ on the windows and its gradient (written into `gradient`
   * when given, else a new array). Errors: RangeError for a wrong θ length, windows longer than the
   * block, or token ids outside the vocabulary.
   */
  /**
   * The logits [B·T, V] of the windows' inputs (targets are not read), in a buffer of the workspace
   * that the next call overwrites. Errors: as `evaluate`.
   */
  logits(theta: Float64Array, windows: TokenWindows): Float64Array {
    return this.forward(theta, windows).logits;
  }

  /** The forward pass, keeping every activation the backward pass needs in the workspace. */
  private forward(theta: Float64Array, windows: TokenWindows): Workspace {
    const { vocab: V, layers: Lyr, heads: H, dModel: d } = this.spec;
    const s = this.spec.headSize ?? d / H, hs = H * s, F = 4 * d;
    requireLength("θ", theta, this.dim);
    const B = windows.sequences, R = windows.inputs.length, T = R / B;
    if (!Number.isInteger(T) || T > this.spec.block) throw new RangeError(`GptGradient: ${R} tokens in ${B} windows of length ${T}; windows must be at most the block size ${this.spec.block}`);
    for (let r = 0; r < R; r++) {
      const a = windows.inputs[r];
      if (!(a >= 0 && a < V && Number.isInteger(a))) throw new RangeError(`GptGradient: token ${r} (${a}) is outside 0 … ${V - 1}`);
    }
    const w = this.workspace(R, B, T);
    const off = (name: string) => this.offsets.get(name)!;
    const view = (name: string, size: number) => theta.subarray(off(name), off(name) + size);
    const wte = view("wte", V * d), wpe = view("wpe", this.spec.block * d);
    // forward
    const x = w.x;
    for (let r = 0; r < R; r++) {
      const tok = windows.inputs[r], pos = r % T;
      for (let c = 0; c < d; c++) x[r * d + c] = wte[tok * d + c] + wpe[pos * d + c];
    }
    const invSqrtS = 1 / Math.sqrt(s);
    for (let l = 0; l < Lyr; l++) {
      const L = w.layers[l];
      layerNormForward(x, view(`h${l}.ln1.gamma`, d), view(`h${l}.ln1.beta`, d), L.xhat1, L.rstd1, L.h1, R, d);
      matmulInto(L.h1, view(`h${l}.attn.Wq`, d * hs), L.q, R, d, hs);
      matmulInto(L.h1, view(`h${l}.attn.Wk`, d * hs), L.k, R, d, hs);
      matmulInto(L.h1, view(`h${l}.attn.Wv`, d * hs), L.v, R, d, hs);
      attentionForward(L.q, L.k, L.v, L.p, L.att, B, T, H, s, invSqrtS);
      matmulInto(L.att, view(`h${l}.attn.Wo`, hs * d), w.tmpRd, R, hs, d);
      for (let i = 0; i < R * d; i++) x[i] += w.tmpRd[i];
      layerNormForward(x, view(`h${l}.ln2.gamma`, d), view(`h${l}.ln2.beta`, d), L.xhat2, L.rstd2, L.h2, R, d);
      matmulInto(L.h2, view(`h${l}.mlp.W1`, d * F), L.u, R, d, F);
      const b1 = view(`h${l}.mlp.b1`, F);
      for (let r = 0; r < R; r++) for (let c = 0; c < F; c++) {
        const u = (L.u[r * F + c] += b1[c]);
        const Phi = 0.5 * erfc(-u / Math.SQRT2);
        L.Phi[r * F + c] = Phi; // kept for the backward pass: erfc is the costliest scalar here
        L.gel[r * F + c] = u * Phi;
      }
      matmulInto(L.gel, view(`h${l}.mlp.W2`, F * d), w.tmpRd, R, F, d);
      const b2 = view(`h${l}.mlp.b2`, d);
      for (let r = 0; r < R; r++) for (let c = 0; c < d; c++) x[r * d + c] += w.tmpRd[r * d + c] + b2[c];
    }
    layerNormForward(x, view("lnf.gamma", d), view("lnf.beta", d), w.xhatF, w.rstdF, w.xf, R, d);
    // logits = xf·wteᵀ through the kernel: wteᵀ once per call
    for (let i = 0; i < V; i++) for (let c = 0; c < d; c++) w.wteT[c * V + i] = wte[i * d + c];
    matmulInto(w.xf, w.wteT, w.logits, R, d, V);
    return w;
  }

  evaluate(theta: Float64Array, windows: TokenWindows, gradient?: Float64Array): { loss: number; gradient: Float64Array } {
    const { vocab: V, layers: Lyr, heads: H, dModel: d } = this.spec;
    const s = this.spec.headSize ?? d / H, hs = H * s, F = 4 * d;
    requireLength("targets", windows.targets, windows.inputs.length);
    const w = this.forward(theta, windows);
    const B = windows.sequences, R = windows.inputs.length, T = R / B;
    for (let r = 0; r < R; r++) if (!(windows.targets[r] >= 0 && windows.targets[r] < V && Number.isInteger(windows.targets[r]))) throw new RangeError(`GptGradient: target ${r} (${windows.targets[r]}) is outside 0 … ${V - 1}`);
    const g = gradient ?? new Float64Array(this.dim);
    requireLength("gradient", g, this.dim);
    g.fill(0);
    const off = (name: string) => this.offsets.get(name)!;
    const view = (name: string, size: number) => theta.subarray(off(name), off(name) + size);
    const grad = (name: string, size: number) => g.subarray(off(name), off(name) + size);
    const wte = view("wte", V * d);
    const invSqrtS = 1 / Math.sqrt(s);
    let loss = 0;
    const dl = w.logits; // overwritten in place by dlogits
    for (let r = 0; r < R; r++) {
      const o = r * V;
      let m = -Infinity;
      for (let c = 0; c < V; c++) m = Math.max(m, dl[o + c]);
      let z = 0;
      for (let c = 0; c < V; c++) z += Math.exp(dl[o + c] - m);
      const target = windows.targets[r];
      loss -= dl[o + target] - m - Math.log(z);
      for (let c = 0; c < V; c++) dl[o + c] = Math.exp(dl[o + c] - m) / z / R;
      dl[o + target] -= 1 / R;
    }
    loss /= R;

    // backward
    const gwte = grad("wte", V * d);
    addTransposeTimes(dl, w.xf, gwte, R, V, d);
    const dx = w.dx;
    matmulInto(dl, wte, w.tmpRd, R, V, d);
    dx.fill(0);
    layerNormBackward(w.tmpRd, view("lnf.gamma", d), w.xhatF, w.rstdF, grad("lnf.gamma", d), grad("lnf.beta", d), dx, R, d);
    for (let l = Lyr - 1; l >= 0; l--) {
      const L = w.layers[l];
      // MLP branch: x += gelu(h2·W1 + b1)·W2 + b2
      const gb2 = grad(`h${l}.mlp.b2`, d);
      for (let r = 0; r < R; r++) for (let c = 0; c < d; c++) gb2[c] += dx[r * d + c];
      addTransposeTimes(L.gel, dx, grad(`h${l}.mlp.W2`, F * d), R, F, d);
      w.dRF.fill(0);
      addTimesTranspose(dx, view(`h${l}.mlp.W2`, F * d), w.dRF, R, F, d);
      const gb1 = grad(`h${l}.mlp.b1`, F);
      for (let r = 0; r < R; r++) for (let c = 0; c < F; c++) {
        const u = L.u[r * F + c];
        const du = w.dRF[r * F + c] * (L.Phi[r * F + c] + (u * Math.exp(-0.5 * u * u)) / 2.5066282746310002);
        w.dRF[r * F + c] = du;
        gb1[c] += du;
      }
      addTransposeTimes(L.h2, w.dRF, grad(`h${l}.mlp.W1`, d * F), R, d, F);
      w.tmpRd.fill(0);
      addTimesTranspose(w.dRF, view(`h${l}.mlp.W1`, d * F), w.tmpRd, R, d, F);
      layerNormBackward(w.tmpRd, view(`h${l}.ln2.gamma`, d), L.xhat2, L.rstd2, grad(`h${l}.ln2.gamma`, d), grad(`h${l}.ln2.beta`, d), dx, R, d);
      // attention branch: x += attention(LN1 x)·Wo
      addTransposeTimes(L.att, dx, grad(`h${l}.attn.Wo`, hs * d), R, hs, d);
      w.dAtt.fill(0);
      addTimesTranspose(dx, view(`h${l}.attn.Wo`, hs * d), w.dAtt, R, hs, d);
      attentionBackward(L.q, L.k, L.v, L.p, w.dAtt, w.dq, w.dk, w.dv, w.dRow, B, T, H, s, invSqrtS);
      addTransposeTimes(L.h1, w.dq, grad(`h${l}.attn.Wq`, d * hs), R, d, hs);
      addTransposeTimes(L.h1, w.dk, grad(`h${l}.attn.Wk`, d * hs), R, d, hs);
      addTransposeTimes(L.h1, w.dv, grad(`h${l}.attn.Wv`, d * hs), R, d, hs);
      w.tmpRd.fill(0);
      addTimesTranspose(w.dq, view(`h${l}.attn.Wq`, d * hs), w.tmpRd, R, d, hs);
      addTimesTranspose(w.dk, view(`h${l}.attn.Wk`, d * hs), w.tmpRd, R, d, hs);
      addTimesTranspose(w.dv, view(`h${l}.attn.Wv`, d * hs), w.tmpRd, R, d, hs);
      layerNormBackward(w.tmpRd, view(`h${l}.ln1.gamma`, d), L.xhat1, L.rstd1, grad(`h${l}.ln1.gamma`, d), grad(`h${l}.ln1.beta`, d), dx, R, d);
    }
    const gwpe = grad("wpe", this.spec.block * d);
    for (let r = 0; r < R; r++) {
      const tok = windows.inputs[r], pos = r % T;
      for (let c = 0; c < d; c++) { gwte[tok * d + c] += dx[r * d + c]; gwpe[pos * d + c] += dx[r * d + c]; }
    }
    return { loss: loss, gradient: g };
  }

  private workspace(R: number, B: number, T: number): Workspace {
    if (this.ws && this.ws.R === R && this.ws.B === B) return this.ws;
    const { vocab: V, layers: Lyr, heads: H, dModel: d } = this.spec;
    const hs = H * (this.spec.headSize ?? d / H), F = 4 * d;
    const f = (n: number) => new Float64Array(n);
    this.ws = {
      R, B,
      x: f(R * d), dx: f(R * d), tmpRd: f(R * d), dRF: f(R * F), dAtt: f(R * hs), dq: f(R * hs), dk: f(R * hs), dv: f(R * hs), dRow: f(T),
      xhatF: f(R * d), rstdF: f(R), xf: f(R * d), wteT: f(d * V), logits: f(R * V),
      layers: Array.from({ length: Lyr }, () => ({
        xhat1: f(R * d), rstd1: f(R), h1: f(R * d), q: f(R * hs), k: f(R * hs), v: f(R * hs), p: f(B * H * T * T), att: f(R * hs),
        xhat2: f(R * d), rstd2: f(R), h2: f(R * d), u: f(R * F), Phi: f(R * F), gel: f(R * F),
      })),
    };
    return this.ws;
  }
}

interface LayerCache { xhat1: Float64Array; rstd1: Float64Array; h1: Float64Array; q: Float64Array; k: Float64Array; v: Float64Array; p: Float64Array; att: Float64Array; xhat2: Float64Array; rstd2: Float64Array; h2: Float64Array; u: Float64Array; Phi: Float64Array; gel: Float64Array }
interface Workspace {
  R: number; B: number;
  x: Float64Array; dx: Float64Array; tmpRd: Float64Array; dRF: Float64Array; dAtt: Float64Array; dq: Float64Array; dk: Float64Array; dv: Float64Array; dRow: Float64Array;
  xhatF: Float64Array; rstdF: Float64Array; xf: Float64Array; wteT: Float64Array; logits: Float64Array;
  layers: LayerCache[];
}

/** Row-wise layer norm (ε = 1e-5, biased variance, as `layerNorm`), keeping x̂ and 1/√(σ² + ε). */
function layerNormForward(x: Float64Array, gamma: Float64Array, beta: Float64Array, xhat: Float64Array, rstd: Float64Array, y: Float64Array, R: number, d: number): void {
  for (let r = 0; r < R; r++) {
    const o = r * d;
    let mu = 0;
    for (let c = 0; c < d; c++) mu += x[o + c];
    mu /= d;
    let v = 0;
    for (let c = 0; c < d; c++) v += (x[o + c] - mu) ** 2;
    const rs = 1 / Math.sqrt(v / d + 1e-5);
    rstd[r] = rs;
    for (let c = 0; c < d; c++) {
      const h = (x[o + c] - mu) * rs;
      xhat[o + c] = h;
      y[o + c] = h * gamma[c] + beta[c];
    }
  }
}

/** dx += LN's input gradient for output gradient dy; dγ, dβ accumulate. */
function layerNormBackward(dy: Float64Array, gamma: Float64Array, xhat: Float64Array, rstd: Float64Array, dGamma: Float64Array, dBeta: Float64Array, dx: Float64Array, R: number, d: number): void {
  for (let r = 0; r < R; r++) {
    const o = r * d;
    let m1 = 0, m2 = 0;
    for (let c = 0; c < d; c++) {
      const g = dy[o + c];
      dGamma[c] += g * xhat[o + c];
      dBeta[c] += g;
      const dh = g * gamma[c];
      m1 += dh;
      m2 += dh * xhat[o + c];
    }
    m1 /= d; m2 /= d;
    for (let c = 0; c < d; c++) dx[o + c] += rstd[r] * (dy[o + c] * gamma[c] - m1 - xhat[o + c] * m2);
  }
}

/** Causal softmax attention per (sequence, head); q, k, v, att are [B·T, H·s]; p is [B, H, T, T]. */
function attentionForward(q: Float64Array, k: Float64Array, v: Float64Array, p: Float64Array, att: Float64Array, B: number, T: number, H: number, s: number, scale: number): void {
  const hs = H * s;
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) {
    const po = (b * H + h) * T * T, co = h * s;
    for (let i = 0; i < T; i++) {
      const qi = (b * T + i) * hs + co;
      let m = -Infinity;
      for (let j = 0; j <= i; j++) {
        const kj = (b * T + j) * hs + co;
        let dot = 0;
        for (let c = 0; c < s; c++) dot += q[qi + c] * k[kj + c];
        dot *= scale;
        p[po + i * T + j] = dot;
        if (dot > m) m = dot;
      }
      let z = 0;
      for (let j = 0; j <= i; j++) z += (p[po + i * T + j] = Math.exp(p[po + i * T + j] - m));
      for (let j = 0; j <= i; j++) p[po + i * T + j] /= z;
      for (let j = i + 1; j < T; j++) p[po + i * T + j] = 0;
      for (let c = 0; c < s; c++) att[qi + c] = 0;
      for (let j = 0; j <= i; j++) {
        const pij = p[po + i * T + j], vj = (b * T + j) * hs + co;
        for (let c = 0; c < s; c++) att[qi + c] += pij * v[vj + c];
      }
    }
  }
}

/** The gradients of q, k, v (overwritten) from d(att), through the saved probabilities p. */
function attentionBackward(q: Float64Array, k: Float64Array, v: Float64Array, p: Float64Array, dAtt: Float64Array, dq: Float64Array, dk: Float64Array, dv: Float64Array, dRow: Float64Array, B: number, T: number, H: number, s: number, scale: number): void {
  const hs = H * s;
  dq.fill(0); dk.fill(0); dv.fill(0);
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) {
    const po = (b * H + h) * T * T, co = h * s;
    for (let i = 0; i < T; i++) {
      const ri = (b * T + i) * hs + co;
      // dP_ij = dO_i·V_j and dV_j += P_ij dO_i
      let dot = 0;
      for (let j = 0; j <= i; j++) {
        const rj = (b * T + j) * hs + co, pij = p[po + i * T + j];
        let e = 0;
        for (let c = 0; c < s; c++) { e += dAtt[ri + c] * v[rj + c]; dv[rj + c] += pij * dAtt[ri + c]; }
        dRow[j] = e;
        dot += pij * e;
      }
      // dS_ij = P_ij (dP_ij − Σ_j P_ij dP_ij), then dQ_i += dS_ij K_j/√s, dK_j += dS_ij Q_i/√s
      for (let j = 0; j <= i; j++) {
        const rj = (b * T + j) * hs + co;
        const ds = p[po + i * T + j] * (dRow[j] - dot) * scale;
        for (let c = 0; c < s; c++) { dq[ri + c] += ds * k[rj + c]; dk[rj + c] += ds * q[ri + c]; }
      }
    }
  }
}
