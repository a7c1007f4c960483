import { columnGramSpectrum, gramSpectrum } from "../rmt/weight-spectra";
import { gptLayout } from "./gpt";
import type { GptSpec } from "./gpt";

/** The spectra of X = WᵀW (the smaller Gram matrix) of every head's K, Q, V and the MLP matrices at one iteration. */
export interface WeightSpectra {
  iteration: number;
  matrices: Record<string, number[]>;
}

/**
 * The eigenvalues of X = WᵀW for each head's K, Q and V (W = the head's d × s columns of Wk, Wq, Wv:
 * "h0.K.head2" etc.; s eigenvalues each) and of the MLP matrices (the d × d Gram matrix of W1
 * [d, 4d] and of W2 [4d, d], whose nonzero spectrum is that of WᵀW), ascending, in float64 from θ
 * of either precision. The maths is lib/rmt/weight-spectra's `columnGramSpectrum` and
 * `gramSpectrum`; this function knows only where the matrices sit in the GPT's layout.
 */
export function weightSpectra(spec: GptSpec, theta: ArrayLike<number>, iteration: number): WeightSpectra {
  const { blocks } = gptLayout(spec);
  const d = spec.dModel,
    H = spec.heads,
    s = spec.headSize ?? d / H,
    hs = H * s;
  const at = new Map(blocks.map((b) => [b.name, b.offset]));
  const matrices: Record<string, number[]> = {};
  for (let l = 0; l < spec.layers; l++) {
    for (const [kind, name] of [
      ["K", "Wk"],
      ["Q", "Wq"],
      ["V", "Wv"],
    ] as const) {
      const o = at.get(`h${l}.attn.${name}`)!;
      for (let h = 0; h < H; h++) matrices[`h${l}.${kind}.head${h}`] = columnGramSpectrum(theta, o, d, hs, h * s, s);
    }
    matrices[`h${l}.mlp.W1`] = gramSpectrum(theta, at.get(`h${l}.mlp.W1`)!, d, 4 * d);
    matrices[`h${l}.mlp.W2`] = gramSpectrum(theta, at.get(`h${l}.mlp.W2`)!, 4 * d, d);
  }
  return { iteration, matrices };
}
