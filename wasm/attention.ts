// AssemblyScript source of the causal-attention kernels of lib/nn's GptGradient (compiled into
// lib/kernels/kernels.wasm by `npm run build:wasm`). Why hand-written: the JS loops over a head's
// 16 columns were a fifth of a training step (profile of GptGradient.evaluate); here two columns
// (or two keys) share one v128, and four such pairs are summed side by side, so that four
// independent chains of additions hide the latency of each (one chain per pair ran at a third of
// the speed). Every output entry is still summed in the same order as the JS reference in
// lib/kernels/attention.ts, with no fused multiply-add, so both agree bit for bit.
//
// Layout (row-major f64 at byte offsets): X, Y, O are [B·T, H·s] (sequence b, position t, head h,
// column c at ((b·T + t)·H + h)·s + c); P is [B, H, T, T]. Only the causal part j ≤ i of P is
// read or written.

/** P[b,h,i,j] = scale·Σ_c X[b,i,h,c]·Y[b,j,h,c] for j ≤ i (c ascending); `yT` is scratch for s·T doubles. */
export function causalScores(x: usize, y: usize, p: usize, yT: usize, B: i32, T: i32, H: i32, s: i32, scale: f64): void {
  const hs = H * s;
  const sc = f64x2.splat(scale);
  const ts = (<usize>T) << 3; // bytes from column c to c + 1 of yT
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) {
    // the head's Y transposed, so that two keys' column c are adjacent: yT[c·T + j]
    for (let j = 0; j < T; j++) for (let c = 0; c < s; c++) {
      store<f64>(yT + ((<usize>(c * T + j)) << 3), load<f64>(y + ((<usize>((b * T + j) * hs + h * s + c)) << 3)));
    }
    const po = p + ((<usize>((b * H + h) * T * T)) << 3);
    for (let i = 0; i < T; i++) {
      const xi = x + ((<usize>((b * T + i) * hs + h * s)) << 3), xEnd = xi + ((<usize>s) << 3);
      const row = po + ((<usize>(i * T)) << 3);
      let j = 0;
      for (; j + 7 <= i; j += 8) { // keys j … j + 7: the columns c of x_i weight yT's rows c
        const out = row + ((<usize>j) << 3);
        eightColumns(xi, 8, s, yT + ((<usize>j) << 3), ts, out);
        v128.store(out, f64x2.mul(v128.load(out), sc));
        v128.store(out + 16, f64x2.mul(v128.load(out + 16), sc));
        v128.store(out + 32, f64x2.mul(v128.load(out + 32), sc));
        v128.store(out + 48, f64x2.mul(v128.load(out + 48), sc));
      }
      for (; j + 1 <= i; j += 2) {
        let acc = f64x2.splat(0);
        let yp = yT + ((<usize>j) << 3);
        for (let xp = xi; xp < xEnd; xp += 8, yp += ts) acc = f64x2.add(acc, f64x2.mul(v128.load64_splat(xp), v128.load(yp)));
        v128.store(row + ((<usize>j) << 3), f64x2.mul(acc, sc));
      }
      for (; j <= i; j++) {
        let dot: f64 = 0;
        let yp = yT + ((<usize>j) << 3);
        for (let xp = xi; xp < xEnd; xp += 8, yp += ts) dot += load<f64>(xp) * load<f64>(yp);
        store<f64>(row + ((<usize>j) << 3), dot * scale);
      }
    }
  }
}

/**
 * out[0 … 7] = Σ_{t < count} w_t·(8 numbers at rows + t·rStride), t ascending from zero, with
 * w_t at weights + t·wStride: four pairs summed side by side (the kernels' inner block).
 */
@inline function eightColumns(weights: usize, wStride: usize, count: i32, rows: usize, rStride: usize, out: usize): void {
  const end = weights + (<usize>count) * wStride;
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
  let rp = rows;
  for (let wp = weights; wp < end; wp += wStride, rp += rStride) {
    const w = v128.load64_splat(wp);
    a0 = f64x2.add(a0, f64x2.mul(w, v128.load(rp)));
    a1 = f64x2.add(a1, f64x2.mul(w, v128.load(rp + 16)));
    a2 = f64x2.add(a2, f64x2.mul(w, v128.load(rp + 32)));
    a3 = f64x2.add(a3, f64x2.mul(w, v128.load(rp + 48)));
  }
  v128.store(out, a0); v128.store(out + 16, a1); v128.store(out + 32, a2); v128.store(out + 48, a3);
}

/**
 * Σ over the `count` rows r of weights[r·wStride]·(row r of `rows`, 2·pairs columns from byte
 * offset `rows`, rows `rStride` bytes apart), stored at `out`: the shared inner loop of
 * causalTimes and causalTransposeTimes, four column pairs at a time, then pair by pair, then one
 * odd column (each column summed over r ascending from zero).
 */
@inline function weightedRowSum(weights: usize, wStride: usize, rows: usize, rStride: usize, count: i32, out: usize, s: i32): void {
  const end = weights + (<usize>count) * wStride;
  let c = 0;
  for (; c + 7 < s; c += 8) eightColumns(weights, wStride, count, rows + ((<usize>c) << 3), rStride, out + ((<usize>c) << 3));
  for (; c + 1 < s; c += 2) {
    let acc = f64x2.splat(0);
    let rp = rows + ((<usize>c) << 3);
    for (let wp = weights; wp < end; wp += wStride, rp += rStride) acc = f64x2.add(acc, f64x2.mul(v128.load64_splat(wp), v128.load(rp)));
    v128.store(out + ((<usize>c) << 3), acc);
  }
  for (; c < s; c++) {
    let acc: f64 = 0;
    let rp = rows + ((<usize>c) << 3);
    for (let wp = weights; wp < end; wp += wStride, rp += rStride) acc += load<f64>(wp) * load<f64>(rp);
    store<f64>(out + ((<usize>c) << 3), acc);
  }
}

/** O[b,i,h,·] = Σ_{j ≤ i} P[b,h,i,j]·Y[b,j,h,·] (j ascending, from zero): causal P times Y. */
export function causalTimes(p: usize, y: usize, o: usize, B: i32, T: i32, H: i32, s: i32): void {
  const hs = H * s, rStride = (<usize>hs) << 3;
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) {
    const po = p + ((<usize>((b * H + h) * T * T)) << 3), y0 = y + ((<usize>(b * T * hs + h * s)) << 3);
    for (let i = 0; i < T; i++) {
      // weights P[i, 0 … i] (adjacent), rows Y[j] for j = 0 … i
      weightedRowSum(po + ((<usize>(i * T)) << 3), 8, y0, rStride, i + 1, o + ((<usize>((b * T + i) * hs + h * s)) << 3), s);
    }
  }
}

/** O[b,j,h,·] = Σ_{i ≥ j} P[b,h,i,j]·X[b,i,h,·] (i ascending, from zero): causal Pᵀ times X. */
export function causalTransposeTimes(p: usize, x: usize, o: usize, B: i32, T: i32, H: i32, s: i32): void {
  const hs = H * s, rStride = (<usize>hs) << 3;
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) {
    const po = p + ((<usize>((b * H + h) * T * T)) << 3);
    for (let j = 0; j < T; j++) {
      // weights P[i, j] for i = j … T − 1 (a column: T apart), rows X[i]
      weightedRowSum(po + ((<usize>(j * T + j)) << 3), (<usize>T) << 3, x + ((<usize>((b * T + j) * hs + h * s)) << 3), rStride, T - j, o + ((<usize>((b * T + j) * hs + h * s)) << 3), s);
    }
  }
}
