import { test } from "node:test";
import assert from "node:assert/strict";
import { tridiagonalEigenvalues, tridiagonalEigenvector, sturmCount } from "../../lib/linalg/tridiagonal-eigen";
import { symmetricEigenvalues } from "../../lib/linalg";
import { Stream } from "../../lib/random";

test("the discrete Laplacian tridiag(−1, 2, −1): λ_k = 2 − 2cos(kπ/(n+1)) to 1e-14", () => {
  const n = 200,
    d = new Float64Array(n).fill(2),
    e = new Float64Array(n - 1).fill(-1);
  const ev = tridiagonalEigenvalues(d, e, 10);
  ev.forEach((l, k) =>
    assert.ok(Math.abs(l - (2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1)))) < 1e-14, `${k}: ${l}`),
  );
  // and the eigenvector is the sine mode
  const v = tridiagonalEigenvector(d, e, ev[2]);
  const s = Float64Array.from({ length: n }, (_, i) => Math.sin((3 * (i + 1) * Math.PI) / (n + 1)));
  const ns = Math.hypot(...s),
    sign = Math.sign(v[s.indexOf(Math.max(...s))]);
  assert.ok(Math.max(...v.map((x, i) => Math.abs(x - (sign * s[i]) / ns))) < 1e-10);
});

test("a random symmetric tridiagonal matrix: all eigenvalues equal the dense solver's, Sturm counts are consistent", () => {
  const s = new Stream(21, 0),
    n = 40;
  const d = s.fillNormal(new Float64Array(n)),
    e = s.fillNormal(new Float64Array(n - 1));
  const dense = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    dense[i * n + i] = d[i];
    if (i + 1 < n) {
      dense[i * n + i + 1] = e[i];
      dense[(i + 1) * n + i] = e[i];
    }
  }
  const ref = Array.from(symmetricEigenvalues(dense, n)).sort((a, b) => a - b);
  const ev = tridiagonalEigenvalues(d, e);
  ref.forEach((r, k) => assert.ok(Math.abs(ev[k] - r) < 1e-12, `${k}: ${ev[k]} vs ${r}`));
  assert.equal(sturmCount(d, e, ref[7] + 1e-9), 8);
  // T v = λ v for an inverse-iteration vector
  const v = tridiagonalEigenvector(d, e, ev[5]);
  let res = 0;
  for (let i = 0; i < n; i++)
    res = Math.max(
      res,
      Math.abs(d[i] * v[i] + (i > 0 ? e[i - 1] * v[i - 1] : 0) + (i + 1 < n ? e[i] * v[i + 1] : 0) - ev[5] * v[i]),
    );
  assert.ok(res < 1e-12, `residual ${res}`);
});

test("bad input is refused", () => {
  assert.throws(() => tridiagonalEigenvalues(new Float64Array(3), new Float64Array(3)), /off-diagonal/);
  assert.throws(() => tridiagonalEigenvalues(new Float64Array(3), new Float64Array(2), 4), /count/);
  assert.throws(() => tridiagonalEigenvalues(Float64Array.of(1, NaN), new Float64Array(1)), /diagonal/);
});
