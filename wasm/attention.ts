// AssemblyScript source of the causal-attention kernels of lib/nn's GptGradient (compiled into
// lib/kernels/kernels.wasm by `npm run build:wasm`). Why hand-written: the JS loops over a head's
// 16 columns were a fifth of a training step (profile of GptGradient.evaluate); here two columns
// (or two keys) share one v128. Every output entry is summed in the same order as the JS
// reference in lib/kernels/attention.ts, with no fused multiply-add, so both agree bit for bit.
//
// Layout (row-major f64 at byte offsets): X, Y, O are [B·T, H·s] (sequence b, position t, head h,
// column c at ((b·T + t)·H + h)·s + c); P is [B, H, T, T]. Only the causal part j ≤ i of P is
// read or written.

/** P[b,h,i,j] = scale·Σ_c X[b,i,h,c]·Y[b,j,h,c] for j ≤ i (c ascending); `yT` is scratch for s·T doubles. */
export function causalScores(x: usize, y: usize, p: usize, yT: usize, B: i32, T: i32, H: i32, s: i32, scale: f64): void {
  const hs = H * s;
  const sc = f64x2.splat(scale);
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) {
    // the head's Y transposed, so that two keys' column c are adjacent: yT[c·T + j]
    for (let j = 0; j < T; j++) for (let c = 0; c < s; c++) {
      store<f64>(yT + ((<usize>(c * T + j)) << 3), load<f64>(y + ((<usize>((b * T + j) * hs + h * s + c)) << 3)));
    }
    const po = p + ((<usize>((b * H + h) * T * T)) << 3);
    for (let i = 0; i < T; i++) {
      const xi = x + ((<usize>((b * T + i) * hs + h * s)) << 3);
      const row = po + ((<usize>(i * T)) << 3);
      let j = 0;
      for (; j + 1 <= i; j += 2) {
        let acc = f64x2.splat(0);
        for (let c = 0; c < s; c++) acc = f64x2.add(acc, f64x2.mul(f64x2.splat(load<f64>(xi + ((<usize>c) << 3))), v128.load(yT + ((<usize>(c * T + j)) << 3))));
        v128.store(row + ((<usize>j) << 3), f64x2.mul(acc, sc));
      }
      for (; j <= i; j++) {
        let dot: f64 = 0;
        for (let c = 0; c < s; c++) dot += load<f64>(xi + ((<usize>c) << 3)) * load<f64>(yT + ((<usize>(c * T + j)) << 3));
        store<f64>(row + ((<usize>j) << 3), dot * scale);
      }
    }
  }
}

/** O[b,i,h,·] = Σ_{j ≤ i} P[b,h,i,j]·Y[b,j,h,·] (j ascending, from zero): causal P times Y. */
export function causalTimes(p: usize, y: usize, o: usize, B: i32, T: i32, H: i32, s: i32): void {
  const hs = H * s;
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) {
    const po = p + ((<usize>((b * H + h) * T * T)) << 3);
    for (let i = 0; i < T; i++) {
      const row = po + ((<usize>(i * T)) << 3), oi = o + ((<usize>((b * T + i) * hs + h * s)) << 3);
      let c = 0;
      for (; c + 1 < s; c += 2) {
        let acc = f64x2.splat(0);
        for (let j = 0; j <= i; j++) acc = f64x2.add(acc, f64x2.mul(f64x2.splat(load<f64>(row + ((<usize>j) << 3))), v128.load(y + ((<usize>((b * T + j) * hs + h * s + c)) << 3))));
        v128.store(oi + ((<usize>c) << 3), acc);
      }
      for (; c < s; c++) {
        let acc: f64 = 0;
        for (let j = 0; j <= i; j++) acc += load<f64>(row + ((<usize>j) << 3)) * load<f64>(y + ((<usize>((b * T + j) * hs + h * s + c)) << 3));
        store<f64>(oi + ((<usize>c) << 3), acc);
      }
    }
  }
}

/** O[b,j,h,·] = Σ_{i ≥ j} P[b,h,i,j]·X[b,i,h,·] (i ascending, from zero): causal Pᵀ times X. */
export function causalTransposeTimes(p: usize, x: usize, o: usize, B: i32, T: i32, H: i32, s: i32): void {
  const hs = H * s;
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) {
    const po = p + ((<usize>((b * H + h) * T * T)) << 3);
    for (let j = 0; j < T; j++) {
      const oj = o + ((<usize>((b * T + j) * hs + h * s)) << 3);
      let c = 0;
      for (; c + 1 < s; c += 2) {
        let acc = f64x2.splat(0);
        for (let i = j; i < T; i++) acc = f64x2.add(acc, f64x2.mul(f64x2.splat(load<f64>(po + ((<usize>(i * T + j)) << 3))), v128.load(x + ((<usize>((b * T + i) * hs + h * s + c)) << 3))));
        v128.store(oj + ((<usize>c) << 3), acc);
      }
      for (; c < s; c++) {
        let acc: f64 = 0;
        for (let i = j; i < T; i++) acc += load<f64>(po + ((<usize>(i * T + j)) << 3)) * load<f64>(x + ((<usize>((b * T + i) * hs + h * s + c)) << 3));
        store<f64>(oj + ((<usize>c) << 3), acc);
      }
    }
  }
}
