// AssemblyScript source of the float32 causal-attention kernels of lib/nn's GptGradient in
// float32 (compiled into lib/kernels/kernels.wasm by `npm run build:wasm`): the products of
// wasm/attention.ts with four columns (or four keys) per f32x4 where float64 has two, and four
// such quadruples summed side by side (sixteen columns per block). Arithmetic is float32, each
// entry summed in the same order as the JS references of lib/kernels/attention.ts (which, on
// Float32Array views, sum in float64 and round once: within float32 rounding of these, tested).
//
// Layout (row-major f32 at byte offsets): X, Y, O are [B·T, H·s] (sequence b, position t, head h,
// column c at ((b·T + t)·H + h)·s + c); P is [B, H, T, T]. Only the causal part j ≤ i of P is
// read or written.

/** P[b,h,i,j] = scale·Σ_c X[b,i,h,c]·Y[b,j,h,c] for j ≤ i (c ascending); `yT` is scratch for s·T floats. */
export function causalScores32(x: usize, y: usize, p: usize, yT: usize, B: i32, T: i32, H: i32, s: i32, scale: f32): void {
  const hs = H * s;
  const sc = f32x4.splat(scale);
  const ts = (<usize>T) << 2; // bytes from column c to c + 1 of yT
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) {
    // the head's Y transposed, so that four keys' column c are adjacent: yT[c·T + j]
    for (let j = 0; j < T; j++) for (let c = 0; c < s; c++) {
      store<f32>(yT + ((<usize>(c * T + j)) << 2), load<f32>(y + ((<usize>((b * T + j) * hs + h * s + c)) << 2)));
    }
    const po = p + ((<usize>((b * H + h) * T * T)) << 2);
    for (let i = 0; i < T; i++) {
      const xi = x + ((<usize>((b * T + i) * hs + h * s)) << 2), xEnd = xi + ((<usize>s) << 2);
      const row = po + ((<usize>(i * T)) << 2);
      let j = 0;
      for (; j + 15 <= i; j += 16) { // keys j … j + 15: the columns c of x_i weight yT's rows c
        const out = row + ((<usize>j) << 2);
        sixteenColumns(xi, 4, s, yT + ((<usize>j) << 2), ts, out);
        v128.store(out, f32x4.mul(v128.load(out), sc));
        v128.store(out + 16, f32x4.mul(v128.load(out + 16), sc));
        v128.store(out + 32, f32x4.mul(v128.load(out + 32), sc));
        v128.store(out + 48, f32x4.mul(v128.load(out + 48), sc));
      }
      for (; j + 3 <= i; j += 4) {
        let acc = f32x4.splat(0);
        let yp = yT + ((<usize>j) << 2);
        for (let xp = xi; xp < xEnd; xp += 4, yp += ts) acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(xp), v128.load(yp)));
        v128.store(row + ((<usize>j) << 2), f32x4.mul(acc, sc));
      }
      for (; j <= i; j++) {
        let dot: f32 = 0;
        let yp = yT + ((<usize>j) << 2);
        for (let xp = xi; xp < xEnd; xp += 4, yp += ts) dot += load<f32>(xp) * load<f32>(yp);
        store<f32>(row + ((<usize>j) << 2), dot * scale);
      }
    }
  }
}

/**
 * out[0 … 15] = Σ_{t < count} w_t·(16 numbers at rows + t·rStride), t ascending from zero, with
 * w_t at weights + t·wStride: four quadruples summed side by side (the kernels' inner block).
 */
@inline function sixteenColumns(weights: usize, wStride: usize, count: i32, rows: usize, rStride: usize, out: usize): void {
  const end = weights + (<usize>count) * wStride;
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  let rp = rows;
  for (let wp = weights; wp < end; wp += wStride, rp += rStride) {
    const w = v128.load32_splat(wp);
    a0 = f32x4.add(a0, f32x4.mul(w, v128.load(rp)));
    a1 = f32x4.add(a1, f32x4.mul(w, v128.load(rp + 16)));
    a2 = f32x4.add(a2, f32x4.mul(w, v128.load(rp + 32)));
    a3 = f32x4.add(a3, f32x4.mul(w, v128.load(rp + 48)));
  }
  v128.store(out, a0); v128.store(out + 16, a1); v128.store(out + 32, a2); v128.store(out + 48, a3);
}

/**
 * Σ over the `count` rows r of weights[r·wStride]·(row r of `rows`, s columns from byte offset
 * `rows`, rows `rStride` bytes apart), stored at `out`: sixteen columns at a time, then four, then
 * single columns (each column summed over r ascending from zero).
 */
@inline function weightedRowSum32(weights: usize, wStride: usize, rows: usize, rStride: usize, count: i32, out: usize, s: i32): void {
  const end = weights + (<usize>count) * wStride;
  let c = 0;
  for (; c + 15 < s; c += 16) sixteenColumns(weights, wStride, count, rows + ((<usize>c) << 2), rStride, out + ((<usize>c) << 2));
  for (; c + 3 < s; c += 4) {
    let acc = f32x4.splat(0);
    let rp = rows + ((<usize>c) << 2);
    for (let wp = weights; wp < end; wp += wStride, rp += rStride) acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(wp), v128.load(rp)));
    v128.store(out + ((<usize>c) << 2), acc);
  }
  for (; c < s; c++) {
    let acc: f32 = 0;
    let rp = rows + ((<usize>c) << 2);
    for (let wp = weights; wp < end; wp += wStride, rp += rStride) acc += load<f32>(wp) * load<f32>(rp);
    store<f32>(out + ((<usize>c) << 2), acc);
  }
}

/** O[b,i,h,·] = Σ_{j ≤ i} P[b,h,i,j]·Y[b,j,h,·] (j ascending, from zero): causal P times Y. */
export function causalTimes32(p: usize, y: usize, o: usize, B: i32, T: i32, H: i32, s: i32): void {
  const hs = H * s, rStride = (<usize>hs) << 2;
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) {
    const po = p + ((<usize>((b * H + h) * T * T)) << 2), y0 = y + ((<usize>(b * T * hs + h * s)) << 2);
    for (let i = 0; i < T; i++) {
      weightedRowSum32(po + ((<usize>(i * T)) << 2), 4, y0, rStride, i + 1, o + ((<usize>((b * T + i) * hs + h * s)) << 2), s);
    }
  }
}

/** O[b,j,h,·] = Σ_{i ≥ j} P[b,h,i,j]·X[b,i,h,·] (i ascending, from zero): causal Pᵀ times X. */
export function causalTransposeTimes32(p: usize, x: usize, o: usize, B: i32, T: i32, H: i32, s: i32): void {
  const hs = H * s, rStride = (<usize>hs) << 2;
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) {
    const po = p + ((<usize>((b * H + h) * T * T)) << 2);
    for (let j = 0; j < T; j++) {
      weightedRowSum32(po + ((<usize>(j * T + j)) << 2), (<usize>T) << 2, x + ((<usize>((b * T + j) * hs + h * s)) << 2), rStride, T - j, o + ((<usize>((b * T + j) * hs + h * s)) << 2), s);
    }
  }
}
