import { Node, Tape } from "./tape";
import { add, matmul, slice } from "./ops";
import { columnSlice, concatRows, placeColumns, rowSoftmax, scale, transpose } from "./shape-ops";

/**
 * The core of multi-head causal self-attention as one tape op: for every sequence b and head h,
 *   O_bh = P_bh V_bh,  P_bh = softmax_causal(S_bh),  S_bh = c·Q_bh K_bhᵀ,
 * where Q_bh, K_bh, V_bh are the T rows of sequence b and the s columns h·s … (h+1)·s − 1 of
 * Q, K, V ([sequences·T, heads·s] each), and row i of S only sees columns j ≤ i (Vaswani et al. 2017;
 * the causal mask as in GPT).
 *
 * Why one op: composed from slices, products, transposes and row softmaxes, attention costs about
 * 40 tape nodes per (sequence, head), each with its own allocations. On short sequences (modular
 * addition, T = 3) that bookkeeping, not the arithmetic, is the cost of a gradient. Here one node
 * holds all of it and the loops run over Float64Array.
 *
 * The four rules, per (b, h), with r_i = Σ_j P_ij gP_ij:
 *   value     S = c Q Kᵀ, P = softmax_causal(S), O = P V;
 *   tangent   Ṡ = c(Q̇ Kᵀ + Q K̇ᵀ), Ṗ = P ⊙ (Ṡ − rowsum(P ⊙ Ṡ)), Ȯ = Ṗ V + P V̇;
 *   adjoint   gP = G Vᵀ, gV = Pᵀ G, gS = P ⊙ (gP − r), gQ = c gS K, gK = c gSᵀ Q;
 *   adjoint's tangent  ġP = Ġ Vᵀ + G V̇ᵀ, ġV = Ṗᵀ G + Pᵀ Ġ, ṙ = rowsum(Ṗ ⊙ gP + P ⊙ ġP),
 *             ġS = Ṗ ⊙ (gP − r) + P ⊙ (ġP − ṙ), ġQ = c(ġS K + gS K̇), ġK = c(ġSᵀ Q + gSᵀ Q̇).
 * With k tangents every block runs the same loops in the same order as with one, so the k
 * products equal k separate sweeps bit for bit; the gradient is computed once.
 * Errors: a RangeError for unequal shapes, columns that do not split into `heads`, or rows that
 * do not split into `sequences`.
 */
export function causalAttention(
  tape: Tape,
  Q: Node,
  K: Node,
  V: Node,
  heads: number,
  sequences: number,
  c: number,
): Node {
  if (
    Q.shape.length !== 2 ||
    [K, V].some((n) => n.shape.length !== 2 || n.shape[0] !== Q.shape[0] || n.shape[1] !== Q.shape[1])
  )
    throw new RangeError(
      `causalAttention: Q, K, V must be matrices of one shape, got [${Q.shape.join(", ")}], [${K.shape.join(", ")}], [${V.shape.join(", ")}]`,
    );
  const [rows, width] = Q.shape;
  if (!Number.isInteger(heads) || heads < 1 || width % heads !== 0)
    throw new RangeError(`causalAttention: ${width} columns do not split into ${heads} heads`);
  if (!Number.isInteger(sequences) || sequences < 1 || rows % sequences !== 0)
    throw new RangeError(`causalAttention: ${rows} rows do not split into ${sequences} sequences of equal length`);
  const T = rows / sequences,
    s = width / heads,
    k = tape.tangents,
    size = rows * width,
    blocks = sequences * heads,
    TT = T * T;
  // P for every (b, h), row-major T × T (entries above the diagonal stay 0)
  const P = new Float64Array(blocks * TT);
  const value = new Float64Array(size);
  const q = Q.value,
    kv = K.value,
    v = V.value;
  for (let b = 0; b < sequences; b++)
    for (let h = 0; h < heads; h++) {
      const p0 = (b * heads + h) * TT,
        col = h * s;
      for (let i = 0; i < T; i++) {
        const qi = (b * T + i) * width + col,
          pi = p0 + i * T;
        let mx = -Infinity;
        for (let j = 0; j <= i; j++) {
          const kj = (b * T + j) * width + col;
          let dot = 0;
          for (let d = 0; d < s; d++) dot += q[qi + d] * kv[kj + d];
          P[pi + j] = c * dot;
          if (P[pi + j] > mx) mx = P[pi + j];
        }
        let z = 0;
        for (let j = 0; j <= i; j++) z += P[pi + j] = Math.exp(P[pi + j] - mx);
        for (let j = 0; j <= i; j++) P[pi + j] /= z;
        for (let j = 0; j <= i; j++) {
          const pij = P[pi + j],
            vj = (b * T + j) * width + col;
          for (let d = 0; d < s; d++) value[qi + d] += pij * v[vj + d];
        }
      }
    }
  // tangents: Ṗ kept per block for the reverse sweep
  const tangentOf = (n: Node, t: number) => (n.tangent ? n.tangent.subarray(t * size, (t + 1) * size) : null);
  let tangent: Float64Array | null = null,
    Pdot: Float64Array | null = null;
  if (Q.tangent || K.tangent || V.tangent) {
    tangent = new Float64Array(k * size);
    Pdot = new Float64Array(k * blocks * TT);
    for (let t = 0; t < k; t++) {
      const qd = tangentOf(Q, t),
        kd = tangentOf(K, t),
        vd = tangentOf(V, t),
        od = tangent.subarray(t * size, (t + 1) * size),
        pd = Pdot.subarray(t * blocks * TT, (t + 1) * blocks * TT);
      for (let b = 0; b < sequences; b++)
        for (let h = 0; h < heads; h++) {
          const p0 = (b * heads + h) * TT,
            col = h * s;
          for (let i = 0; i < T; i++) {
            const qi = (b * T + i) * width + col,
              pi = p0 + i * T;
            let mean = 0;
            for (let j = 0; j <= i; j++) {
              const kj = (b * T + j) * width + col;
              let dot = 0;
              if (qd) for (let d = 0; d < s; d++) dot += qd[qi + d] * kv[kj + d];
              if (kd) for (let d = 0; d < s; d++) dot += q[qi + d] * kd[kj + d];
              pd[pi + j] = c * dot; // Ṡ for now
              mean += P[pi + j] * pd[pi + j];
            }
            for (let j = 0; j <= i; j++) {
              pd[pi + j] = P[pi + j] * (pd[pi + j] - mean);
              const vj = (b * T + j) * width + col,
                a = pd[pi + j],
                pij = P[pi + j];
              for (let d = 0; d < s; d++) od[qi + d] += a * v[vj + d];
              if (vd) for (let d = 0; d < s; d++) od[qi + d] += pij * vd[vj + d];
            }
          }
        }
    }
  }
  const out = tape.record(new Node([rows, width], value, tangent, Q.requiresGrad || K.requiresGrad || V.requiresGrad));
  out.pullback = () => {
    const G = out.grad!,
      Gt = out.gradTangent;
    const gQ = Q.requiresGrad ? Q.gradBuffer() : null,
      gK = K.requiresGrad ? K.gradBuffer() : null,
      gV = V.requiresGrad ? V.gradBuffer() : null;
    // gP and gS for every block (the tangent rules reuse both)
    const gP = new Float64Array(blocks * TT),
      gS = new Float64Array(blocks * TT),
      r = new Float64Array(blocks * T);
    for (let b = 0; b < sequences; b++)
      for (let h = 0; h < heads; h++) {
        const p0 = (b * heads + h) * TT,
          col = h * s;
        for (let i = 0; i < T; i++) {
          const gi = (b * T + i) * width + col,
            pi = p0 + i * T;
          let ri = 0;
          for (let j = 0; j <= i; j++) {
            const vj = (b * T + j) * width + col;
            let dot = 0;
            for (let d = 0; d < s; d++) dot += G[gi + d] * v[vj + d];
            gP[pi + j] = dot;
            ri += P[pi + j] * dot;
            if (gV) {
              const pij = P[pi + j];
              for (let d = 0; d < s; d++) gV[vj + d] += pij * G[gi + d];
            }
          }
          r[(b * heads + h) * T + i] = ri;
          for (let j = 0; j <= i; j++) {
            const gs = (gS[pi + j] = P[pi + j] * (gP[pi + j] - ri)),
              kj = (b * T + j) * width + col;
            if (gQ) for (let d = 0; d < s; d++) gQ[gi + d] += c * gs * kv[kj + d];
            if (gK) for (let d = 0; d < s; d++) gK[kj + d] += c * gs * q[gi + d];
          }
        }
      }
    if (!Gt && !tangent) return;
    const gPdotRow = new Float64Array(T); // ġP_ij of the current row i
    const tQ = Q.requiresGrad ? Q.gradTangentBuffer() : null,
      tK = K.requiresGrad ? K.gradTangentBuffer() : null,
      tV = V.requiresGrad ? V.gradTangentBuffer() : null;
    for (let t = 0; t < k; t++) {
      const gt = Gt ? Gt.subarray(t * size, (t + 1) * size) : null,
        qd = tangentOf(Q, t),
        kd = tangentOf(K, t),
        vd = tangentOf(V, t),
        pd = Pdot ? Pdot.subarray(t * blocks * TT, (t + 1) * blocks * TT) : null,
        oQ = tQ ? tQ.subarray(t * size, (t + 1) * size) : null,
        oK = tK ? tK.subarray(t * size, (t + 1) * size) : null,
        oV = tV ? tV.subarray(t * size, (t + 1) * size) : null;
      for (let b = 0; b < sequences; b++)
        for (let h = 0; h < heads; h++) {
          const p0 = (b * heads + h) * TT,
            col = h * s;
          for (let i = 0; i < T; i++) {
            const gi = (b * T + i) * width + col,
              pi = p0 + i * T,
              ri = r[(b * heads + h) * T + i];
            // ġP_ij (in gPdotRow) and ṙ_i
            let rdot = 0;
            for (let j = 0; j <= i; j++) {
              const vj = (b * T + j) * width + col;
              let dot = 0;
              if (gt) for (let d = 0; d < s; d++) dot += gt[gi + d] * v[vj + d];
              if (vd) for (let d = 0; d < s; d++) dot += G[gi + d] * vd[vj + d];
              gPdotRow[j] = dot;
              rdot += (pd ? pd[pi + j] * gP[pi + j] : 0) + P[pi + j] * dot;
              if (oV) {
                const pij = P[pi + j],
                  a = pd ? pd[pi + j] : 0;
                if (pd) for (let d = 0; d < s; d++) oV[vj + d] += a * G[gi + d];
                if (gt) for (let d = 0; d < s; d++) oV[vj + d] += pij * gt[gi + d];
              }
            }
            for (let j = 0; j <= i; j++) {
              const kj = (b * T + j) * width + col,
                gsd = (pd ? pd[pi + j] * (gP[pi + j] - ri) : 0) + P[pi + j] * (gPdotRow[j] - rdot),
                gs = gS[pi + j];
              if (oQ) {
                for (let d = 0; d < s; d++) oQ[gi + d] += c * gsd * kv[kj + d];
                if (kd) for (let d = 0; d < s; d++) oQ[gi + d] += c * gs * kd[kj + d];
              }
              if (oK) {
                for (let d = 0; d < s; d++) oK[kj + d] += c * gsd * q[gi + d];
                if (qd) for (let d = 0; d < s; d++) oK[kj + d] += c * gs * qd[gi + d];
              }
            }
          }
        }
    }
  };
  return out;
}

/**
 * The same attention composed from the tape's primitives, one (sequence, head) at a time (slices,
 * products, a transpose, the causal row softmax, placed columns): about 40 nodes per (sequence,
 * head), exact by composition. The reference `causalAttention` is tested and benchmarked against
 * (test/nn/causal-attention, `npm run bench -- attention`); same arguments, same errors for bad
 * shapes as the primitives give.
 */
export function composedCausalAttention(
  tape: Tape,
  Q: Node,
  K: Node,
  V: Node,
  heads: number,
  sequences: number,
  c: number,
): Node {
  const [rows, width] = Q.shape,
    T = rows / sequences,
    s = width / heads;
  const perSequence: Node[] = [];
  for (let b = 0; b < sequences; b++) {
    const rowsOf = (M: Node) => slice(tape, M, b * T * width, [T, width]);
    let acc: Node | null = null;
    for (let h = 0; h < heads; h++) {
      const cols = (M: Node) => columnSlice(tape, rowsOf(M), h * s, s);
      const scores = scale(tape, matmul(tape, cols(Q), transpose(tape, cols(K))), c);
      const head = placeColumns(
        tape,
        matmul(tape, rowSoftmax(tape, scores, { causalBlock: T }), cols(V)),
        h * s,
        width,
      );
      acc = acc ? add(tape, acc, head) : head;
    }
    perSequence.push(acc!);
  }
  return concatRows(tape, perSequence);
}
