import { normalCdf, normalPdf } from "../stats/normal";
import type { FloatArray } from "../kernels/precision";

/**
 * The exact GELU, gelu(u) = u·Φ(u), and its slope Φ(u) + u·φ(u), fast enough for the hot loop of
 * `GptGradient` (Φ, φ: the standard normal CDF and density).
 *
 * Method: Φ is expanded in Taylor series about the centres a = −8, −8 + 1/32, …, 8. Its
 * derivatives there are closed forms, Φ⁽ⁿ⁾(a) = (−1)ⁿ⁻¹ Heₙ₋₁(a) φ(a) for n ≥ 1 (Heₙ the
 * probabilists' Hermite polynomials, He₀ = 1, He₁ = a, Heₙ₊₁ = a·Heₙ − n·Heₙ₋₁), and Φ(a) comes from
 * `normalCdf` (stdlib's erfc). With |u − a| ≤ 1/64, ten terms reach the precision of Φ itself: the
 * test measures at most ~2 ulp beyond what the conditioning of Φ at u allows, against `normalCdf`
 * and `normalPdf`; φ is the same series differentiated term by term. Outside (−8, 8), and for NaN,
 * the functions fall back on `normalCdf` and `normalPdf`.
 *
 * Why hand-written: stdlib's erfc and the exp of φ cost ~40–60 ns per entry, a quarter of a
 * GptGradient step (262 144 entries per 8-window chunk); the unrolled series takes ~17 ns and gives
 * the slope as a by-product, so the backward pass needs no exp at all (`npm run bench` measures it).
 */

const RANGE = 8;
const PER_UNIT = 32; // centres per unit of u: |u − a| ≤ 1/64
const DEGREE = 10; // the unrolled Horner loops in geluInto are written for this degree
const WIDTH = DEGREE + 1;

/** c[k·WIDTH + n] = Φ⁽ⁿ⁾(a_k)/n!, d[k·WIDTH + n] = (n + 1)·c[k·WIDTH + n + 1]: the series of Φ and φ about a_k. */
const { c: CDF, d: PDF } = buildTable();

function buildTable(): { c: Float64Array; d: Float64Array } {
  const centres = 2 * RANGE * PER_UNIT + 1;
  const c = new Float64Array(centres * WIDTH),
    d = new Float64Array(centres * WIDTH);
  for (let k = 0; k < centres; k++) {
    const a = k / PER_UNIT - RANGE,
      phi = normalPdf(a),
      o = k * WIDTH;
    c[o] = normalCdf(a);
    let hePrevious = 0,
      he = 1,
      factorial = 1; // He₋₁ (unused), He₀
    for (let n = 1; n <= DEGREE; n++) {
      factorial *= n;
      const cn = ((n - 1) % 2 === 0 ? phi : -phi) * (he / factorial); // (−1)ⁿ⁻¹ Heₙ₋₁(a) φ(a) / n!
      c[o + n] = cn;
      d[o + n - 1] = n * cn;
      const next = a * he - (n - 1) * hePrevious;
      hePrevious = he;
      he = next;
    }
  }
  return { c, d };
}

/**
 * The series table in the layout of the WebAssembly kernel (wasm/gelu.ts, run by
 * `KernelArena.gelu`): per centre k = 0 … 512, the 11 coefficients of Φ then the 10 of φ
 * (21 numbers). The kernel hard-codes the range (−8, 8), 32 centres per unit and degree 10 of
 * this file; test/nn/gelu.test.ts checks that it agrees with geluInto bit for bit.
 */
export function geluKernelTable(): Float64Array {
  const centres = 2 * RANGE * PER_UNIT + 1,
    out = new Float64Array(centres * (2 * DEGREE + 1));
  for (let k = 0; k < centres; k++) {
    const o = k * (2 * DEGREE + 1);
    out.set(CDF.subarray(k * WIDTH, k * WIDTH + WIDTH), o);
    out.set(PDF.subarray(k * WIDTH, k * WIDTH + DEGREE), o + WIDTH);
  }
  return out;
}

/** Index of the centre nearest to u ∈ (−RANGE, RANGE). */
function centre(u: number): number {
  return ((u + RANGE) * PER_UNIT + 0.5) | 0;
}

/** Φ(u) from the series (equal to `normalCdf` within ~2 ulp beyond its conditioning); `normalCdf` outside (−8, 8). */
export function normalCdfSeries(u: number): number {
  if (!(u > -RANGE && u < RANGE)) return normalCdf(u);
  const k = centre(u),
    t = u - (k / PER_UNIT - RANGE),
    o = k * WIDTH;
  let p = CDF[o + DEGREE];
  for (let n = DEGREE - 1; n >= 0; n--) p = p * t + CDF[o + n];
  return p;
}

/** φ(u) from the differentiated series (the derivative of `normalCdfSeries`'s polynomial); `normalPdf` outside (−8, 8). */
export function normalPdfSeries(u: number): number {
  if (!(u > -RANGE && u < RANGE)) return normalPdf(u);
  const k = centre(u),
    t = u - (k / PER_UNIT - RANGE),
    o = k * WIDTH;
  let q = PDF[o + DEGREE - 1];
  for (let n = DEGREE - 2; n >= 0; n--) q = q * t + PDF[o + n];
  return q;
}

/**
 * value[i] = u[i]·Φ(u[i]) and slope[i] = Φ(u[i]) + u[i]·φ(u[i]) for i < n, with Φ and φ the
 * same numbers as `normalCdfSeries` and `normalPdfSeries` (bit for bit). The arrays may not alias.
 * On Float32Array views (GptGradient in float32) the series runs in float64 and rounds on store.
 */
export function geluInto(u: FloatArray, value: FloatArray, slope: FloatArray, n: number): void {
  const C = CDF,
    D = PDF;
  for (let i = 0; i < n; i++) {
    const x = u[i];
    if (x > -RANGE && x < RANGE) {
      const k = centre(x),
        t = x - (k / PER_UNIT - RANGE),
        o = k * WIDTH;
      // Horner unrolled: a loop's exit branch per entry costs twice the time (measured)
      const p =
        C[o] +
        t *
          (C[o + 1] +
            t *
              (C[o + 2] +
                t *
                  (C[o + 3] +
                    t *
                      (C[o + 4] +
                        t *
                          (C[o + 5] +
                            t * (C[o + 6] + t * (C[o + 7] + t * (C[o + 8] + t * (C[o + 9] + t * C[o + 10])))))))));
      const q =
        D[o] +
        t *
          (D[o + 1] +
            t *
              (D[o + 2] +
                t *
                  (D[o + 3] +
                    t *
                      (D[o + 4] + t * (D[o + 5] + t * (D[o + 6] + t * (D[o + 7] + t * (D[o + 8] + t * D[o + 9]))))))));
      value[i] = x * p;
      slope[i] = p + x * q;
    } else {
      const p = normalCdf(x); // what the series functions return out here
      value[i] = x * p;
      slope[i] = p + x * normalPdf(x);
    }
  }
}
