import { test } from "node:test";
import assert from "node:assert/strict";
import { Stream } from "../../lib/random";
import {
  KernelArena,
  addBiasedRowsJs,
  layerNormBackwardJs,
  layerNormForwardJs,
  causalScoresJs,
  causalTimesJs,
  causalTransposeTimesJs,
  columnSumsJs,
  matmulJs,
  scaledColumnSumsJs,
  wasmKernel,
} from "../../lib/kernels";
import {
  DataParallelObjective,
  GptGradient,
  gptGradientShardTask,
  gptInit,
  gptShardConfig,
  tokenWindows,
} from "../../lib/nn";
import type { GptSpec } from "../../lib/nn";

const fill = (s: Stream, a: Float64Array) => {
  for (let i = 0; i < a.length; i++) a[i] = s.normal();
  return a;
};

test("KernelArena: the wasm matmul (overwrite and accumulate) and causal-attention kernels agree with the JS loops bit for bit", () => {
  assert.ok(wasmKernel() !== null, "lib/kernels/kernels.wasm missing: run npm run build:wasm");
  const s = Stream.named(5, "test/nn/arena");
  const arena = new KernelArena();
  assert.equal(arena.wasm, true);
  for (const [m, k, n] of [
    [1, 1, 1],
    [5, 7, 3],
    [8, 9, 12],
    [13, 4, 17],
  ]) {
    arena.layout(m * k + k * n + m * n);
    const a = fill(s, arena.alloc(m * k)),
      b = fill(s, arena.alloc(k * n)),
      c = fill(s, arena.alloc(m * n));
    const c0 = Float64Array.from(c),
      ref = matmulJs(a, b, new Float64Array(m * n), m, k, n);
    arena.addTimes(a, b, c, m, k, n);
    assert.deepEqual(
      Array.from(c),
      Array.from(c0, (x, i) => x + ref[i]),
      `accumulate [${m}, ${k}]·[${k}, ${n}]`,
    );
    arena.times(a, b, c, m, k, n);
    assert.deepEqual(Array.from(c), Array.from(ref), `overwrite [${m}, ${k}]·[${k}, ${n}]`);
  }
  // c += aᵀ·b with a read transposed in place: each entry's sum formed from zero, then added, as after an explicit transpose (wasm and JS)
  for (const [m, k, n] of [
    [1, 1, 1],
    [7, 5, 3],
    [9, 8, 12],
    [4, 13, 17],
    [256, 64, 64],
  ]) {
    for (const ar of [arena, new KernelArena({ wasm: false })]) {
      ar.layout(m * k + m * n + k * n);
      const a = fill(s, ar.alloc(m * k)),
        b = fill(s, ar.alloc(m * n)),
        c = fill(s, ar.alloc(k * n));
      const aT = new Float64Array(k * m);
      for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) aT[j * m + i] = a[i * k + j];
      const prod = matmulJs(aT, Float64Array.from(b), new Float64Array(k * n), k, m, n),
        expected = Array.from(c, (x, i) => x + prod[i]);
      ar.addTransposeTimes(a, b, c, m, k, n);
      assert.deepEqual(Array.from(c), expected, `aᵀ·b for a [${m}, ${k}], b [${m}, ${n}] (${ar.wasm ? "wasm" : "JS"})`);
    }
  }
  // odd and even head sizes and window lengths exercise the kernels' blocks of four pairs, their pair loops and their scalar tails
  for (const [B, T, H, hd] of [
    [2, 5, 3, 3],
    [1, 6, 2, 4],
    [3, 1, 1, 5],
    [2, 8, 2, 16],
    [1, 19, 2, 13],
  ]) {
    const n = B * T * H * hd,
      np = B * H * T * T;
    arena.layout(3 * n + 2 * np + hd * T);
    const x = fill(s, arena.alloc(n)),
      y = fill(s, arena.alloc(n)),
      o = arena.alloc(n),
      p = arena.alloc(np),
      q = arena.alloc(np),
      scratch = arena.alloc(hd * T);
    p.fill(7); // the causal kernels must leave the entries j > i alone
    const pJs = Float64Array.from(p),
      oJs = new Float64Array(n);
    arena.causalScores(x, y, p, scratch, B, T, H, hd, 0.3);
    causalScoresJs(x, y, pJs, B, T, H, hd, 0.3);
    assert.deepEqual(Array.from(p), Array.from(pJs), `scores B=${B} T=${T} H=${H} s=${hd}`);
    for (let i = 0; i < np; i++) if (i % T > Math.floor(i / T) % T) assert.equal(p[i], 7);
    fill(s, q);
    arena.causalTimes(q, y, o, B, T, H, hd);
    causalTimesJs(q, y, oJs, B, T, H, hd);
    assert.deepEqual(Array.from(o), Array.from(oJs), "P·Y");
    arena.causalTransposeTimes(q, x, o, B, T, H, hd);
    causalTransposeTimesJs(q, x, oJs, B, T, H, hd);
    assert.deepEqual(Array.from(o), Array.from(oJs), "Pᵀ·X");
  }
});

test("KernelArena: the row-and-column kernels (column sums, scaled column sums, biased residual rows) agree with the JS loops bit for bit, odd widths included", () => {
  const s = Stream.named(5, "test/nn/rows");
  const arena = new KernelArena();
  for (const [R, n] of [
    [1, 1],
    [3, 5],
    [7, 2],
    [256, 64],
  ]) {
    arena.layout(4 * R * n + 2 * n);
    const x = fill(s, arena.alloc(R * n)),
      y = fill(s, arena.alloc(R * n)),
      sl = fill(s, arena.alloc(R * n)),
      x2 = arena.alloc(R * n),
      acc = fill(s, arena.alloc(n)),
      b = fill(s, arena.alloc(n));
    const xJs = Float64Array.from(x),
      accJs = Float64Array.from(acc);
    arena.columnSums(x, acc, R, n);
    columnSumsJs(xJs, accJs, R, n);
    assert.deepEqual(Array.from(acc), Array.from(accJs), `column sums R=${R} n=${n}`);
    x2.set(x);
    const x2Js = Float64Array.from(x2);
    arena.scaledColumnSums(x2, sl, acc, R, n);
    scaledColumnSumsJs(x2Js, Float64Array.from(sl), accJs, R, n);
    assert.deepEqual(Array.from(x2), Array.from(x2Js), "x ⊙ s in place");
    assert.deepEqual(Array.from(acc), Array.from(accJs), "scaled column sums");
    arena.addBiasedRows(x, y, b, R, n);
    addBiasedRowsJs(xJs, Float64Array.from(y), Float64Array.from(b), R, n);
    assert.deepEqual(Array.from(x), Array.from(xJs), "x += y + b");
  }
  // the references against a direct reading of their definitions
  const x = new Float64Array([1, 2, 3, 4, 5, 6]),
    acc = new Float64Array([10, 20, 30]);
  columnSumsJs(x, acc, 2, 3);
  assert.deepEqual(Array.from(acc), [15, 27, 39]);
  const sl = new Float64Array([2, 0, 1, 1, 3, -1]);
  scaledColumnSumsJs(x, sl, acc, 2, 3);
  assert.deepEqual(Array.from(x), [2, 0, 3, 4, 15, -6]);
  assert.deepEqual(Array.from(acc), [21, 42, 36]);
  addBiasedRowsJs(x, new Float64Array([1, 1, 1, 2, 2, 2]), new Float64Array([0, 10, 100]), 2, 3);
  assert.deepEqual(Array.from(x), [3, 11, 104, 6, 27, 96]);
});

test("KernelArena: the layer-norm kernels (forward, backward) agree with the JS loops bit for bit, odd row counts and widths included; the forward's rows have mean β and spread γ", () => {
  const s = Stream.named(5, "test/nn/layernorm");
  const arena = new KernelArena();
  for (const [R, d] of [
    [1, 1],
    [3, 5],
    [4, 64],
    [7, 3],
    [256, 64],
  ]) {
    arena.layout(6 * R * d + 2 * R + 4 * d);
    const x = fill(s, arena.alloc(R * d)),
      gamma = fill(s, arena.alloc(d)),
      beta = fill(s, arena.alloc(d));
    const xhat = arena.alloc(R * d),
      rstd = arena.alloc(R),
      y = arena.alloc(R * d);
    for (let i = 0; i < x.length; i++) x[i] = 3 * x[i] + 1; // away from zero mean and unit spread
    const xhatJs = new Float64Array(R * d),
      rstdJs = new Float64Array(R),
      yJs = new Float64Array(R * d);
    arena.layerNormForward(x, gamma, beta, xhat, rstd, y, R, d);
    layerNormForwardJs(
      Float64Array.from(x),
      Float64Array.from(gamma),
      Float64Array.from(beta),
      xhatJs,
      rstdJs,
      yJs,
      R,
      d,
    );
    assert.deepEqual(Array.from(xhat), Array.from(xhatJs), `x̂ R=${R} d=${d}`);
    assert.deepEqual(Array.from(rstd), Array.from(rstdJs), "1/σ");
    assert.deepEqual(Array.from(y), Array.from(yJs), "y");
    if (d > 1)
      for (let r = 0; r < R; r++) {
        let m = 0,
          q = 0;
        for (let c = 0; c < d; c++) {
          m += xhat[r * d + c] / d;
          q += xhat[r * d + c] ** 2 / d;
        }
        assert.ok(Math.abs(m) < 1e-12 && Math.abs(q - 1) < 1e-3, `row ${r}: x̂ has mean ${m} and mean square ${q}`);
      }
    const dy = fill(s, arena.alloc(R * d)),
      dGamma = fill(s, arena.alloc(d)),
      dBeta = fill(s, arena.alloc(d)),
      dx = fill(s, arena.alloc(R * d));
    const dGammaJs = Float64Array.from(dGamma),
      dBetaJs = Float64Array.from(dBeta),
      dxJs = Float64Array.from(dx);
    arena.layerNormBackward(dy, gamma, xhat, rstd, dGamma, dBeta, dx, R, d);
    layerNormBackwardJs(Float64Array.from(dy), Float64Array.from(gamma), xhatJs, rstdJs, dGammaJs, dBetaJs, dxJs, R, d);
    assert.deepEqual(Array.from(dGamma), Array.from(dGammaJs), "dγ");
    assert.deepEqual(Array.from(dBeta), Array.from(dBetaJs), "dβ");
    assert.deepEqual(Array.from(dx), Array.from(dxJs), "dx");
  }
});

test("causal-attention references: the closed forms on a 2-position, 1-head example, with the masked score untouched", () => {
  // x = [[1, 2], [3, 4]], y = [[5, 6], [7, 8]] (T = 2, s = 2): scores 0.5·[[17, ·], [39, 53]]
  const x = Float64Array.of(1, 2, 3, 4),
    y = Float64Array.of(5, 6, 7, 8),
    p = Float64Array.of(0, -1, 0, 0);
  causalScoresJs(x, y, p, 1, 2, 1, 2, 0.5);
  assert.deepEqual(Array.from(p), [8.5, -1, 19.5, 26.5]);
  const P = Float64Array.of(1, 99, 0.25, 0.75),
    o = new Float64Array(4);
  causalTimesJs(P, y, o, 1, 2, 1, 2);
  assert.deepEqual(Array.from(o), [5, 6, 0.25 * 5 + 0.75 * 7, 0.25 * 6 + 0.75 * 8]);
  causalTransposeTimesJs(P, x, o, 1, 2, 1, 2);
  assert.deepEqual(Array.from(o), [1 + 0.25 * 3, 2 + 0.25 * 4, 0.75 * 3, 0.75 * 4]);
});

test("KernelArena: views beyond the layout, arrays from elsewhere and views from before a re-layout are refused", () => {
  const arena = new KernelArena();
  arena.layout(10);
  const a = arena.alloc(4);
  assert.throws(() => arena.alloc(7), /exceed the layout's 10/);
  assert.throws(() => arena.times(a, new Float64Array(4), arena.alloc(4), 2, 2, 2), /not one of this arena's views/);
  assert.throws(() => arena.times(a, a, a, 2, 3, 2), /6 are needed/);
  arena.layout(1 << 20); // grows the memory: the old views are detached
  const b = arena.alloc(4);
  assert.throws(() => arena.times(a, b, b, 2, 2, 2), /a view from before the last layout|6 are needed|4 are needed/);
  const js = new KernelArena({ wasm: false });
  js.layout(8);
  assert.equal(js.wasm, false);
  const u = js.alloc(4).fill(1),
    w = js.alloc(4).fill(2);
  js.addTimes(u, u, w, 2, 2, 2);
  assert.deepEqual(Array.from(w), [4, 4, 4, 4]);
});

test("GptGradient: the wasm kernels and the JS loops give the same loss and gradient bit for bit; loss() is evaluate's loss", () => {
  for (const spec of [
    { vocab: 7, block: 6, layers: 2, heads: 2, dModel: 8 },
    { vocab: 5, block: 5, layers: 1, heads: 3, dModel: 6, headSize: 3 },
  ] as GptSpec[]) {
    const theta = gptInit(spec, Stream.named(6, "test/nn/gpt-wasm"), { std: 0.5 });
    const s = Stream.named(7, "test/nn/gpt-wasm");
    const corpus = Int32Array.from({ length: 40 }, () => s.int(spec.vocab));
    const win = tokenWindows(corpus, [0, 9, 17], spec.block);
    const fast = new GptGradient(spec),
      slow = new GptGradient(spec, { wasm: false });
    const a = fast.evaluate(theta, win),
      b = slow.evaluate(theta, win);
    assert.equal(a.loss, b.loss);
    assert.deepEqual(Array.from(a.gradient), Array.from(b.gradient));
    assert.equal(fast.loss(theta, win), a.loss);
    assert.equal(slow.loss(theta, win), a.loss);
    assert.throws(() => fast.loss(theta, { ...win, targets: win.targets.map(() => spec.vocab) }), /target 0/);
  }
});

test("DataParallelObjective with GptGradient: θ and gradients through shared memory, 2 workers equal 1 bit for bit, and loss() equals evaluate's loss", async () => {
  const g: GptSpec = { vocab: 6, block: 5, layers: 1, heads: 2, dModel: 4 };
  const corpus = Int32Array.from({ length: 60 }, (_, i) => (i * i + 3 * i) % 6);
  const theta = gptInit(g, Stream.named(4, "test/nn/dp-gpt-gradient"), { std: 0.3 });
  const starts = [0, 7, 13, 20, 33, 41, 50];
  const out: { loss: number; gradient: number[]; lossOnly: number }[] = [];
  for (const workers of [1, 2]) {
    const dp = await DataParallelObjective.open(gptGradientShardTask, gptShardConfig(g, corpus, 5), {
      workers,
      chunk: 3,
    });
    try {
      const e = await dp.evaluate(theta, starts);
      const again = await dp.evaluate(
        theta.map((t) => t * 0.5),
        starts.slice(0, 4),
      ); // reuses the shared slots
      assert.notEqual(again.loss, e.loss);
      out.push({ loss: e.loss, gradient: Array.from(e.gradient), lossOnly: await dp.loss(theta, starts) });
    } finally {
      await dp.close();
    }
  }
  assert.deepEqual(out[1], out[0]);
  assert.equal(out[0].lossOnly, out[0].loss);
  const direct = new GptGradient(g).evaluate(theta, tokenWindows(corpus, starts, 5));
  assert.ok(Math.abs(direct.loss - out[0].loss) < 1e-14);
  for (let i = 0; i < direct.gradient.length; i++) assert.ok(Math.abs(direct.gradient[i] - out[0].gradient[i]) < 1e-14);
});

/**
 * The float32 kernels against the float64 JS references on the same (float32-representable)
 * inputs. Bounds from float32 rounding (u = 2⁻²⁴): a dot product of length k errs by at most
 * γ_k·Σ|a_i b_i| (γ_k = ku/(1 − ku), Higham 2002 §3.1), plus u·|result| for the rounded store;
 * an element-wise result by a few u relative. The ReLU rounds nothing: bit for bit.
 */
test("KernelArena float32: matmul, attention, rows, layer norms and softmaxes within float32 rounding of the float64 references; ReLU exact", () => {
  const u = 2 ** -24,
    gamma = (k: number) => (k * u) / (1 - k * u);
  const s = Stream.named(8, "test/nn/arena32");
  const k32 = new KernelArena<Float32Array>({ precision: "float32" }),
    k64 = new KernelArena();
  const pair = (n: number) => {
    const a = k32.alloc(n),
      b = k64.alloc(n);
    for (let i = 0; i < n; i++) b[i] = a[i] = Math.fround(s.normal());
    return [a, b] as const;
  };
  // matmul: c = a·b and c += aᵀ·b, with the absolute sums as the bound's scale
  for (const [m, k, n] of [
    [1, 1, 1],
    [5, 7, 3],
    [8, 9, 12],
    [13, 16, 17],
    [12, 64, 72],
  ]) {
    k32.layout(3 * m * k + 2 * k * n + 3 * m * n + 64);
    k64.layout(3 * m * k + 2 * k * n + 3 * m * n + 64);
    const [a32, a64] = pair(m * k),
      [b32, b64] = pair(k * n),
      [c32, c64] = pair(m * n);
    const abs = new Float64Array(m * n);
    matmulJs(a64.map(Math.abs), b64.map(Math.abs), abs, m, k, n);
    const base = Float64Array.from(c64);
    k32.addTimes(a32, b32, c32, m, k, n);
    k64.addTimes(a64, b64, c64, m, k, n);
    for (let i = 0; i < m * n; i++)
      assert.ok(
        Math.abs(c32[i] - c64[i]) <= gamma(k) * abs[i] + u * (Math.abs(c64[i]) + Math.abs(base[i])),
        `matmul [${m}, ${k}, ${n}] entry ${i}: ${c32[i]} vs ${c64[i]}`,
      );
    const [t32, t64] = pair(k * m),
      [g32, g64] = pair(k * n),
      [o32, o64] = [k32.alloc(m * n), k64.alloc(m * n)];
    const absT = new Float64Array(m * n);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let p = 0; p < k; p++) acc += Math.abs(t64[p * m + i] * g64[p * n + j]);
        absT[i * n + j] = acc;
      }
    k32.addTransposeTimes(t32, g32, o32, k, m, n);
    k64.addTransposeTimes(t64, g64, o64, k, m, n);
    for (let i = 0; i < m * n; i++)
      assert.ok(
        Math.abs(o32[i] - o64[i]) <= gamma(k) * absT[i] + u * Math.abs(o64[i]),
        `transposed product entry ${i}`,
      );
  }
  // attention: scores (k = s), P·Y and Pᵀ·X (k ≤ T), softmax and its backward (row sums of length ≤ T, exp within a few u)
  for (const [B, T, H, hs] of [
    [2, 5, 2, 3],
    [1, 20, 1, 16],
    [2, 33, 2, 16],
  ]) {
    const n = B * T * H * hs,
      pp = B * H * T * T;
    k32.layout(4 * n + 3 * pp + hs * T + 8);
    k64.layout(4 * n + 3 * pp + hs * T + 8);
    const [x32, x64] = pair(n),
      [y32, y64] = pair(n);
    const p32 = k32.alloc(pp),
      p64 = k64.alloc(pp),
      scratch = k32.alloc(hs * T),
      scratch64 = k64.alloc(hs * T);
    k32.causalScores(x32, y32, p32, scratch, B, T, H, hs, 0.25);
    k64.causalScores(x64, y64, p64, scratch64, B, T, H, hs, 0.25);
    const scale = Math.max(...Array.from(x64, Math.abs)) * Math.max(...Array.from(y64, Math.abs)) * hs * 0.25;
    for (let i = 0; i < pp; i++) assert.ok(Math.abs(p32[i] - p64[i]) <= (gamma(hs) + u) * scale, `scores ${i}`);
    for (let i = 0; i < pp; i++) p64[i] = p32[i] = Math.fround(p64[i]) * 8; // logits of a few units, some far apart
    const p64Before = Float64Array.from(p64);
    k32.causalSoftmax(p32, B * H, T);
    k64.causalSoftmax(p64, B * H, T);
    // each probability, relative: the float32 argument x − max is rounded (|x − max|·u, which e^x turns into a relative error),
    // the polynomial exp's few ulps (8u), and the row sum's γ_T; the masked part exactly 0
    for (let i = 0; i < pp; i++) {
      const row = Math.floor(i / T),
        o = row * T,
        last = o + (row % T);
      let mx = -Infinity;
      for (let j = o; j <= last; j++) mx = Math.max(mx, p64Before[j]);
      const arg = Math.abs(p64Before[i] - mx);
      assert.ok(
        Math.abs(p32[i] - p64[i]) <= ((arg + 8) * u + gamma(T)) * p64[i] + 1e-45,
        `softmax ${i}: ${p32[i]} vs ${p64[i]}`,
      );
    }
    for (let i = 0; i < pp; i++) if (i % T > Math.floor(i / T) % T) assert.equal(p32[i], 0);
    const [d32, d64] = pair(pp);
    for (let i = 0; i < pp; i++) p64[i] = p32[i];
    k32.causalSoftmaxBackward(p32, d32, B * H, T, 0.5);
    k64.causalSoftmaxBackward(p64, d64, B * H, T, 0.5);
    const dmax = Math.max(...Array.from(d64, Math.abs));
    for (let i = 0; i < pp; i++)
      assert.ok(Math.abs(d32[i] - d64[i]) <= (gamma(T) + 4 * u) * (dmax + 1), `softmax backward ${i}`);
    const o32 = k32.alloc(n),
      o64 = k64.alloc(n);
    k32.causalTimes(p32, y32, o32, B, T, H, hs);
    k64.causalTimes(p64, y64, o64, B, T, H, hs);
    const ymax = Math.max(...Array.from(y64, Math.abs));
    for (let i = 0; i < n; i++) assert.ok(Math.abs(o32[i] - o64[i]) <= (gamma(T) + u) * ymax, `P·Y ${i}`);
  }
  // rows: ReLU exact; column sums within γ_R
  k32.layout(4 * 7 * 9 + 9);
  k64.layout(4 * 7 * 9 + 9);
  const [r32, r64] = pair(7 * 9),
    v32 = k32.alloc(63),
    sl32 = k32.alloc(63),
    v64 = k64.alloc(63),
    sl64 = k64.alloc(63);
  k32.relu(r32, v32, sl32, 63);
  k64.relu(r64, v64, sl64, 63);
  assert.deepEqual(Array.from(v32), Array.from(v64));
  assert.deepEqual(Array.from(sl32), Array.from(sl64));
  const acc32 = k32.alloc(9),
    acc64 = k64.alloc(9);
  k32.columnSums(r32, acc32, 7, 9);
  k64.columnSums(r64, acc64, 7, 9);
  for (let c = 0; c < 9; c++) {
    let a = 0;
    for (let r = 0; r < 7; r++) a += Math.abs(r64[r * 9 + c]);
    assert.ok(Math.abs(acc32[c] - acc64[c]) <= gamma(7) * a);
  }
  // layer norm forward: x̂ within a few u·(d)·|x̂| + the rows' sums' γ_d (statistics of d numbers)
  for (const [R, d] of [
    [3, 8],
    [5, 64],
  ]) {
    k32.layout(6 * R * d + 2 * R + 4 * d);
    k64.layout(6 * R * d + 2 * R + 4 * d);
    const [x32, x64] = pair(R * d),
      [g32, g64] = pair(d),
      [b32, b64] = pair(d);
    const h32 = k32.alloc(R * d),
      h64 = k64.alloc(R * d),
      rs32 = k32.alloc(R),
      rs64 = k64.alloc(R),
      y32 = k32.alloc(R * d),
      y64 = k64.alloc(R * d);
    k32.layerNormForward(x32, g32, b32, h32, rs32, y32, R, d);
    k64.layerNormForward(x64, g64, b64, h64, rs64, y64, R, d);
    for (let i = 0; i < R * d; i++)
      assert.ok(
        Math.abs(h32[i] - h64[i]) <= (2 * gamma(d) + 4 * u) * (Math.abs(h64[i]) + 1) * Math.sqrt(d),
        `layer norm x̂ ${i}`,
      );
  }
});
