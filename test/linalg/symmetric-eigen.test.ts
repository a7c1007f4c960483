import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix, EigenvalueDecomposition } from "ml-matrix";
import { SymmetricEigen, symmetricEigenvalues, orthonormalizeColumns } from "../../lib/linalg";
import { goe, Stream } from "../../lib/random";

const relErr = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let e = 0,
    m = 0;
  for (let i = 0; i < a.length; i++) {
    e = Math.max(e, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return e / m;
};

test("eigenvalues agree with ml-matrix to 1e-12 relative (n = 1 … 200)", () => {
  for (const n of [1, 2, 3, 7, 16, 64, 200]) {
    const a = goe(new Stream(11, n), n);
    const rows = Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, i * n + n)));
    const ref = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true }).realEigenvalues.sort(
      (x, y) => x - y,
    );
    assert.ok(relErr(symmetricEigenvalues(a, n), ref) < 1e-12, `n = ${n}`);
  }
});

test("closed forms: the path-graph Laplacian 2 − 2cos(πk/(n+1)) and a diagonal with repeated values", () => {
  const n = 50;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    a[i * n + i] = 2;
    if (i > 0) {
      a[i * n + i - 1] = -1;
      a[(i - 1) * n + i] = -1;
    }
  }
  const exact = Float64Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos((Math.PI * (k + 1)) / (n + 1))).sort();
  assert.ok(relErr(symmetricEigenvalues(a, n), exact) < 1e-13);
  const d = new Float64Array(16);
  [3, 1, 1, 3].forEach((v, i) => (d[i * 4 + i] = v));
  assert.deepEqual(Array.from(symmetricEigenvalues(d, 4)), [1, 1, 3, 3]);
});

test("invariants under a random orthogonal similarity: trace, Frobenius norm and spectrum (1e-12)", () => {
  const n = 40,
    s = new Stream(12, 0);
  const lam = Float64Array.from({ length: n }, (_, i) => i - 10 + 0.5 * s.uniform()).sort();
  const q = orthonormalizeColumns(s.fillNormal(new Float64Array(n * n)), n, n);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let v = 0;
      for (let k = 0; k < n; k++) v += q[i * n + k] * lam[k] * q[j * n + k];
      a[i * n + j] = v;
    }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[j * n + i] = a[i * n + j];
  assert.ok(relErr(symmetricEigenvalues(a, n), lam) < 1e-12);
});

test("a solver reused across calls gives the same numbers and does not modify its input", () => {
  const n = 12,
    solver = new SymmetricEigen(n),
    out = new Float64Array(n);
  const a = goe(new Stream(13, 0), n),
    copy = Float64Array.from(a);
  const first = Float64Array.from(solver.values(a, out));
  solver.values(goe(new Stream(13, 1), n), out);
  assert.deepEqual(Array.from(solver.values(a, out)), Array.from(first));
  assert.deepEqual(a, copy);
});

test("a non-symmetric matrix, a wrong size and NaN entries are refused with clear errors", () => {
  const a = Float64Array.of(1, 2, 2.5, 1);
  assert.throws(() => symmetricEigenvalues(a, 2), /not symmetric: \|A\[1\]\[0\] − A\[0\]\[1\]\|/);
  assert.throws(() => symmetricEigenvalues(Float64Array.of(1, 2, 3), 2), /length 4/);
  assert.throws(() => symmetricEigenvalues(Float64Array.of(1, NaN, NaN, 1), 2), /NaN or Inf/);
});

test("Gram–Schmidt gives orthonormal columns, also against a given basis", () => {
  const s = new Stream(14, 0);
  const q = orthonormalizeColumns(s.fillNormal(new Float64Array(30 * 4)), 30, 4);
  const r = orthonormalizeColumns(s.fillNormal(new Float64Array(30 * 5)), 30, 5, { q, cols: 4 });
  for (const [m, c1, p, c2] of [
    [q, 4, q, 4],
    [r, 5, r, 5],
    [q, 4, r, 5],
  ] as const)
    for (let i = 0; i < c1; i++)
      for (let j = 0; j < c2; j++) {
        let d = 0;
        for (let k = 0; k < 30; k++) d += m[k * c1 + i] * p[k * c2 + j];
        assert.ok(Math.abs(d - (m === p && i === j ? 1 : 0)) < 1e-14);
      }
  assert.throws(() => orthonormalizeColumns(Float64Array.of(1, 2, 2, 4), 2, 2), /linearly dependent/);
});

test("the wasm reduction (n ≥ 32) agrees with the JS loop to 1e-13 relative, also when columns are already zero (block-diagonal input)", async () => {
  const { wasmKernel } = await import("../../lib/kernels");
  assert.ok(wasmKernel() !== null, "lib/kernels/kernels.wasm missing: run npm run build:wasm");
  const block = (n: number) => {
    // a dense GOE block of n/2 and a diagonal block: the reduction meets zero columns after a pending update
    const h = n >> 1,
      g = goe(new Stream(12, n), h),
      a = new Float64Array(n * n);
    for (let i = 0; i < h; i++) for (let j = 0; j < h; j++) a[i * n + j] = g[i * h + j];
    for (let i = h; i < n; i++) a[i * n + i] = i - h;
    return a;
  };
  for (const [n, a] of [
    [32, goe(new Stream(12, 1), 32)],
    [33, goe(new Stream(12, 2), 33)],
    [101, goe(new Stream(12, 3), 101)],
    [40, block(40)],
    [64, new Float64Array(64 * 64)],
  ] as const) {
    const s = new SymmetricEigen(n);
    const w = Float64Array.from(s.values(a));
    s.useWasm = false;
    const j = s.values(a);
    assert.ok(
      relErr(w, j) <= 1e-13 || (j.every((x) => x === 0) && w.every((x) => x === 0)),
      `n = ${n}: ${relErr(w, j)}`,
    );
  }
  // and against the closed form of the path-graph Laplacian at n = 300 (through the wasm path)
  const n = 300,
    L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    L[i * n + i] = 2;
    if (i + 1 < n) L[i * n + i + 1] = L[(i + 1) * n + i] = -1;
  }
  const exact = Float64Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos((Math.PI * (k + 1)) / (n + 1)));
  assert.ok(relErr(symmetricEigenvalues(L, n), exact) < 1e-13);
});
