// AssemblyScript source of the row-and-column element-wise kernels of lib/nn's GptGradient
// (compiled into lib/kernels/kernels.wasm by `npm run build:wasm`). Why hand-written: these loops
// over [rows, columns] arrays (bias gradients, the GELU's backward step, the residual with its
// bias) were a tenth of a training step as JS loops (profile of GptGradient.evaluate); here two
// adjacent columns share one v128 and nothing is bounds-checked. Each column is still summed
// over the rows in ascending order from its old value, as in the JS references of
// lib/kernels/rows.ts, so both agree bit for bit (tested).
//
// Layout: row-major f64 at byte offsets; R rows of n columns.

/** acc[c] += Σ_r x[r, c] (r ascending, added one by one). */
export function columnSums(x: usize, acc: usize, R: i32, n: i32): void {
  const rs = (<usize>n) << 3, end = x + (<usize>R) * rs;
  let c: usize = 0;
  for (; c + 1 < <usize>n; c += 2) {
    let a = v128.load(acc + (c << 3));
    for (let xp = x + (c << 3); xp < end; xp += rs) a = f64x2.add(a, v128.load(xp));
    v128.store(acc + (c << 3), a);
  }
  for (; c < <usize>n; c++) {
    let a = load<f64>(acc + (c << 3));
    for (let xp = x + (c << 3); xp < end; xp += rs) a += load<f64>(xp);
    store<f64>(acc + (c << 3), a);
  }
}

/** x[r, c] *= s[r, c] in place, then acc[c] += Σ_r x[r, c] (r ascending): a bias gradient through an element-wise slope. */
export function scaledColumnSums(x: usize, s: usize, acc: usize, R: i32, n: i32): void {
  const rs = (<usize>n) << 3, end = (<usize>R) * rs;
  let c: usize = 0;
  for (; c + 1 < <usize>n; c += 2) {
    let a = v128.load(acc + (c << 3));
    for (let o = c << 3; o < end; o += rs) {
      const v = f64x2.mul(v128.load(x + o), v128.load(s + o));
      v128.store(x + o, v);
      a = f64x2.add(a, v);
    }
    v128.store(acc + (c << 3), a);
  }
  for (; c < <usize>n; c++) {
    let a = load<f64>(acc + (c << 3));
    for (let o = c << 3; o < end; o += rs) {
      const v = load<f64>(x + o) * load<f64>(s + o);
      store<f64>(x + o, v);
      a += v;
    }
    store<f64>(acc + (c << 3), a);
  }
}

/** x[r, c] += y[r, c] + b[c]: a residual branch with its bias. */
export function addBiasedRows(x: usize, y: usize, b: usize, R: i32, n: i32): void {
  const rs = (<usize>n) << 3;
  for (let r: usize = 0; r < <usize>R; r++) {
    const xr = x + r * rs, yr = y + r * rs;
    let c: usize = 0;
    for (; c + 1 < <usize>n; c += 2) {
      const o = c << 3;
      v128.store(xr + o, f64x2.add(v128.load(xr + o), f64x2.add(v128.load(yr + o), v128.load(b + o))));
    }
    for (; c < <usize>n; c++) {
      const o = c << 3;
      store<f64>(xr + o, load<f64>(xr + o) + (load<f64>(yr + o) + load<f64>(b + o)));
    }
  }
}

/** value[i] = max(u[i], 0), slope[i] = 1 where u[i] > 0, else 0 (the ReLU and its derivative, 0 at the kink): lib/kernels/rows.ts's reluJs. */
export function relu(u: usize, value: usize, slope: usize, n: i32): void {
  const zero = f64x2.splat(0), one = f64x2.splat(1);
  let i: usize = 0;
  for (; i + 1 < <usize>n; i += 2) {
    const o = i << 3, x = v128.load(u + o), positive = f64x2.gt(x, zero);
    v128.store(value + o, v128.and(x, positive));
    v128.store(slope + o, v128.and(one, positive));
  }
  for (; i < <usize>n; i++) {
    const o = i << 3, x = load<f64>(u + o);
    store<f64>(value + o, x > 0 ? x : 0);
    store<f64>(slope + o, x > 0 ? 1 : 0);
  }
}
