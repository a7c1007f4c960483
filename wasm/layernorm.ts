// AssemblyScript source of the layer-norm kernels of lib/nn's GptGradient (compiled into
// lib/kernels/kernels.wasm by `npm run build:wasm`). Why hand-written: the JS loops were a
// twentieth of a training step (profile of GptGradient.evaluate). Every number is formed by the
// same operations in the same order as the JS references in lib/kernels/layernorm.ts (tested bit
// for bit): the row sums run one column at a time, two rows side by side in the lanes of a v128
// (forward) or in scalars (backward); the element-wise steps take two adjacent columns per v128.
//
// Layout: row-major f64 at byte offsets; R rows of d columns; per-row and per-column vectors.

import { pair } from "./lanes";

/** x̂ = (x − μ)·r, y = x̂⊙γ + β per row (μ the mean, r = 1/√(σ² + 1e-5), σ² the biased variance); r is kept in rstd. */
export function layerNormForward(x: usize, gamma: usize, beta: usize, xhat: usize, rstd: usize, y: usize, R: i32, d: i32): void {
  const rs = (<usize>d) << 3, dd = f64x2.splat(<f64>d);
  let r: usize = 0;
  for (; r + 1 < <usize>R; r += 2) {
    const x0 = x + r * rs, x1 = x0 + rs;
    let mu = f64x2.splat(0);
    for (let o: usize = 0; o < rs; o += 8) mu = f64x2.add(mu, pair(x0 + o, x1 + o));
    mu = f64x2.div(mu, dd);
    let v = f64x2.splat(0);
    for (let o: usize = 0; o < rs; o += 8) {
      const t = f64x2.sub(pair(x0 + o, x1 + o), mu);
      v = f64x2.add(v, f64x2.mul(t, t));
    }
    const inv = f64x2.div(f64x2.splat(1), f64x2.sqrt(f64x2.add(f64x2.div(v, dd), f64x2.splat(1e-5))));
    v128.store(rstd + (r << 3), inv);
    normalizeRow(x0, gamma, beta, xhat + r * rs, y + r * rs, d, f64x2.extract_lane(mu, 0), f64x2.extract_lane(inv, 0));
    normalizeRow(x1, gamma, beta, xhat + r * rs + rs, y + r * rs + rs, d, f64x2.extract_lane(mu, 1), f64x2.extract_lane(inv, 1));
  }
  if (r < <usize>R) {
    const x0 = x + r * rs;
    let mu: f64 = 0;
    for (let o: usize = 0; o < rs; o += 8) mu += load<f64>(x0 + o);
    mu /= <f64>d;
    let v: f64 = 0;
    for (let o: usize = 0; o < rs; o += 8) { const t = load<f64>(x0 + o) - mu; v += t * t; }
    const inv = 1 / Math.sqrt(v / <f64>d + 1e-5);
    store<f64>(rstd + (r << 3), inv);
    normalizeRow(x0, gamma, beta, xhat + r * rs, y + r * rs, d, mu, inv);
  }
}

/** One row's x̂ = (x − μ)·r and y = x̂⊙γ + β. */
@inline function normalizeRow(xr: usize, gamma: usize, beta: usize, hr: usize, yr: usize, d: i32, mu: f64, inv: f64): void {
  const m = f64x2.splat(mu), s = f64x2.splat(inv);
  let c: usize = 0;
  for (; c + 1 < <usize>d; c += 2) {
    const o = c << 3;
    const h = f64x2.mul(f64x2.sub(v128.load(xr + o), m), s);
    v128.store(hr + o, h);
    v128.store(yr + o, f64x2.add(f64x2.mul(h, v128.load(gamma + o)), v128.load(beta + o)));
  }
  if (c < <usize>d) {
    const o = c << 3;
    const h = (load<f64>(xr + o) - mu) * inv;
    store<f64>(hr + o, h);
    store<f64>(yr + o, h * load<f64>(gamma + o) + load<f64>(beta + o));
  }
}

/**
 * The layer norm's backward pass for output gradient dy: dγ += Σ_r dy⊙x̂ and dβ += Σ_r dy (rows in
 * order), and dx += r·(dy⊙γ − mean(dy⊙γ) − x̂·mean(dy⊙γ⊙x̂)) per row.
 */
export function layerNormBackward(dy: usize, gamma: usize, xhat: usize, rstd: usize, dGamma: usize, dBeta: usize, dx: usize, R: i32, d: i32): void {
  const rs = (<usize>d) << 3;
  for (let r: usize = 0; r < <usize>R; r++) {
    const gr = dy + r * rs, hr = xhat + r * rs, xr = dx + r * rs;
    let m1: f64 = 0, m2: f64 = 0;
    let c: usize = 0;
    for (; c + 1 < <usize>d; c += 2) {
      const o = c << 3;
      const g = v128.load(gr + o), h = v128.load(hr + o);
      v128.store(dGamma + o, f64x2.add(v128.load(dGamma + o), f64x2.mul(g, h)));
      v128.store(dBeta + o, f64x2.add(v128.load(dBeta + o), g));
      const dh = f64x2.mul(g, v128.load(gamma + o)), dhh = f64x2.mul(dh, h);
      m1 += f64x2.extract_lane(dh, 0); m2 += f64x2.extract_lane(dhh, 0);
      m1 += f64x2.extract_lane(dh, 1); m2 += f64x2.extract_lane(dhh, 1);
    }
    if (c < <usize>d) {
      const o = c << 3;
      const g = load<f64>(gr + o), h = load<f64>(hr + o);
      store<f64>(dGamma + o, load<f64>(dGamma + o) + g * h);
      store<f64>(dBeta + o, load<f64>(dBeta + o) + g);
      const dh = g * load<f64>(gamma + o);
      m1 += dh; m2 += dh * h;
    }
    m1 /= <f64>d; m2 /= <f64>d;
    const inv = load<f64>(rstd + (r << 3));
    const s = f64x2.splat(inv), a = f64x2.splat(m1), b = f64x2.splat(m2);
    c = 0;
    for (; c + 1 < <usize>d; c += 2) {
      const o = c << 3;
      const t = f64x2.sub(f64x2.sub(f64x2.mul(v128.load(gr + o), v128.load(gamma + o)), a), f64x2.mul(v128.load(hr + o), b));
      v128.store(xr + o, f64x2.add(v128.load(xr + o), f64x2.mul(s, t)));
    }
    if (c < <usize>d) {
      const o = c << 3;
      store<f64>(xr + o, load<f64>(xr + o) + inv * (load<f64>(gr + o) * load<f64>(gamma + o) - m1 - load<f64>(hr + o) * m2));
    }
  }
}
