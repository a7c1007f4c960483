import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { Stream } from "../random/stream";
import { requireInRange, requireInteger, requireLength } from "../util/validate";
import { gptLayout } from "./gpt";
import type { GptSpec } from "./gpt";

/**
 * Spectral ablation of a GPT's weight matrices (the RMT talk's open question "how relevant is this
 * part of the spectrum? remove?"): each matrix W whose Gram spectrum `weightSpectra` reports is
 * projected off a set of its singular directions, W ← W(I − P) for a head's K, Q or V (P on its s
 * columns) and for the MLP's W2 [4d, d], W ← (I − P)W for W1 [d, 4d] (P on its d rows), P the
 * orthogonal projector onto the removed eigenvectors of the Gram matrix X (WᵀW or WWᵀ, whichever is
 * d × d or s × s). Removing the eigenvectors whose eigenvalues are ≤ a cut removes the
 * Marchenko–Pastur bulk and keeps the tail; the converse keeps the bulk; random directions (Haar
 * distributed) are the control. The spectrum of the result is X's with the removed eigenvalues set
 * to 0 (tested).
 */

/** One ablatable matrix: where it sits in θ and on which side its Gram matrix lives. */
export interface AblationMatrix {
  /** The name `weightSpectra` gives it: "h0.K.head2", "h1.mlp.W1", … */
  name: string;
  /** "K", "Q", "V", "W1" or "W2". */
  kind: string;
  layer: number;
  /** θ offset of the whole [rows, cols] block, the first column c0 and the width of the part ablated (a head's columns; all columns for the MLP). */
  offset: number;
  rows: number;
  cols: number;
  c0: number;
  width: number;
  /** "right": X = WᵀW over the `width` columns, W ← W(I − P); "left": X = WWᵀ over the rows, W ← (I − P)W. */
  side: "left" | "right";
  /** The Gram matrix's size (width for "right", rows for "left"). */
  n: number;
}

/** Every head's K, Q, V and every layer's W1 and W2, with the names of `weightSpectra`. */
export function gptAblationMatrices(spec: GptSpec): AblationMatrix[] {
  const { blocks } = gptLayout(spec);
  const d = spec.dModel,
    H = spec.heads,
    s = spec.headSize ?? d / H,
    hs = H * s;
  const at = new Map(blocks.map((b) => [b.name, b.offset]));
  const out: AblationMatrix[] = [];
  for (let l = 0; l < spec.layers; l++) {
    for (const [kind, name] of [
      ["K", "Wk"],
      ["Q", "Wq"],
      ["V", "Wv"],
    ] as const) {
      for (let h = 0; h < H; h++)
        out.push({
          name: `h${l}.${kind}.head${h}`,
          kind,
          layer: l,
          offset: at.get(`h${l}.attn.${name}`)!,
          rows: d,
          cols: hs,
          c0: h * s,
          width: s,
          side: "right",
          n: s,
        });
    }
    out.push({
      name: `h${l}.mlp.W1`,
      kind: "W1",
      layer: l,
      offset: at.get(`h${l}.mlp.W1`)!,
      rows: d,
      cols: 4 * d,
      c0: 0,
      width: 4 * d,
      side: "left",
      n: d,
    });
    out.push({
      name: `h${l}.mlp.W2`,
      kind: "W2",
      layer: l,
      offset: at.get(`h${l}.mlp.W2`)!,
      rows: 4 * d,
      cols: d,
      c0: 0,
      width: d,
      side: "right",
      n: d,
    });
  }
  return out;
}

function gram(theta: ArrayLike<number>, m: AblationMatrix): Float64Array {
  const x = new Float64Array(m.n * m.n);
  for (let a = 0; a < m.n; a++)
    for (let b = a; b < m.n; b++) {
      let acc = 0;
      if (m.side === "right")
        for (let r = 0; r < m.rows; r++)
          acc += theta[m.offset + r * m.cols + m.c0 + a] * theta[m.offset + r * m.cols + m.c0 + b];
      else
        for (let c = 0; c < m.width; c++)
          acc += theta[m.offset + a * m.cols + m.c0 + c] * theta[m.offset + b * m.cols + m.c0 + c];
      x[a * m.n + b] = acc;
      x[b * m.n + a] = acc;
    }
  return x;
}

/** The Gram matrix's eigenvalues, ascending, and their unit eigenvectors (ml-matrix's symmetric decomposition), in float64. */
export function gramEigenpairs(
  theta: ArrayLike<number>,
  m: AblationMatrix,
): { values: Float64Array; vectors: Float64Array[] } {
  const x = gram(theta, m);
  const e = new EigenvalueDecomposition(
    new Matrix(Array.from({ length: m.n }, (_, i) => Array.from(x.subarray(i * m.n, (i + 1) * m.n)))),
    { assumeSymmetric: true },
  );
  const order = e.realEigenvalues
    .map((v, i) => [v, i])
    .sort((p, q) => p[0] - q[0])
    .map((p) => p[1]);
  const V = e.eigenvectorMatrix;
  return {
    values: Float64Array.from(order, (i) => e.realEigenvalues[i]),
    vectors: order.map((i) => Float64Array.from(V.getColumn(i))),
  };
}

/** W ← W(I − Σ u uᵀ) ("right") or (I − Σ u uᵀ)W ("left") in place, for orthonormal directions u of length m.n. */
export function projectOut(theta: Float64Array, m: AblationMatrix, directions: Float64Array[]): void {
  for (const u of directions) requireLength("direction", u, m.n);
  for (const u of directions) {
    if (m.side === "right") {
      for (let r = 0; r < m.rows; r++) {
        const row = m.offset + r * m.cols + m.c0;
        let dot = 0;
        for (let a = 0; a < m.n; a++) dot += theta[row + a] * u[a];
        for (let a = 0; a < m.n; a++) theta[row + a] -= dot * u[a];
      }
    } else {
      for (let c = 0; c < m.width; c++) {
        let dot = 0;
        for (let a = 0; a < m.n; a++) dot += theta[m.offset + a * m.cols + m.c0 + c] * u[a];
        for (let a = 0; a < m.n; a++) theta[m.offset + a * m.cols + m.c0 + c] -= dot * u[a];
      }
    }
  }
}

/** `count` orthonormal directions in R^n, Haar distributed (Gaussian vectors, Gram–Schmidt twice). */
export function randomDirections(n: number, count: number, stream: Stream): Float64Array[] {
  requireInteger("count", count, 0, n);
  const out: Float64Array[] = [];
  while (out.length < count) {
    const v = Float64Array.from({ length: n }, () => stream.normal());
    for (let pass = 0; pass < 2; pass++)
      for (const u of out) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += v[i] * u[i];
        for (let i = 0; i < n; i++) v[i] -= dot * u[i];
      }
    const norm = Math.hypot(...v);
    if (norm > 1e-8) out.push(v.map((x) => x / norm));
  }
  return out;
}

/** What to remove from one matrix: "bulk" (eigenvalues ≤ cut; with `fraction`, only that share of them, smallest first), "tail" (eigenvalues > cut) or "random" (`count` Haar directions). */
export type AblationRule =
  { mode: "bulk"; cut: number; fraction?: number } | { mode: "tail"; cut: number } | { mode: "random"; count: number };

/**
 * Apply `rule` to matrix `m` of θ in place; returns how many directions were removed. "bulk" with
 * fraction f removes the ⌈f·n_bulk⌉ smallest bulk directions (default f = 1). `stream` is drawn
 * from only by "random". Errors: RangeError for a fraction outside [0, 1] or a count outside
 * [0, m.n].
 */
export function ablateMatrix(theta: Float64Array, m: AblationMatrix, rule: AblationRule, stream?: Stream): number {
  if (rule.mode === "random") {
    if (!stream) throw new TypeError("ablateMatrix: a random rule needs a stream");
    const dirs = randomDirections(m.n, rule.count, stream);
    projectOut(theta, m, dirs);
    return dirs.length;
  }
  const { values, vectors } = gramEigenpairs(theta, m);
  let pick: number[];
  if (rule.mode === "tail") pick = [...values.keys()].filter((i) => values[i] > rule.cut);
  else {
    const f = rule.fraction ?? 1;
    requireInRange("fraction", f, 0, 1);
    const bulk = [...values.keys()].filter((i) => values[i] <= rule.cut);
    pick = bulk.slice(0, Math.ceil(f * bulk.length - 1e-12));
  }
  projectOut(
    theta,
    m,
    pick.map((i) => vectors[i]),
  );
  return pick.length;
}
