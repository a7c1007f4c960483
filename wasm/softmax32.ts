// AssemblyScript source of the float32 causal-softmax kernels of lib/nn's GptGradient in float32
// (compiled into lib/kernels/kernels.wasm by `npm run build:wasm`). Why hand-written: in float32
// the products run so fast that the attention's softmaxes, JS loops around Math.exp, became a
// tenth of a training step (profile of GptGradient.evaluate in float32); WebAssembly has no exp,
// so here it is a polynomial on four lanes at once.
//
// exp4: Cody–Waite reduction x = n·ln 2 + r, n = round(x·log₂e), |r| ≤ ln 2/2, r formed with ln 2
// split in a high part exact in float32 and a low part; e^r by its Taylor polynomial of degree 7
// (truncation ≤ (ln 2/2)⁸/8! ≈ 5·10⁻⁹, below float32's unit roundoff 6·10⁻⁸) in Horner form;
// 2ⁿ by writing n + 127 into the exponent bits. Inputs are clamped at −87.3 (e^−87.3 ≈ 1.2·10⁻³⁸,
// the smallest normal float32 is 1.18·10⁻³⁸), so 2ⁿ is always normal; a softmax's arguments
// x − max are ≤ 0. Accuracy: a few float32 ulps (tested against Math.exp through the softmax).
//
// Layout: p and dp are [blocks, T, T] row-major f32 at byte offsets; only the causal part j ≤ i of
// each T × T block is read, and causalSoftmax32 sets the rest to 0 (as lib/kernels/softmax.ts).

@inline function exp4(x: v128): v128 {
  const c = f32x4.max(x, f32x4.splat(-87.3));
  const n = f32x4.nearest(f32x4.mul(c, f32x4.splat(1.4426950408889634)));
  const r = f32x4.sub(f32x4.sub(c, f32x4.mul(n, f32x4.splat(0.693145751953125))), f32x4.mul(n, f32x4.splat(1.428606765330187e-6)));
  let p = f32x4.add(f32x4.splat(1.0 / 720.0), f32x4.mul(r, f32x4.splat(1.0 / 5040.0)));
  p = f32x4.add(f32x4.splat(1.0 / 120.0), f32x4.mul(r, p));
  p = f32x4.add(f32x4.splat(1.0 / 24.0), f32x4.mul(r, p));
  p = f32x4.add(f32x4.splat(1.0 / 6.0), f32x4.mul(r, p));
  p = f32x4.add(f32x4.splat(0.5), f32x4.mul(r, p));
  p = f32x4.add(f32x4.splat(1.0), f32x4.mul(r, p));
  p = f32x4.add(f32x4.splat(1.0), f32x4.mul(r, p));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

@inline function exp1(x: f32): f32 {
  return f32x4.extract_lane(exp4(f32x4.splat(x)), 0);
}

/** Row-wise softmax over the causal part j ≤ i of each T × T block of p, in place; entries j > i set to 0. */
export function causalSoftmax32(p: usize, blocks: i32, T: i32): void {
  const rowBytes = (<usize>T) << 2;
  for (let bh = 0; bh < blocks; bh++) for (let i = 0; i < T; i++) {
    const row = p + ((<usize>(bh * T + i)) * rowBytes), n = i + 1, n4 = n & ~3;
    let mv = f32x4.splat(-Infinity);
    let j = 0;
    for (; j < n4; j += 4) mv = f32x4.max(mv, v128.load(row + ((<usize>j) << 2)));
    let m: f32 = max(max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)), max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)));
    for (; j < n; j++) m = max(m, load<f32>(row + ((<usize>j) << 2)));
    const ms = f32x4.splat(m);
    let zv = f32x4.splat(0);
    j = 0;
    for (; j < n4; j += 4) {
      const at = row + ((<usize>j) << 2), e = exp4(f32x4.sub(v128.load(at), ms));
      v128.store(at, e);
      zv = f32x4.add(zv, e);
    }
    let z: f32 = f32x4.extract_lane(zv, 0) + f32x4.extract_lane(zv, 1) + f32x4.extract_lane(zv, 2) + f32x4.extract_lane(zv, 3);
    for (; j < n; j++) {
      const at = row + ((<usize>j) << 2), e = exp1(load<f32>(at) - m);
      store<f32>(at, e);
      z += e;
    }
    const zs = f32x4.splat(z);
    j = 0;
    for (; j < n4; j += 4) { const at = row + ((<usize>j) << 2); v128.store(at, f32x4.div(v128.load(at), zs)); }
    for (; j < n; j++) { const at = row + ((<usize>j) << 2); store<f32>(at, load<f32>(at) / z); }
    for (; j < T; j++) store<f32>(row + ((<usize>j) << 2), 0);
  }
}

/** dS = P⊙(dP − rowsum(P⊙dP))·scale on the causal part, in place of dP (the softmax's backward, times the score scale). */
export function causalSoftmaxBackward32(p: usize, dp: usize, blocks: i32, T: i32, scale: f32): void {
  const rowBytes = (<usize>T) << 2, sc = f32x4.splat(scale);
  for (let bh = 0; bh < blocks; bh++) for (let i = 0; i < T; i++) {
    const off = (<usize>(bh * T + i)) * rowBytes, pr = p + off, dr = dp + off, n = i + 1, n4 = n & ~3;
    let dv = f32x4.splat(0);
    let j = 0;
    for (; j < n4; j += 4) { const o = (<usize>j) << 2; dv = f32x4.add(dv, f32x4.mul(v128.load(pr + o), v128.load(dr + o))); }
    let dot: f32 = f32x4.extract_lane(dv, 0) + f32x4.extract_lane(dv, 1) + f32x4.extract_lane(dv, 2) + f32x4.extract_lane(dv, 3);
    for (; j < n; j++) { const o = (<usize>j) << 2; dot += load<f32>(pr + o) * load<f32>(dr + o); }
    const ds = f32x4.splat(dot);
    j = 0;
    for (; j < n4; j += 4) { const o = (<usize>j) << 2; v128.store(dr + o, f32x4.mul(f32x4.mul(v128.load(pr + o), f32x4.sub(v128.load(dr + o), ds)), sc)); }
    for (; j < n; j++) { const o = (<usize>j) << 2; store<f32>(dr + o, load<f32>(pr + o) * (load<f32>(dr + o) - dot) * scale); }
  }
}
