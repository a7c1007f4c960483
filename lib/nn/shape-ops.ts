import { Node, Tape } from "./tape";

/**
 * Shape and broadcasting ops for lib/nn: the linear ones (transpose, scale, rowMean, gatherRows)
 * pass gradients and their tangents through the same linear map; the bilinear broadcasts (mulRow,
 * mulCol, addCol) follow the product rule; rowSoftmax has its own second-order rule. With these,
 * layer norm and attention are compositions (lib/nn/layers) whose HVPs are exact by construction.
 * On a tape of k tangents every rule runs once per tangent block (lib/nn/tape), in the same order.
 */

const zeros = (n: number) => new Float64Array(n);
const need2d = (op: string, a: Node) => {
  if (a.shape.length !== 2) throw new RangeError(`${op}: needs a matrix [m, n], got shape [${a.shape.join(", ")}]`);
  return a.shape as [number, number];
};

/** A generic linear op y = L(a) with adjoint Lᵀ (applied to grads and grad tangents alike). */
function linear(
  tape: Tape,
  a: Node,
  shape: number[],
  forward: (x: Float64Array, out: Float64Array) => void,
  adjoint: (g: Float64Array, acc: Float64Array) => void,
): Node {
  const size = shape.reduce((x, y) => x * y, 1),
    T = tape.tangents,
    A = a.size;
  const value = zeros(size);
  forward(a.value, value);
  let tangent: Float64Array | null = null;
  if (a.tangent) {
    tangent = zeros(T * size);
    for (let c = 0; c < T; c++)
      forward(a.tangent.subarray(c * A, (c + 1) * A), tangent.subarray(c * size, (c + 1) * size));
  }
  const out = tape.record(new Node(shape, value, tangent, a.requiresGrad));
  out.pullback = () => {
    if (!a.requiresGrad) return;
    adjoint(out.grad!, a.gradBuffer());
    if (out.gradTangent) {
      const acc = a.gradTangentBuffer(),
        gt = out.gradTangent;
      for (let c = 0; c < T; c++) adjoint(gt.subarray(c * size, (c + 1) * size), acc.subarray(c * A, (c + 1) * A));
    }
  };
  return out;
}

/** Matrix transpose [m, n] → [n, m]. */
export function transpose(tape: Tape, a: Node): Node {
  const [m, n] = need2d("transpose", a);
  return linear(
    tape,
    a,
    [n, m],
    (x, o) => {
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) o[j * m + i] = x[i * n + j];
    },
    (g, acc) => {
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) acc[i * n + j] += g[j * m + i];
    },
  );
}

/** c·a for a constant c. */
export function scale(tape: Tape, a: Node, c: number): Node {
  return linear(
    tape,
    a,
    [...a.shape],
    (x, o) => {
      for (let i = 0; i < x.length; i++) o[i] = c * x[i];
    },
    (g, acc) => {
      for (let i = 0; i < g.length; i++) acc[i] += c * g[i];
    },
  );
}

/** Row means [m, n] → [m, 1]. */
export function rowMean(tape: Tape, a: Node): Node {
  const [m, n] = need2d("rowMean", a);
  return linear(
    tape,
    a,
    [m, 1],
    (x, o) => {
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += x[i * n + j];
        o[i] = s / n;
      }
    },
    (g, acc) => {
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) acc[i * n + j] += g[i] / n;
    },
  );
}

/**
 * Rows of a table ([V, d]) picked by integer indices: the embedding lookup, [indices.length, d].
 * Errors: a RangeError for an index outside 0…V−1.
 */
export function gatherRows(tape: Tape, table: Node, indices: ArrayLike<number>): Node {
  const [V, d] = need2d("gatherRows", table);
  for (let i = 0; i < indices.length; i++)
    if (!Number.isInteger(indices[i]) || indices[i] < 0 || indices[i] >= V)
      throw new RangeError(`gatherRows: index ${i} is ${indices[i]}, outside 0…${V - 1}`);
  const T = indices.length;
  return linear(
    tape,
    table,
    [T, d],
    (x, o) => {
      for (let t = 0; t < T; t++) for (let j = 0; j < d; j++) o[t * d + j] = x[indices[t] * d + j];
    },
    (g, acc) => {
      for (let t = 0; t < T; t++) for (let j = 0; j < d; j++) acc[indices[t] * d + j] += g[t * d + j];
    },
  );
}

/** A generic bilinear broadcast y_ij = a_ij ∘ b_k(i,j) with ∘ = · or +; a [m, n], b indexed by `bi`. */
function broadcast(
  tape: Tape,
  a: Node,
  b: Node,
  name: string,
  bi: (i: number, j: number) => number,
  product: boolean,
): Node {
  const [m, n] = need2d(name, a);
  const T = tape.tangents,
    S = m * n,
    Bs = b.size;
  const value = zeros(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++)
      value[i * n + j] = product ? a.value[i * n + j] * b.value[bi(i, j)] : a.value[i * n + j] + b.value[bi(i, j)];
  let tangent: Float64Array | null = null;
  if (a.tangent || b.tangent) {
    tangent = zeros(T * S);
    for (let c = 0; c < T; c++)
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          const ta = a.tangent ? a.tangent[c * S + i * n + j] : 0,
            tb = b.tangent ? b.tangent[c * Bs + bi(i, j)] : 0;
          tangent[c * S + i * n + j] = product ? ta * b.value[bi(i, j)] + a.value[i * n + j] * tb : ta + tb;
        }
  }
  const out = tape.record(new Node([m, n], value, tangent, a.requiresGrad || b.requiresGrad));
  out.pullback = () => {
    const g = out.grad!,
      gt = out.gradTangent;
    const ga = a.requiresGrad ? a.gradBuffer() : null,
      gb = b.requiresGrad ? b.gradBuffer() : null;
    const needT = gt !== null || (product && (a.tangent !== null || b.tangent !== null));
    const ta = a.requiresGrad && needT ? a.gradTangentBuffer() : null,
      tb = b.requiresGrad && needT ? b.gradTangentBuffer() : null;
    // the gradient, then (on a tape of several tangents) each tangent block; with one tangent both
    // are updated entry by entry together, as before (the same sums in the same order either way)
    for (let c = 0; c < T; c++)
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          const k = i * n + j,
            l = bi(i, j),
            gv = g[k],
            kc = c * S + k,
            lc = c * Bs + l,
            gtv = gt ? gt[kc] : 0;
          if (product) {
            if (c === 0 && ga) ga[k] += b.value[l] * gv;
            if (c === 0 && gb) gb[l] += a.value[k] * gv;
            if (ta) ta[kc] += (b.tangent ? b.tangent[lc] : 0) * gv + b.value[l] * gtv;
            if (tb) tb[lc] += (a.tangent ? a.tangent[kc] : 0) * gv + a.value[k] * gtv;
          } else {
            if (c === 0 && ga) ga[k] += gv;
            if (c === 0 && gb) gb[l] += gv;
            if (ta) ta[kc] += gtv;
            if (tb) tb[lc] += gtv;
          }
        }
  };
  return out;
}

/** y_ij = a_ij · b_j for a [m, n] and b of n entries (e.g. layer norm's gain). */
export function mulRow(tape: Tape, a: Node, b: Node): Node {
  if (a.shape.length !== 2 || b.size !== a.shape[1])
    throw new RangeError(
      `mulRow: shapes [${a.shape.join(", ")}] and [${b.shape.join(", ")}] do not broadcast (need [m, n] · [n])`,
    );
  return broadcast(tape, a, b, "mulRow", (_i, j) => j, true);
}

/** y_ij = a_ij · b_i for a [m, n] and b of m entries (e.g. [m, 1]). */
export function mulCol(tape: Tape, a: Node, b: Node): Node {
  if (a.shape.length !== 2 || b.size !== a.shape[0])
    throw new RangeError(
      `mulCol: shapes [${a.shape.join(", ")}] and [${b.shape.join(", ")}] do not broadcast (need [m, n] · [m, 1])`,
    );
  return broadcast(tape, a, b, "mulCol", (i) => i, true);
}

/** y_ij = a_ij + b_i for a [m, n] and b of m entries (e.g. minus a row mean, through scale(−1)). */
export function addCol(tape: Tape, a: Node, b: Node): Node {
  if (a.shape.length !== 2 || b.size !== a.shape[0])
    throw new RangeError(
      `addCol: shapes [${a.shape.join(", ")}] and [${b.shape.join(", ")}] do not broadcast (need [m, n] + [m, 1])`,
    );
  return broadcast(tape, a, b, "addCol", (i) => i, false);
}

/**
 * Softmax of each row of z ([m, n]); with `causalBlock` T, row i only sees columns j ≤ i mod T
 * (the causal mask of self-attention; masked entries are exactly 0). Rules, per row:
 *   ẏ = y ⊙ (ż − ⟨y, ż⟩);  g_z = y ⊙ (g − ⟨y, g⟩);
 *   ġ_z = ẏ ⊙ (g − ⟨y, g⟩) + y ⊙ (ġ − ⟨ẏ, g⟩ − ⟨y, ġ⟩).
 * Errors: a RangeError if causalBlock does not equal the row length n.
 */
export function rowSoftmax(tape: Tape, z: Node, o: { causalBlock?: number } = {}): Node {
  const [m, n] = need2d("rowSoftmax", z);
  if (o.causalBlock !== undefined && o.causalBlock !== n)
    throw new RangeError(`rowSoftmax: causalBlock ${o.causalBlock} must equal the row length ${n}`);
  const limit = (i: number) => (o.causalBlock ? (i % n) + 1 : n);
  const y = zeros(m * n);
  for (let i = 0; i < m; i++) {
    const L = limit(i);
    let mx = -Infinity;
    for (let j = 0; j < L; j++) mx = Math.max(mx, z.value[i * n + j]);
    let s = 0;
    for (let j = 0; j < L; j++) s += y[i * n + j] = Math.exp(z.value[i * n + j] - mx);
    for (let j = 0; j < L; j++) y[i * n + j] /= s;
  }
  const rowDot = (a: Float64Array, b: Float64Array, i: number) => {
    let s = 0;
    for (let j = 0; j < n; j++) s += a[i * n + j] * b[i * n + j];
    return s;
  };
  const T = tape.tangents,
    S = m * n;
  const block = (x: Float64Array, c: number) => (T === 1 ? x : x.subarray(c * S, (c + 1) * S));
  let tangent: Float64Array | null = null;
  if (z.tangent) {
    tangent = zeros(T * S);
    for (let t = 0; t < T; t++) {
      const zt = block(z.tangent, t),
        yt = block(tangent, t);
      for (let i = 0; i < m; i++) {
        const c = rowDot(y, zt, i);
        for (let j = 0; j < limit(i); j++) yt[i * n + j] = y[i * n + j] * (zt[i * n + j] - c);
      }
    }
  }
  const out = tape.record(new Node([m, n], y, tangent, z.requiresGrad));
  out.pullback = () => {
    if (!z.requiresGrad) return;
    const g = out.grad!,
      gt = out.gradTangent,
      gz = z.gradBuffer();
    const tz = gt || tangent ? z.gradTangentBuffer() : null;
    // the gradient with the first tangent block, as with one tangent; then the other blocks
    for (let t = 0; t < T; t++) {
      const yt = tangent ? block(tangent, t) : null,
        gtt = gt ? block(gt, t) : null,
        tzt = tz ? block(tz, t) : null;
      for (let i = 0; i < m; i++) {
        const yg = rowDot(y, g, i);
        const ydg = yt ? rowDot(yt, g, i) : 0,
          ygt = gtt ? rowDot(y, gtt, i) : 0;
        for (let j = 0; j < limit(i); j++) {
          const k = i * n + j;
          if (t === 0) gz[k] += y[k] * (g[k] - yg);
          if (tzt) tzt[k] += (yt ? yt[k] : 0) * (g[k] - yg) + y[k] * ((gtt ? gtt[k] : 0) - ydg - ygt);
        }
      }
    }
  };
  return out;
}

/** Columns c0 … c0 + w − 1 of a matrix [m, n] → [m, w] (e.g. one attention head). Errors: a RangeError past the last column. */
export function columnSlice(tape: Tape, a: Node, c0: number, w: number): Node {
  const [m, n] = need2d("columnSlice", a);
  if (!Number.isInteger(c0) || !Number.isInteger(w) || c0 < 0 || w < 1 || c0 + w > n)
    throw new RangeError(`columnSlice: columns ${c0}…${c0 + w - 1} of a matrix with ${n}`);
  return linear(
    tape,
    a,
    [m, w],
    (x, o) => {
      for (let i = 0; i < m; i++) for (let j = 0; j < w; j++) o[i * w + j] = x[i * n + c0 + j];
    },
    (g, acc) => {
      for (let i = 0; i < m; i++) for (let j = 0; j < w; j++) acc[i * n + c0 + j] += g[i * w + j];
    },
  );
}

/** A matrix [m, w] placed at columns c0 … c0 + w − 1 of a zero matrix [m, total] (the adjoint of columnSlice). */
export function placeColumns(tape: Tape, a: Node, c0: number, total: number): Node {
  const [m, w] = need2d("placeColumns", a);
  if (!Number.isInteger(c0) || !Number.isInteger(total) || c0 < 0 || c0 + w > total)
    throw new RangeError(`placeColumns: columns ${c0}…${c0 + w - 1} do not fit in ${total}`);
  return linear(
    tape,
    a,
    [m, total],
    (x, o) => {
      for (let i = 0; i < m; i++) for (let j = 0; j < w; j++) o[i * total + c0 + j] = x[i * w + j];
    },
    (g, acc) => {
      for (let i = 0; i < m; i++) for (let j = 0; j < w; j++) acc[i * w + j] += g[i * total + c0 + j];
    },
  );
}

/**
 * Matrices with equal column counts stacked vertically ([m₁ + m₂ + …, n]): the values (and
 * tangents) are copied in order, the adjoint hands each part its own block of rows back.
 * Errors: a RangeError naming the first part whose column count differs.
 */
export function concatRows(tape: Tape, parts: Node[]): Node {
  if (parts.length === 0) throw new RangeError("concatRows: no parts");
  const n = need2d("concatRows", parts[0])[1];
  const starts: number[] = [];
  let m = 0;
  for (const p of parts) {
    const [pm, pn] = need2d("concatRows", p);
    if (pn !== n)
      throw new RangeError(
        `concatRows: part ${starts.length} has shape [${p.shape.join(", ")}], the first has [${parts[0].shape.join(", ")}] (column counts differ)`,
      );
    starts.push(m * n);
    m += pm;
  }
  const value = zeros(m * n);
  parts.forEach((p, k) => value.set(p.value, starts[k]));
  const T = tape.tangents,
    S = m * n;
  let tangent: Float64Array | null = null;
  if (parts.some((p) => p.tangent)) {
    tangent = zeros(T * S);
    for (let c = 0; c < T; c++)
      parts.forEach((p, k) => {
        if (p.tangent) tangent!.set(p.tangent.subarray(c * p.size, (c + 1) * p.size), c * S + starts[k]);
      });
  }
  const out = tape.record(
    new Node(
      [m, n],
      value,
      tangent,
      parts.some((p) => p.requiresGrad),
    ),
  );
  out.pullback = () => {
    parts.forEach((p, k) => {
      if (!p.requiresGrad) return;
      const g = p.gradBuffer(),
        o = starts[k];
      for (let i = 0; i < p.size; i++) g[i] += out.grad![o + i];
      if (out.gradTangent) {
        const t = p.gradTangentBuffer();
        for (let c = 0; c < T; c++)
          for (let i = 0; i < p.size; i++) t[c * p.size + i] += out.gradTangent[c * S + o + i];
      }
    });
  };
  return out;
}
