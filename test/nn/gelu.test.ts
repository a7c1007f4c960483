import { test } from "node:test";
import assert from "node:assert/strict";
import { geluInto, geluKernelTable, normalCdfSeries, normalPdfSeries } from "../../lib/nn/gelu";
import { KernelArena, wasmKernel } from "../../lib/kernels";
import { Stream } from "../../lib/random";
import { normalCdf, normalPdf } from "../../lib/stats/normal";

const ULP = 2 ** -52;

test("normalCdfSeries and normalPdfSeries agree with stdlib's Φ and φ to a few ulp beyond the conditioning, on (−8, 8) and outside", () => {
  // an input rounding of 1 ulp moves Φ by |u|φ/Φ ulp and φ by u² ulp (their condition numbers):
  // the reference itself carries that much, so the error is measured in units of max(1, condition)
  let worstCdf = 0,
    worstPdf = 0;
  for (let i = 0; i <= 200000; i++) {
    const u = -9 + (18 * i) / 200000 + 1e-9 * (i % 7);
    const P = normalCdf(u),
      D = normalPdf(u);
    worstCdf = Math.max(worstCdf, Math.abs(normalCdfSeries(u) - P) / P / Math.max(1, (Math.abs(u) * D) / P));
    worstPdf = Math.max(worstPdf, Math.abs(normalPdfSeries(u) - D) / D / Math.max(1, u * u));
  }
  // measured: degree 8 misses φ by ~70 ulp, spacing 1/16 by ~9 ulp; degree 10 at 1/32 stays under 2
  assert.ok(worstCdf < 4 * ULP, `Φ: ${worstCdf / ULP} ulp`);
  assert.ok(worstPdf < 4 * ULP, `φ: ${worstPdf / ULP} ulp`);
  assert.equal(normalCdfSeries(0), 0.5);
  assert.ok(Number.isNaN(normalCdfSeries(NaN)) && Number.isNaN(normalPdfSeries(NaN)));
  assert.equal(normalCdfSeries(Infinity), 1);
  assert.equal(normalCdfSeries(-Infinity), 0);
});

test("geluInto: value u·Φ(u) and slope Φ + uφ bit for bit from the scalar series; the slope is the value's derivative", () => {
  const n = 4001,
    u = new Float64Array(n),
    value = new Float64Array(n),
    slope = new Float64Array(n);
  for (let i = 0; i < n; i++) u[i] = -10 + (20 * i) / (n - 1) + 1e-3 * Math.sin(i);
  u[7] = NaN;
  geluInto(u, value, slope, n);
  for (let i = 0; i < n; i++) {
    if (i === 7) {
      assert.ok(Number.isNaN(value[i]) && Number.isNaN(slope[i]));
      continue;
    }
    assert.equal(value[i], u[i] * normalCdfSeries(u[i]), `value at ${u[i]}`);
    assert.equal(slope[i], normalCdfSeries(u[i]) + u[i] * normalPdfSeries(u[i]), `slope at ${u[i]}`);
  }
  // central difference: error h²/6·|gelu'''| ≤ h²/6·(u²+... )φ ≲ 1e-10 at h = 1e-5, rounding ~1e-11
  for (const x of [-7.3, -3.01, -1, -0.2, 0, 0.013, 0.5, 1.7, 4.2, 7.9]) {
    const h = 1e-5,
      f = (y: number) => y * normalCdfSeries(y);
    const fd = (f(x + h) - f(x - h)) / (2 * h);
    const one = new Float64Array([x]),
      v = new Float64Array(1),
      s = new Float64Array(1);
    geluInto(one, v, s, 1);
    assert.ok(Math.abs(fd - s[0]) < 1e-9, `gelu'(${x}) = ${s[0]} vs central difference ${fd}`);
  }
});

test("KernelArena.gelu (wasm/gelu.ts) writes geluInto's numbers bit for bit inside (−8, 8), and leaves and counts the entries outside and NaN", () => {
  assert.ok(wasmKernel() !== null, "lib/kernels/kernels.wasm missing: run npm run build:wasm");
  const s = Stream.named(3, "test/nn/gelu-kernel");
  const table0 = geluKernelTable();
  for (const n of [1, 2, 7, 4096]) {
    const arena = new KernelArena();
    arena.layout(5 * n + table0.length);
    const u = arena.alloc(n),
      value = arena.alloc(n),
      slope = arena.alloc(n),
      table = arena.alloc(table0.length);
    table.set(table0);
    // mostly N(0, 3²), with the range's edges, exact centres and, for n > 2, entries outside and a NaN
    for (let i = 0; i < n; i++) u[i] = 3 * s.normal();
    const special = [-8, 8, -7.999999999999999, 7.999999999999999, -8.5, 11, NaN, 0, 1 / 64, -1 / 64, 5 + 1 / 32];
    if (n > 2)
      special.forEach((x, k) => {
        u[(k * 97) % n] = x;
      });
    value.fill(-1);
    slope.fill(-1);
    const left = arena.gelu(u, value, slope, table, n);
    const rv = new Float64Array(n),
      rs = new Float64Array(n);
    geluInto(Float64Array.from(u), rv, rs, n);
    let outside = 0;
    for (let i = 0; i < n; i++) {
      if (u[i] > -8 && u[i] < 8) {
        assert.equal(value[i], rv[i], `value at u = ${u[i]}`);
        assert.equal(slope[i], rs[i], `slope at u = ${u[i]}`);
      } else {
        outside++;
        assert.ok(value[i] === -1 && slope[i] === -1, `u = ${u[i]} should be left to the caller`);
      }
    }
    assert.equal(left, outside);
    if (n === 4096) assert.ok(outside >= 4, "the test must reach the entries outside");
  }
  const js = new KernelArena({ wasm: false });
  js.layout(3);
  assert.equal(
    js.gelu(js.alloc(1), js.alloc(1), js.alloc(1), new Float64Array(0), 1),
    -1,
    "without wasm: −1, nothing written",
  );
});
