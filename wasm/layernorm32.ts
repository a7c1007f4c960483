// AssemblyScript source of the float32 layer-norm kernels of lib/nn's GptGradient in float32
// (compiled into lib/kernels/kernels.wasm by `npm run build:wasm`): wasm/layernorm.ts's forward
// and backward passes in float32 arithmetic, four adjacent columns per f32x4. A row's sums run in
// four lanes (columns c ≡ 0, 1, 2, 3 mod 4), which are then added lane 0 + 1 + 2 + 3: another order
// than the JS references of lib/kernels/layernorm.ts, within float32 rounding of them (tested).
//
// Layout: row-major f32 at byte offsets; R rows of d columns (d a multiple of 4); per-row and
// per-column vectors.

@inline function lanes(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** x̂ = (x − μ)·r, y = x̂⊙γ + β per row (μ the mean, r = 1/√(σ² + 1e-5), σ² the biased variance); r is kept in rstd. */
export function layerNormForward32(x: usize, gamma: usize, beta: usize, xhat: usize, rstd: usize, y: usize, R: i32, d: i32): void {
  const rs = (<usize>d) << 2, df = <f32>d;
  for (let r: usize = 0; r < <usize>R; r++) {
    const xr = x + r * rs, hr = xhat + r * rs, yr = y + r * rs;
    let s = f32x4.splat(0);
    for (let o: usize = 0; o < rs; o += 16) s = f32x4.add(s, v128.load(xr + o));
    const mu: f32 = lanes(s) / df, m = f32x4.splat(mu);
    let v = f32x4.splat(0);
    for (let o: usize = 0; o < rs; o += 16) {
      const t = f32x4.sub(v128.load(xr + o), m);
      v = f32x4.add(v, f32x4.mul(t, t));
    }
    const inv: f32 = <f32>1 / Mathf.sqrt(lanes(v) / df + <f32>1e-5), sc = f32x4.splat(inv);
    store<f32>(rstd + (r << 2), inv);
    for (let o: usize = 0; o < rs; o += 16) {
      const h = f32x4.mul(f32x4.sub(v128.load(xr + o), m), sc);
      v128.store(hr + o, h);
      v128.store(yr + o, f32x4.add(f32x4.mul(h, v128.load(gamma + o)), v128.load(beta + o)));
    }
  }
}

/**
 * The layer norm's backward pass for output gradient dy: dγ += Σ_r dy⊙x̂ and dβ += Σ_r dy (rows in
 * order), and dx += r·(dy⊙γ − mean(dy⊙γ) − x̂·mean(dy⊙γ⊙x̂)) per row.
 */
export function layerNormBackward32(dy: usize, gamma: usize, xhat: usize, rstd: usize, dGamma: usize, dBeta: usize, dx: usize, R: i32, d: i32): void {
  const rs = (<usize>d) << 2, df = <f32>d;
  for (let r: usize = 0; r < <usize>R; r++) {
    const gr = dy + r * rs, hr = xhat + r * rs, xr = dx + r * rs;
    let m1 = f32x4.splat(0), m2 = f32x4.splat(0);
    for (let o: usize = 0; o < rs; o += 16) {
      const g = v128.load(gr + o), h = v128.load(hr + o);
      v128.store(dGamma + o, f32x4.add(v128.load(dGamma + o), f32x4.mul(g, h)));
      v128.store(dBeta + o, f32x4.add(v128.load(dBeta + o), g));
      const dh = f32x4.mul(g, v128.load(gamma + o));
      m1 = f32x4.add(m1, dh);
      m2 = f32x4.add(m2, f32x4.mul(dh, h));
    }
    const a = f32x4.splat(lanes(m1) / df), b = f32x4.splat(lanes(m2) / df), s = f32x4.splat(load<f32>(rstd + (r << 2)));
    for (let o: usize = 0; o < rs; o += 16) {
      const t = f32x4.sub(f32x4.sub(f32x4.mul(v128.load(gr + o), v128.load(gamma + o)), a), f32x4.mul(v128.load(hr + o), b));
      v128.store(xr + o, f32x4.add(v128.load(xr + o), f32x4.mul(s, t)));
    }
  }
}
