// AssemblyScript source of the GELU kernel of lib/nn's GptGradient (compiled into
// lib/kernels/kernels.wasm by `npm run build:wasm`). Why hand-written: the JS loop of
// lib/nn/gelu.ts's geluInto was an eighth of a training step (profile of GptGradient.evaluate);
// here two entries share one v128, each lane reading its own centre's coefficients.
//
// It evaluates the same Taylor series as geluInto, with the same operations in the same order
// (Horner from the highest term, no fused multiply-add), so both agree bit for bit (tested):
// centres a_k = k/32 − 8, k = ((u + 8)·32 + 0.5) truncated, t = u − (k/32 − 8),
// Φ(u) ≈ Σ_{n ≤ 10} C_k,n tⁿ, φ(u) ≈ Σ_{n ≤ 9} D_k,n tⁿ, value = u·Φ, slope = Φ + u·φ.
// The table (lib/nn/gelu.ts, geluKernelTable) holds per centre C_k,0 … C_k,10 then D_k,0 … D_k,9.
// Entries outside (−8, 8), or NaN, are left unwritten and counted: the caller takes them.

import { pair } from "./lanes";

const STRIDE: usize = 21 << 3; // bytes per centre

/** Lane 0 from centre o0, lane 1 from centre o1, at byte `at` of the centre. */
@inline function coef(o0: usize, o1: usize, at: usize): v128 {
  return pair(o0 + at, o1 + at);
}

/** The series at one entry, or 1 (nothing written) when u[i] is outside (−8, 8). */
@inline function single(u: usize, value: usize, slope: usize, table: usize, i: usize): i32 {
  const x = load<f64>(u + (i << 3));
  if (!(x > -8.0 && x < 8.0)) return 1;
  const k = <i32>((x + 8.0) * 32.0 + 0.5);
  const t = x - (<f64>k / 32.0 - 8.0);
  const o = table + (<usize>k) * STRIDE;
  let p = load<f64>(o, 80);
  p = load<f64>(o, 72) + t * p; p = load<f64>(o, 64) + t * p; p = load<f64>(o, 56) + t * p;
  p = load<f64>(o, 48) + t * p; p = load<f64>(o, 40) + t * p; p = load<f64>(o, 32) + t * p;
  p = load<f64>(o, 24) + t * p; p = load<f64>(o, 16) + t * p; p = load<f64>(o, 8) + t * p;
  p = load<f64>(o, 0) + t * p;
  let q = load<f64>(o, 160);
  q = load<f64>(o, 152) + t * q; q = load<f64>(o, 144) + t * q; q = load<f64>(o, 136) + t * q;
  q = load<f64>(o, 128) + t * q; q = load<f64>(o, 120) + t * q; q = load<f64>(o, 112) + t * q;
  q = load<f64>(o, 104) + t * q; q = load<f64>(o, 96) + t * q; q = load<f64>(o, 88) + t * q;
  store<f64>(value + (i << 3), x * p);
  store<f64>(slope + (i << 3), p + x * q);
  return 0;
}


/**
 * value[i] = u[i]·Φ(u[i]) and slope[i] = Φ(u[i]) + u[i]·φ(u[i]) for i < n (arrays of f64 at byte
 * offsets u, value, slope; the table at byte offset `table`). Returns the number of entries left
 * unwritten because they lie outside (−8, 8) or are NaN.
 */
export function gelu(u: usize, value: usize, slope: usize, n: i32, table: usize): i32 {
  const lo = f64x2.splat(-8.0), hi = f64x2.splat(8.0), shift = f64x2.splat(8.0), scale = f64x2.splat(32.0), half = f64x2.splat(0.5);
  let outside = 0;
  let i: usize = 0;
  const end = <usize>n;
  for (; i + 1 < end; i += 2) {
    const x = v128.load(u + (i << 3));
    if (!i64x2.all_true(v128.and(f64x2.gt(x, lo), f64x2.lt(x, hi)))) {
      outside += single(u, value, slope, table, i) + single(u, value, slope, table, i + 1);
      continue;
    }
    const k = i32x4.trunc_sat_f64x2_s_zero(f64x2.add(f64x2.mul(f64x2.add(x, shift), scale), half));
    const t = f64x2.sub(x, f64x2.sub(f64x2.div(f64x2.convert_low_i32x4_s(k), scale), shift));
    const o0 = table + (<usize>i32x4.extract_lane(k, 0)) * STRIDE, o1 = table + (<usize>i32x4.extract_lane(k, 1)) * STRIDE;
    let p = coef(o0, o1, 80);
    p = f64x2.add(coef(o0, o1, 72), f64x2.mul(t, p)); p = f64x2.add(coef(o0, o1, 64), f64x2.mul(t, p));
    p = f64x2.add(coef(o0, o1, 56), f64x2.mul(t, p)); p = f64x2.add(coef(o0, o1, 48), f64x2.mul(t, p));
    p = f64x2.add(coef(o0, o1, 40), f64x2.mul(t, p)); p = f64x2.add(coef(o0, o1, 32), f64x2.mul(t, p));
    p = f64x2.add(coef(o0, o1, 24), f64x2.mul(t, p)); p = f64x2.add(coef(o0, o1, 16), f64x2.mul(t, p));
    p = f64x2.add(coef(o0, o1, 8), f64x2.mul(t, p)); p = f64x2.add(coef(o0, o1, 0), f64x2.mul(t, p));
    let q = coef(o0, o1, 160);
    q = f64x2.add(coef(o0, o1, 152), f64x2.mul(t, q)); q = f64x2.add(coef(o0, o1, 144), f64x2.mul(t, q));
    q = f64x2.add(coef(o0, o1, 136), f64x2.mul(t, q)); q = f64x2.add(coef(o0, o1, 128), f64x2.mul(t, q));
    q = f64x2.add(coef(o0, o1, 120), f64x2.mul(t, q)); q = f64x2.add(coef(o0, o1, 112), f64x2.mul(t, q));
    q = f64x2.add(coef(o0, o1, 104), f64x2.mul(t, q)); q = f64x2.add(coef(o0, o1, 96), f64x2.mul(t, q));
    q = f64x2.add(coef(o0, o1, 88), f64x2.mul(t, q));
    v128.store(value + (i << 3), f64x2.mul(x, p));
    v128.store(slope + (i << 3), f64x2.add(p, f64x2.mul(x, q)));
  }
  if (i < end) outside += single(u, value, slope, table, i);
  return outside;
}
