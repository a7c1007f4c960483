// AssemblyScript source of the Householder tridiagonalisation behind SymmetricEigen (lib/linalg),
// compiled with the matmul kernel into lib/kernels/kernels.wasm by `npm run build:wasm`.
//
// Why hand-written, and why fused: the reduction is two level-2 sweeps over the trailing block per
// column (the symmetric product p = A v and the rank-2 update A ← A − v wᵀ − w vᵀ), memory- and
// loop-overhead-bound in JS. Here the rank-2 update of step k and the product of step k + 1 run in
// one sweep (the next Householder vector only needs the updated column k + 1, which is updated
// first), with WebAssembly SIMD (two doubles per v128) along each row: half the memory traffic and
// twice the arithmetic width of the JS loop it replaces (`npm run bench`: eigenvalues 500 × 500).
//
// Memory layout (byte offsets, f64): a = the n × n matrix, row-major, of which the lower triangle
// (j ≤ i) is read and overwritten; d (n), e (n) receive the diagonal and sub-diagonal (e[0] = 0)
// of T = QᵀAQ; v, w, v2, p2 (n each) are workspace.

@inline function at(base: usize, i: i32): usize {
  return base + ((<usize>i) << 3);
}

@inline function el(a: usize, n: i32, i: i32, j: i32): usize {
  return a + (((<usize>i) * <usize>n + <usize>j) << 3);
}

/**
 * Householder vector of column k (entries k+1 … n−1, already up to date) into v: v = x − g e₁ with
 * g = −sign(x₀)‖x‖, scaled by 1/Σ|x| against overflow; e[k+1] = scale·g. Returns h = vᵀv/2 (in the
 * scaled units), or 0 when the column is already zero (then v is left unset and e[k+1] = 0).
 */
function householder(a: usize, n: i32, k: i32, v: usize, e: usize): f64 {
  let scale: f64 = 0;
  for (let i = k + 1; i < n; i++) scale += Math.abs(load<f64>(el(a, n, i, k)));
  if (scale == 0) {
    store<f64>(at(e, k + 1), 0);
    return 0;
  }
  let h: f64 = 0;
  for (let i = k + 1; i < n; i++) {
    const x = load<f64>(el(a, n, i, k)) / scale;
    store<f64>(at(v, i), x);
    h += x * x;
  }
  const x0 = load<f64>(at(v, k + 1));
  const g = x0 >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
  store<f64>(at(e, k + 1), scale * g);
  h -= x0 * g;
  store<f64>(at(v, k + 1), x0 - g);
  return h;
}

export function tridiagonalize(a: usize, n: i32, d: usize, e: usize, v: usize, w: usize, v2: usize, p2: usize): void {
  store<f64>(e, 0);
  let pending = false; // whether A's trailing block still owes the update − v wᵀ − w vᵀ of the previous step
  for (let k = 0; k < n - 2; k++) {
    if (pending) {
      // bring column k (rows k … n−1) up to date before reading it
      const vk = load<f64>(at(v, k)), wk = load<f64>(at(w, k));
      for (let i = k; i < n; i++) {
        const q = el(a, n, i, k);
        store<f64>(q, load<f64>(q) - (load<f64>(at(v, i)) * wk + load<f64>(at(w, i)) * vk));
      }
    }
    store<f64>(at(d, k), load<f64>(el(a, n, k, k)));
    const h = householder(a, n, k, v2, e);
    const k1 = k + 1;
    if (h == 0) {
      if (pending) rank2(a, n, k1, v, w);
      pending = false;
      continue;
    }
    // one sweep over the lower triangle of the trailing block (rows and columns k+1 … n−1):
    // apply the pending update (if any), then accumulate p2 = A v2 from the updated entries
    for (let i = k1; i < n; i++) store<f64>(at(p2, i), 0);
    for (let i = k1; i < n; i++) {
      const vi = pending ? load<f64>(at(v, i)) : 0, wi = pending ? load<f64>(at(w, i)) : 0, ui = load<f64>(at(v2, i));
      const svi = f64x2.splat(vi), swi = f64x2.splat(wi), sui = f64x2.splat(ui);
      let acc = f64x2.splat(0);
      let j = k1;
      const row = el(a, n, i, 0);
      if (pending) {
        for (; j + 1 < i; j += 2) {
          const q = row + ((<usize>j) << 3);
          const x = f64x2.sub(v128.load(q), f64x2.add(f64x2.mul(svi, v128.load(at(w, j))), f64x2.mul(swi, v128.load(at(v, j)))));
          v128.store(q, x);
          acc = f64x2.add(acc, f64x2.mul(x, v128.load(at(v2, j))));
          v128.store(at(p2, j), f64x2.add(v128.load(at(p2, j)), f64x2.mul(x, sui)));
        }
      } else {
        for (; j + 1 < i; j += 2) {
          const x = v128.load(row + ((<usize>j) << 3));
          acc = f64x2.add(acc, f64x2.mul(x, v128.load(at(v2, j))));
          v128.store(at(p2, j), f64x2.add(v128.load(at(p2, j)), f64x2.mul(x, sui)));
        }
      }
      let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
      for (; j <= i; j++) {
        const q = row + ((<usize>j) << 3);
        let x = load<f64>(q);
        if (pending) {
          x -= vi * load<f64>(at(w, j)) + wi * load<f64>(at(v, j));
          store<f64>(q, x);
        }
        if (j < i) {
          s += x * load<f64>(at(v2, j));
          store<f64>(at(p2, j), load<f64>(at(p2, j)) + x * ui);
        } else s += x * ui; // the diagonal entry
      }
      store<f64>(at(p2, i), load<f64>(at(p2, i)) + s);
    }
    // w = p − (vᵀp / 2h) v with p = A v / h; the new (v, w) become the pending update
    let vp: f64 = 0;
    for (let i = k1; i < n; i++) {
      const p = load<f64>(at(p2, i)) / h;
      store<f64>(at(p2, i), p);
      vp += load<f64>(at(v2, i)) * p;
    }
    const kk = vp / (2 * h);
    for (let i = k1; i < n; i++) {
      store<f64>(at(v, i), load<f64>(at(v2, i)));
      store<f64>(at(w, i), load<f64>(at(p2, i)) - kk * load<f64>(at(v2, i)));
    }
    pending = true;
  }
  if (pending && n >= 2) rank2(a, n, n - 2, v, w);
  if (n >= 2) {
    store<f64>(at(d, n - 2), load<f64>(el(a, n, n - 2, n - 2)));
    store<f64>(at(e, n - 1), load<f64>(el(a, n, n - 1, n - 2)));
  }
  store<f64>(at(d, n - 1), load<f64>(el(a, n, n - 1, n - 1)));
}

/** A ← A − v wᵀ − w vᵀ on the lower triangle of the trailing block from row/column k0. */
function rank2(a: usize, n: i32, k0: i32, v: usize, w: usize): void {
  for (let i = k0; i < n; i++) {
    const vi = load<f64>(at(v, i)), wi = load<f64>(at(w, i));
    for (let j = k0; j <= i; j++) {
      const q = el(a, n, i, j);
      store<f64>(q, load<f64>(q) - (vi * load<f64>(at(w, j)) + wi * load<f64>(at(v, j))));
    }
  }
}
