// AssemblyScript source of the float32 row-and-column kernels of lib/nn's GptGradient in float32
// (compiled into lib/kernels/kernels.wasm by `npm run build:wasm`): wasm/rows.ts's kernels with
// four adjacent columns per f32x4, float32 arithmetic, each column summed over the rows in
// ascending order from its old value (the order of the JS references in lib/kernels/rows.ts), and
// the ReLU's value and slope for the lecture's MLP.
//
// Layout: row-major f32 at byte offsets; R rows of n columns.

/** acc[c] += Σ_r x[r, c] (r ascending, added one by one). */
export function columnSums32(x: usize, acc: usize, R: i32, n: i32): void {
  const rs = (<usize>n) << 2, end = x + (<usize>R) * rs;
  let c: usize = 0;
  for (; c + 3 < <usize>n; c += 4) {
    let a = v128.load(acc + (c << 2));
    for (let xp = x + (c << 2); xp < end; xp += rs) a = f32x4.add(a, v128.load(xp));
    v128.store(acc + (c << 2), a);
  }
  for (; c < <usize>n; c++) {
    let a = load<f32>(acc + (c << 2));
    for (let xp = x + (c << 2); xp < end; xp += rs) a += load<f32>(xp);
    store<f32>(acc + (c << 2), a);
  }
}

/** x[r, c] *= s[r, c] in place, then acc[c] += Σ_r x[r, c] (r ascending). */
export function scaledColumnSums32(x: usize, s: usize, acc: usize, R: i32, n: i32): void {
  const rs = (<usize>n) << 2, end = (<usize>R) * rs;
  let c: usize = 0;
  for (; c + 3 < <usize>n; c += 4) {
    let a = v128.load(acc + (c << 2));
    for (let o = c << 2; o < end; o += rs) {
      const v = f32x4.mul(v128.load(x + o), v128.load(s + o));
      v128.store(x + o, v);
      a = f32x4.add(a, v);
    }
    v128.store(acc + (c << 2), a);
  }
  for (; c < <usize>n; c++) {
    let a = load<f32>(acc + (c << 2));
    for (let o = c << 2; o < end; o += rs) {
      const v = load<f32>(x + o) * load<f32>(s + o);
      store<f32>(x + o, v);
      a += v;
    }
    store<f32>(acc + (c << 2), a);
  }
}

/** x[r, c] += y[r, c] + b[c]: a residual branch with its bias. */
export function addBiasedRows32(x: usize, y: usize, b: usize, R: i32, n: i32): void {
  const rs = (<usize>n) << 2;
  for (let r: usize = 0; r < <usize>R; r++) {
    const xr = x + r * rs, yr = y + r * rs;
    let c: usize = 0;
    for (; c + 3 < <usize>n; c += 4) {
      const o = c << 2;
      v128.store(xr + o, f32x4.add(v128.load(xr + o), f32x4.add(v128.load(yr + o), v128.load(b + o))));
    }
    for (; c < <usize>n; c++) {
      const o = c << 2;
      store<f32>(xr + o, load<f32>(xr + o) + (load<f32>(yr + o) + load<f32>(b + o)));
    }
  }
}

/** value[i] = max(u[i], 0), slope[i] = 1 where u[i] > 0, else 0 (the ReLU and its derivative, 0 at the kink). */
export function relu32(u: usize, value: usize, slope: usize, n: i32): void {
  const zero = f32x4.splat(0), one = f32x4.splat(1);
  let i: usize = 0;
  for (; i + 3 < <usize>n; i += 4) {
    const o = i << 2, x = v128.load(u + o), positive = f32x4.gt(x, zero);
    v128.store(value + o, v128.and(x, positive));
    v128.store(slope + o, v128.and(one, positive));
  }
  for (; i < <usize>n; i++) {
    const o = i << 2, x = load<f32>(u + o);
    store<f32>(value + o, x > 0 ? x : 0);
    store<f32>(slope + o, x > 0 ? 1 : 0);
  }
}
