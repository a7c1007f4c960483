import { Node, NonFiniteError, Tape } from "./tape";
import { normalCdfSeries, normalPdfSeries } from "./gelu";
import { addTimesTransposeInto, addTransposeTimesInto, matmulInto, transposeInto } from "../kernels/matmul";

/**
 * Differentiable ops on the tape (lib/nn/tape), each with its four rules: value, tangent (forward
 * derivative along v), adjoint (reverse derivative) and the tangent of the adjoint (which makes
 * the HVP exact). A missing tangent is zero. First version: clear loops over Float64Array, one
 * allocation per op and call; the fast kernels of issue 13 come later behind the same rules.
 */

const zeros = (n: number) => new Float64Array(n);
/** A node's tangents, or zeros (k blocks of its size) when it has none. */
const tan = (n: Node, k: number) => n.tangent ?? zeros(n.size * k);
const anyTangent = (...ns: Node[]) => ns.some((n) => n.tangent !== null);
const wantsGrad = (...ns: Node[]) => ns.some((n) => n.requiresGrad);

function shapeError(op: string, a: readonly number[], b: readonly number[], why: string): RangeError {
  return new RangeError(`${op}: shapes [${a.join(", ")}] and [${b.join(", ")}] ${why}`);
}

/** Transposes of frozen data (`Tape.data`), computed once per array: the first layer's inputs are fixed across training steps. */
const transposes = new WeakMap<Float64Array, Float64Array>();
function frozenTranspose(a: Node): Float64Array {
  let t = transposes.get(a.value);
  if (!t) transposes.set(a.value, (t = transposeInto(a.value, new Float64Array(a.size), a.shape[0], a.shape[1])));
  return t;
}

/**
 * k tangent blocks [k, r, n] (tangent-major) laid side by side as one [r, k·n] matrix, so that a
 * product with a fixed left factor runs as one kernel call for all k; `unpack` is the inverse.
 */
function pack(x: Float64Array, k: number, r: number, n: number): Float64Array {
  const out = zeros(k * r * n);
  for (let c = 0; c < k; c++)
    for (let i = 0; i < r; i++) {
      const src = (c * r + i) * n,
        dst = i * k * n + c * n;
      for (let j = 0; j < n; j++) out[dst + j] = x[src + j];
    }
  return out;
}

/** acc[c, i, j] += y[i, c·n + j]: a [r, k·n] product added back into k tangent blocks [k, r, n]. */
function addUnpacked(y: Float64Array, acc: Float64Array, k: number, r: number, n: number): void {
  for (let c = 0; c < k; c++)
    for (let i = 0; i < r; i++) {
      const dst = (c * r + i) * n,
        src = i * k * n + c * n;
      for (let j = 0; j < n; j++) acc[dst + j] += y[src + j];
    }
}

/** acc[c, p, j] += y[j, c·k + p]: an [n, t·k] product added, transposed, into t blocks [t, k, n]. */
function addTransposedBlocks(y: Float64Array, acc: Float64Array, t: number, k: number, n: number): void {
  const w = t * k;
  for (let c = 0; c < t; c++)
    for (let p = 0; p < k; p++) {
      const dst = (c * k + p) * n,
        src = c * k + p;
      for (let j = 0; j < n; j++) acc[dst + j] += y[j * w + src];
    }
}

/** The inverse of `pack`: [r, k·n] → k blocks [k, r, n] (a copy, where addUnpacked would add to zeros: the same bits, as a kernel sum is never −0). */
function unpack(y: Float64Array, k: number, r: number, n: number): Float64Array {
  const out = zeros(k * r * n);
  for (let c = 0; c < k; c++)
    for (let i = 0; i < r; i++) {
      const dst = (c * r + i) * n,
        src = i * k * n + c * n;
      for (let j = 0; j < n; j++) out[dst + j] = y[src + j];
    }
  return out;
}

/**
 * C = A B for A of shape [m, k] and B of shape [k, n]. With t tangents the tangent products run as
 * single kernel calls over all t: Ȧ B as [t·m, k]·[k, n], A Ḃ as [m, k]·[k, t·n] (Ḃ's blocks side
 * by side), and likewise for the adjoint's tangents; each entry is the same sum in the same order
 * as with one tangent. Errors: a RangeError naming both shapes.
 */
export function matmul(tape: Tape, a: Node, b: Node): Node {
  if (a.shape.length !== 2 || b.shape.length !== 2 || a.shape[1] !== b.shape[0])
    throw shapeError("matmul", a.shape, b.shape, "do not multiply (need [m, k]·[k, n])");
  const [m, k] = a.shape,
    n = b.shape[1],
    T = tape.tangents;
  // forward products through the SIMD kernel (lib/kernels/matmul: 12 GFLOP/s against 1.3 for a JS loop at 256³)
  const value = matmulInto(a.value, b.value, zeros(m * n), m, k, n);
  let tangent: Float64Array | null = null;
  // Ȧ B + A Ḃ; a missing factor's product is zero and skipped (a kernel sum from +0 is never −0, so
  // adding or omitting a zero product leaves the same bits)
  if (a.tangent) tangent = matmulInto(a.tangent, b.value, zeros(T * m * n), T * m, k, n);
  if (b.tangent) {
    if (T === 1) {
      const second = matmulInto(a.value, b.tangent, zeros(m * n), m, k, n);
      if (tangent) for (let i = 0; i < m * n; i++) tangent[i] += second[i];
      else tangent = second;
    } else {
      const second = matmulInto(a.value, pack(b.tangent, T, k, n), zeros(m * T * n), m, k, T * n);
      if (tangent) addUnpacked(second, tangent, T, m, n);
      else tangent = unpack(second, T, m, n);
    }
  }
  const out = tape.record(new Node([m, n], value, tangent, wantsGrad(a, b)));
  // gA = gC Bᵀ, gB = Aᵀ gC; their tangents add the products with the other factor's tangent (all in the SIMD kernel).
  const mulBt = (g: Float64Array, y: Float64Array, acc: Float64Array, rows = m, cols = k) =>
    addTimesTransposeInto(g, y, acc, rows, cols, n);
  const mulAt = (x: Float64Array, g: Float64Array, acc: Float64Array, cols = k, width = n) =>
    addTransposeTimesInto(x, g, acc, m, cols, width, x === a.value && a.frozen ? frozenTranspose(a) : undefined);
  out.pullback = () => {
    const g = out.grad!,
      gt = out.gradTangent;
    if (a.requiresGrad) {
      mulBt(g, b.value, a.gradBuffer());
      if (gt || b.tangent) {
        const acc = a.gradTangentBuffer();
        if (gt) mulBt(gt, b.value, acc, T * m); // ġ_C Bᵀ, the t blocks stacked as rows
        if (b.tangent) {
          if (T === 1) mulBt(g, b.tangent, acc);
          else
            addUnpacked(
              matmulInto(g, transposeInto(b.tangent, zeros(n * T * k), T * k, n), zeros(m * T * k), m, n, T * k),
              acc,
              T,
              m,
              k,
            ); // g_C Ḃᵀ for the t blocks of Ḃ ([t·k, n]) at once
        }
      }
    }
    if (b.requiresGrad) {
      mulAt(a.value, g, b.gradBuffer());
      if (gt || a.tangent) {
        const acc = b.gradTangentBuffer();
        if (gt) {
          if (T === 1) mulAt(a.value, gt, acc);
          else
            addUnpacked(
              matmulInto(
                a.frozen ? frozenTranspose(a) : transposeInto(a.value, zeros(k * m), m, k),
                pack(gt, T, m, n),
                zeros(k * T * n),
                k,
                m,
                T * n,
              ),
              acc,
              T,
              k,
              n,
            ); // Aᵀ ġ_C, ġ_C's blocks side by side
        }
        if (a.tangent) {
          if (T === 1) mulAt(a.tangent, g, acc);
          // Ȧᵀ g_C for the t blocks at once, as (g_Cᵀ Ȧ)ᵀ: [n, m]·[m, t·k] keeps the wide side as columns
          // (each entry is Σ_i g[i, j]·Ȧ[c, i, p], the products of Ȧᵀ g in the same order)
          else
            addTransposedBlocks(
              matmulInto(transposeInto(g, zeros(n * m), m, n), pack(a.tangent, T, m, k), zeros(n * T * k), n, m, T * k),
              acc,
              T,
              k,
              n,
            );
        }
      }
    }
  };
  return out;
}

/** y[c, i, j] += b[c, j] for t blocks [m, n] (a hot loop, hoisted). */
function addRows(b: Float64Array, y: Float64Array, t: number, m: number, n: number): void {
  for (let c = 0; c < t; c++)
    for (let i = 0; i < m; i++) {
      const o = (c * m + i) * n,
        bo = c * n;
      for (let j = 0; j < n; j++) y[o + j] += b[bo + j];
    }
}

/** acc[c, j] += Σ_i g[c, i, j], i ascending, for t blocks [m, n] (a hot loop, hoisted). */
function addColumnSums(g: Float64Array, acc: Float64Array, t: number, m: number, n: number): void {
  for (let c = 0; c < t; c++)
    for (let i = 0; i < m; i++) {
      const o = (c * m + i) * n,
        ao = c * n;
      for (let j = 0; j < n; j++) acc[ao + j] += g[o + j];
    }
}

/** Y = A + 1 bᵀ: adds the vector b (length n) to every row of A ([m, n]). Errors: a RangeError naming both shapes. */
export function addRow(tape: Tape, a: Node, b: Node): Node {
  if (a.shape.length !== 2 || b.size !== a.shape[1])
    throw shapeError("addRow", a.shape, b.shape, "do not broadcast (need [m, n] + [n])");
  const [m, n] = a.shape,
    T = tape.tangents;
  const value = Float64Array.from(a.value);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) value[i * n + j] += b.value[j];
  let tangent: Float64Array | null = null;
  if (anyTangent(a, b)) {
    tangent = Float64Array.from(tan(a, T));
    addRows(tan(b, T), tangent, T, m, n);
  }
  const out = tape.record(new Node([m, n], value, tangent, wantsGrad(a, b)));
  out.pullback = () => {
    const g = out.grad!,
      gt = out.gradTangent;
    if (a.requiresGrad) {
      const ga = a.gradBuffer();
      for (let i = 0; i < m * n; i++) ga[i] += g[i];
      if (gt) {
        const t = a.gradTangentBuffer();
        for (let i = 0; i < T * m * n; i++) t[i] += gt[i];
      }
    }
    if (b.requiresGrad) {
      const gb = b.gradBuffer();
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) gb[j] += g[i * n + j];
      if (gt) addColumnSums(gt, b.gradTangentBuffer(), T, m, n);
    }
  };
  return out;
}

/**
 * An elementwise function y = f(a) given with its first and second derivatives. The four rules
 * follow from them: ẏ = f'(a)ȧ; g_a = f'(a)g_y; ġ_a = f'(a)ġ_y + f''(a)ȧ·g_y. Every activation
 * below is an instance; a new one needs only f, f', f'' (test them with the central-difference
 * check in test/nn). Errors: a NonFiniteError (a RangeError) if f leaves the finite range (e.g. log of a negative).
 */
export function elementwise(
  tape: Tape,
  a: Node,
  name: string,
  f: (x: number) => number,
  df: (x: number, y: number) => number,
  d2f: (x: number, y: number) => number,
): Node {
  const value = a.value.map(f);
  for (let i = 0; i < value.length; i++)
    if (!Number.isFinite(value[i]))
      throw new NonFiniteError(`${name}: ${name}(${a.value[i]}) is not finite (entry ${i})`);
  const T = tape.tangents,
    size = a.size;
  const slope = (): Float64Array => {
    const s = zeros(size);
    for (let i = 0; i < size; i++) s[i] = df(a.value[i], value[i]);
    return s;
  };
  let tangent: Float64Array | null = null;
  if (a.tangent) tangent = scaleBlocks(slope(), a.tangent, zeros(T * size), T, size);
  const out = tape.record(new Node(a.shape, value, tangent, a.requiresGrad));
  out.pullback = () => {
    if (!a.requiresGrad) return;
    const g = out.grad!,
      gt = out.gradTangent,
      ga = a.gradBuffer(),
      s = slope();
    for (let i = 0; i < size; i++) ga[i] += s[i] * g[i];
    if (gt || a.tangent) {
      let curve: Float64Array | null = null;
      if (a.tangent) {
        curve = zeros(size);
        for (let i = 0; i < size; i++) curve[i] = d2f(a.value[i], value[i]);
      }
      elementwiseTangentPullback(a.gradTangentBuffer(), s, gt, curve, a.tangent, g, T, size);
    }
  };
  return out;
}

/** out[c, i] = s[i]·x[c, i] for t blocks of `size`. Hoisted out of the closures (hot loops, optimised once). */
function scaleBlocks(s: Float64Array, x: Float64Array, out: Float64Array, t: number, size: number): Float64Array {
  for (let c = 0; c < t; c++) {
    const o = c * size;
    for (let i = 0; i < size; i++) out[o + i] = s[i] * x[o + i];
  }
  return out;
}

/**
 * The adjoint tangent of an elementwise op, t[c, i] += f'(a_i)·ġ[c, i] + f''(a_i)·ȧ[c, i]·g_i, each
 * term formed as with one tangent ((f''·ȧ)·g; a missing ġ or ȧ contributes f'·0 or 0, which keeps
 * the sign of a zero). Hoisted out of the closures: a hot loop, optimised once.
 */
function elementwiseTangentPullback(
  t: Float64Array,
  s: Float64Array,
  gt: Float64Array | null,
  curve: Float64Array | null,
  at: Float64Array | null,
  g: Float64Array,
  T: number,
  size: number,
): void {
  for (let c = 0; c < T; c++) {
    const o = c * size;
    if (gt && curve && at) for (let i = 0; i < size; i++) t[o + i] += s[i] * gt[o + i] + curve[i] * at[o + i] * g[i];
    else if (gt) for (let i = 0; i < size; i++) t[o + i] += s[i] * gt[o + i] + 0;
    else if (curve && at) for (let i = 0; i < size; i++) t[o + i] += s[i] * 0 + curve[i] * at[o + i] * g[i];
  }
}

/** tanh: f' = 1 − y², f'' = −2y(1 − y²). */
export function tanh(tape: Tape, a: Node): Node {
  return elementwise(
    tape,
    a,
    "tanh",
    Math.tanh,
    (_x, y) => 1 - y * y,
    (_x, y) => -2 * y * (1 - y * y),
  );
}

/** The logistic sigmoid σ(x) = 1/(1 + e^{−x}): f' = y(1 − y), f'' = y(1 − y)(1 − 2y). */
export function sigmoid(tape: Tape, a: Node): Node {
  return elementwise(
    tape,
    a,
    "sigmoid",
    logistic,
    (_x, y) => y * (1 - y),
    (_x, y) => y * (1 - y) * (1 - 2 * y),
  );
}

/** 1/(1 + e^{−x}) without overflow on either side. */
function logistic(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** softplus log(1 + e^x), computed without overflow: f' = σ(x), f'' = σ(x)(1 − σ(x)). */
export function softplus(tape: Tape, a: Node): Node {
  return elementwise(
    tape,
    a,
    "softplus",
    (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
    logistic,
    (x) => logistic(x) * (1 - logistic(x)),
  );
}

/** e^x: f' = f'' = e^x. */
export function exp(tape: Tape, a: Node): Node {
  return elementwise(
    tape,
    a,
    "exp",
    Math.exp,
    (_x, y) => y,
    (_x, y) => y,
  );
}

/** log x for x > 0: f' = 1/x, f'' = −1/x². Errors: a RangeError at x ≤ 0. */
export function log(tape: Tape, a: Node): Node {
  return elementwise(
    tape,
    a,
    "log",
    Math.log,
    (x) => 1 / x,
    (x) => -1 / (x * x),
  );
}

/** ReLU max(x, 0): f' = [x > 0], f'' = 0 (the kink at 0 has measure zero; f'(0) = 0 by convention). */
export function relu(tape: Tape, a: Node): Node {
  return elementwise(
    tape,
    a,
    "relu",
    (x) => (x > 0 ? x : 0),
    (x) => (x > 0 ? 1 : 0),
    () => 0,
  );
}

/**
 * GELU, exact form x Φ(x) (Hendrycks & Gimpel 2016; not the tanh approximation):
 * f' = Φ(x) + xφ(x), f'' = φ(x)(2 − x²). Φ and φ are lib/nn/gelu's series, the numbers
 * `GptGradient` uses, so that the tape and the hand-written gradient agree to rounding.
 */
export function gelu(tape: Tape, a: Node): Node {
  return elementwise(
    tape,
    a,
    "gelu",
    (x) => x * normalCdfSeries(x),
    (x) => normalCdfSeries(x) + x * normalPdfSeries(x),
    (x) => normalPdfSeries(x) * (2 - x * x),
  );
}

/**
 * The mean squared error L = (1/N) Σ_i (p_i − t_i)² over all N entries of p against constant
 * targets t. Rules: L̇ = (2/N) Σ (p − t)ṗ; g_p = (2/N)(p − t)g_L; ġ_p = (2/N)(ṗ g_L + (p − t)ġ_L).
 * Errors: a RangeError naming both shapes if the sizes differ.
 */
export function mse(tape: Tape, p: Node, targets: ArrayLike<number>): Node {
  if (targets.length !== p.size) throw shapeError("mse", p.shape, [targets.length], "have different sizes");
  const N = p.size,
    T = tape.tangents;
  let s = 0;
  for (let i = 0; i < N; i++) s += (p.value[i] - targets[i]) ** 2;
  let tangent: Float64Array | null = null;
  if (p.tangent) {
    tangent = zeros(T);
    for (let c = 0; c < T; c++) {
      let t = 0;
      for (let i = 0; i < N; i++) t += (p.value[i] - targets[i]) * p.tangent[c * N + i];
      tangent[c] = (2 / N) * t;
    }
  }
  const out = tape.record(new Node([1], Float64Array.of(s / N), tangent, p.requiresGrad));
  out.pullback = () => {
    if (!p.requiresGrad) return;
    const gL = out.grad![0],
      gp = p.gradBuffer();
    for (let i = 0; i < N; i++) gp[i] += (2 / N) * (p.value[i] - targets[i]) * gL;
    if (out.gradTangent || p.tangent) {
      const t = p.gradTangentBuffer();
      for (let c = 0; c < T; c++) {
        const gtL = out.gradTangent ? out.gradTangent[c] : 0;
        for (let i = 0; i < N; i++)
          t[c * N + i] += (2 / N) * ((p.tangent ? p.tangent[c * N + i] : 0) * gL + (p.value[i] - targets[i]) * gtL);
      }
    }
  };
  return out;
}

/** The sum of all entries, a scalar. Rules are linear: ṡ = Σȧ, g_a = g_s, ġ_a = ġ_s. */
export function sum(tape: Tape, a: Node): Node {
  const T = tape.tangents,
    size = a.size;
  const value = Float64Array.of(a.value.reduce((x, y) => x + y, 0));
  const tangent = a.tangent
    ? Float64Array.from({ length: T }, (_, c) =>
        a.tangent!.subarray(c * size, (c + 1) * size).reduce((x, y) => x + y, 0),
      )
    : null;
  const out = tape.record(new Node([1], value, tangent, a.requiresGrad));
  out.pullback = () => {
    if (!a.requiresGrad) return;
    const g = out.grad![0],
      ga = a.gradBuffer();
    for (let i = 0; i < size; i++) ga[i] += g;
    if (out.gradTangent) {
      const t = a.gradTangentBuffer();
      for (let c = 0; c < T; c++) {
        const gt = out.gradTangent[c];
        for (let i = 0; i < size; i++) t[c * size + i] += gt;
      }
    }
  };
  return out;
}

/** Elementwise product of two same-shape tensors: ẏ = ȧb + aḃ; g_a = b g; ġ_a = ḃ g + b ġ (and symmetrically). */
export function mul(tape: Tape, a: Node, b: Node): Node {
  if (a.size !== b.size || a.shape.join() !== b.shape.join())
    throw shapeError("mul", a.shape, b.shape, "differ (elementwise product needs equal shapes)");
  const T = tape.tangents,
    size = a.size;
  const value = a.value.map((v, i) => v * b.value[i]);
  let tangent: Float64Array | null = null;
  if (anyTangent(a, b)) {
    const ta = tan(a, T),
      tb = tan(b, T);
    tangent = zeros(T * size);
    for (let c = 0; c < T; c++)
      for (let i = 0; i < size; i++) {
        const q = c * size + i;
        tangent[q] = ta[q] * b.value[i] + a.value[i] * tb[q];
      }
  }
  const out = tape.record(new Node(a.shape, value, tangent, wantsGrad(a, b)));
  out.pullback = () => {
    const g = out.grad!,
      gt = out.gradTangent;
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      if (!x.requiresGrad) continue;
      const gx = x.gradBuffer();
      for (let i = 0; i < size; i++) gx[i] += y.value[i] * g[i];
      if (gt || y.tangent) {
        const t = x.gradTangentBuffer();
        for (let c = 0; c < T; c++)
          for (let i = 0; i < size; i++) {
            const q = c * size + i;
            t[q] += (y.tangent ? y.tangent[q] : 0) * g[i] + y.value[i] * (gt ? gt[q] : 0);
          }
      }
    }
  };
  return out;
}

/** A contiguous piece of `a` (entries offset … offset + size − 1) with a new shape; linear rules. Errors: a RangeError if it runs past the end. */
export function slice(tape: Tape, a: Node, offset: number, shape: readonly number[]): Node {
  const size = shape.reduce((x, y) => x * y, 1);
  if (!Number.isInteger(offset) || offset < 0 || offset + size > a.size)
    throw new RangeError(`slice: entries ${offset}…${offset + size - 1} run past a tensor of ${a.size}`);
  const T = tape.tangents,
    A = a.size;
  const value = a.value.slice(offset, offset + size);
  let tangent: Float64Array | null = null;
  if (a.tangent) {
    if (T === 1) tangent = a.tangent.slice(offset, offset + size);
    else {
      tangent = zeros(T * size);
      for (let c = 0; c < T; c++) tangent.set(a.tangent.subarray(c * A + offset, c * A + offset + size), c * size);
    }
  }
  const out = tape.record(new Node(shape, value, tangent, a.requiresGrad));
  out.pullback = () => {
    if (!a.requiresGrad) return;
    const g = out.grad!,
      ga = a.gradBuffer();
    for (let i = 0; i < size; i++) ga[offset + i] += g[i];
    if (out.gradTangent) {
      const t = a.gradTangentBuffer(),
        gt = out.gradTangent;
      for (let c = 0; c < T; c++) for (let i = 0; i < size; i++) t[c * A + offset + i] += gt[c * size + i];
    }
  };
  return out;
}

/**
 * Softmax cross-entropy of logits z ([N, C]) against integer labels y_i ∈ [0, C):
 *   L = −(1/N) Σ_i log p_{i, y_i},  p_i = softmax(z_i) (computed with the row maximum subtracted).
 * Rules: g_z = (p − e_y) g_L / N; with ṗ = p ⊙ (ż − ⟨p, ż⟩) per row, L̇ = (1/N) Σ_i (⟨p_i, ż_i⟩ − ż_{i, y_i})
 * and ġ_z = (ṗ g_L + (p − e_y) ġ_L)/N. Errors: a RangeError for a label out of range or a shape that is not [N, C].
 */
export function softmaxCrossEntropy(tape: Tape, z: Node, labels: ArrayLike<number>): Node {
  if (z.shape.length !== 2)
    throw new RangeError(`softmaxCrossEntropy: logits must have shape [N, C], got [${z.shape.join(", ")}]`);
  const [N, C] = z.shape;
  if (labels.length !== N)
    throw shapeError("softmaxCrossEntropy", z.shape, [labels.length], "disagree: one label per row");
  for (let i = 0; i < N; i++)
    if (!Number.isInteger(labels[i]) || labels[i] < 0 || labels[i] >= C)
      throw new RangeError(`softmaxCrossEntropy: label ${i} is ${labels[i]}, outside 0…${C - 1}`);
  const p = zeros(N * C);
  let L = 0;
  for (let i = 0; i < N; i++) {
    let m = -Infinity;
    for (let c = 0; c < C; c++) m = Math.max(m, z.value[i * C + c]);
    let s = 0;
    for (let c = 0; c < C; c++) s += p[i * C + c] = Math.exp(z.value[i * C + c] - m);
    for (let c = 0; c < C; c++) p[i * C + c] /= s;
    L -= z.value[i * C + labels[i]] - m - Math.log(s);
  }
  const T = tape.tangents,
    S = N * C,
    labelArray = Int32Array.from(labels);
  let pdot: Float64Array | null = null,
    tangent: Float64Array | null = null;
  if (z.tangent) {
    pdot = zeros(T * S);
    tangent = zeros(T);
    for (let k = 0; k < T; k++) {
      const zt = z.tangent.subarray(k * S, (k + 1) * S),
        pd = pdot.subarray(k * S, (k + 1) * S);
      let t = 0;
      for (let i = 0; i < N; i++) {
        let pz = 0;
        for (let c = 0; c < C; c++) pz += p[i * C + c] * zt[i * C + c];
        for (let c = 0; c < C; c++) pd[i * C + c] = p[i * C + c] * (zt[i * C + c] - pz);
        t += pz - zt[i * C + labels[i]];
      }
      tangent[k] = t / N;
    }
  }
  const out = tape.record(new Node([1], Float64Array.of(L / N), tangent, z.requiresGrad));
  out.pullback = () => {
    if (!z.requiresGrad) return;
    const gL = out.grad![0],
      gz = z.gradBuffer();
    for (let i = 0; i < N; i++)
      for (let c = 0; c < C; c++) gz[i * C + c] += ((p[i * C + c] - (c === labels[i] ? 1 : 0)) * gL) / N;
    if (out.gradTangent || pdot)
      crossEntropyTangentPullback(z.gradTangentBuffer(), pdot, p, labelArray, gL, out.gradTangent, N, C, T);
  };
  return out;
}

/** The adjoint tangent of softmax cross-entropy, per tangent block k: t += (ṗ·g_L + (p − e_y)·ġ_L[k])/N, as with one tangent. Hoisted: a hot loop. */
function crossEntropyTangentPullback(
  t: Float64Array,
  pdot: Float64Array | null,
  p: Float64Array,
  labels: Int32Array,
  gL: number,
  gtL: Float64Array | null,
  N: number,
  C: number,
  T: number,
): void {
  const S = N * C;
  for (let k = 0; k < T; k++) {
    const gk = gtL ? gtL[k] : 0,
      o = k * S;
    for (let i = 0; i < N; i++) {
      const y = labels[i],
        r = i * C;
      for (let c = 0; c < C; c++)
        t[o + r + c] += ((pdot ? pdot[o + r + c] : 0) * gL + (p[r + c] - (c === y ? 1 : 0)) * gk) / N;
    }
  }
}

/** a + b for equal shapes; linear: ẏ = ȧ + ḃ, g_a = g_b = g, ġ_a = ġ_b = ġ. Errors: a RangeError naming both shapes. */
export function add(tape: Tape, a: Node, b: Node): Node {
  if (a.shape.join() !== b.shape.join())
    throw shapeError("add", a.shape, b.shape, "differ (elementwise sum needs equal shapes)");
  const T = tape.tangents;
  const value = a.value.map((v, i) => v + b.value[i]);
  let tangent: Float64Array | null = null;
  if (anyTangent(a, b)) {
    tangent = zeros(T * a.size);
    for (let i = 0; i < T * a.size; i++) tangent[i] = (a.tangent ? a.tangent[i] : 0) + (b.tangent ? b.tangent[i] : 0);
  }
  const out = tape.record(new Node(a.shape, value, tangent, wantsGrad(a, b)));
  out.pullback = () => {
    for (const x of a === b ? [a, a] : [a, b]) {
      if (!x.requiresGrad) continue;
      const g = x.gradBuffer();
      for (let i = 0; i < x.size; i++) g[i] += out.grad![i];
      if (out.gradTangent) {
        const t = x.gradTangentBuffer();
        for (let i = 0; i < T * x.size; i++) t[i] += out.gradTangent[i];
      }
    }
  };
  return out;
}
