import { Node, Tape } from "./tape";
import { addRow, elementwise, matmul, mul } from "./ops";
import { addCol, mulCol, mulRow, rowMean, scale } from "./shape-ops";
import { causalAttention } from "./causal-attention";

/**
 * Layer normalisation of each row of x ([m, n]) with gain γ and bias β (n entries each):
 *   y = (x − μ)/√(σ² + ε) ⊙ γ + β,  μ, σ² the row's mean and (biased) variance (Ba, Kiros & Hinton 2016).
 * Built from primitives, so its gradient and HVP are exact by composition. Default ε = 1e-5.
 */
export function layerNorm(tape: Tape, x: Node, gamma: Node, beta: Node, eps = 1e-5): Node {
  const mu = rowMean(tape, x);
  const xc = addCol(tape, x, scale(tape, mu, -1));
  const variance = rowMean(tape, mul(tape, xc, xc));
  const inv = elementwise(
    tape,
    variance,
    "layerNorm 1/√(σ²+ε)",
    (v) => 1 / Math.sqrt(v + eps),
    (v) => -0.5 * Math.pow(v + eps, -1.5),
    (v) => 0.75 * Math.pow(v + eps, -2.5),
  );
  return addRow(tape, mulRow(tape, mulCol(tape, xc, inv), gamma), beta);
}

/**
 * Multi-head causal self-attention with per-head projections taken from the weight matrices
 * Wq, Wk, Wv ([d, h·s]) and the output projection Wo ([h·s, d]): head k uses columns
 * k·s … (k+1)·s − 1; A_k = softmax_causal(c·Q_k K_kᵀ); out = [A_k V_k]_k Wo (Vaswani et al. 2017;
 * the causal mask as in GPT). x holds `sequences` sequences of equal length T stacked by rows
 * ([sequences·T, d], default one): the projections act on all rows at once, attention stays within
 * each sequence. The projections are tape matmuls; the attention between them is one op,
 * `causalAttention` (lib/nn/causal-attention), for all sequences and heads at once. Options: scale c
 * of the scores (default 1/√s; the lecture's GPT uses 1/√d).
 * Errors: a RangeError for inconsistent shapes.
 */
export function causalSelfAttention(
  tape: Tape,
  x: Node,
  Wq: Node,
  Wk: Node,
  Wv: Node,
  Wo: Node,
  heads: number,
  sequences = 1,
  o: { scale?: number } = {},
): Node {
  const [rows] = x.shape;
  const hs = Wq.shape[1];
  if (hs % heads !== 0)
    throw new RangeError(`causalSelfAttention: ${hs} projected columns do not split into ${heads} heads`);
  if (!Number.isInteger(sequences) || sequences < 1 || rows % sequences !== 0)
    throw new RangeError(`causalSelfAttention: ${rows} rows do not split into ${sequences} sequences of equal length`);
  const c = o.scale ?? 1 / Math.sqrt(hs / heads);
  const Q = matmul(tape, x, Wq),
    K = matmul(tape, x, Wk),
    V = matmul(tape, x, Wv);
  return matmul(tape, causalAttention(tape, Q, K, V, heads, sequences, c), Wo);
}
