/**
 * Tables for the 256-layer ziggurat of the standard normal density (Marsaglia & Tsang, 2000,
 * "The Ziggurat Method for Generating Random Variables", J. Stat. Softw. 5(8)).
 *
 * The unnormalised density f(x) = exp(-x²/2) on x ≥ 0 is covered by 256 layers of equal area V:
 * layer 0 is the base strip [0, X[0]] × [0, f(R)] (its part beyond R is the tail), layer i ≥ 1 is
 * the rectangle [0, X[i]] × [f(X[i]), f(X[i+1])]. A point uniform in layer i whose abscissa is
 * below X[i+1] lies under the curve for sure: that is the fast path, taken ~98.8% of the time.
 *
 * The tables are computed here rather than pasted so the construction can be read and tested.
 */
export const ZIGGURAT_LAYERS = 256;
/** Right edge of the tail: the R for which the 256 layers close up at x = 0. */
export const ZIGGURAT_R = 3.6541528853610088;
/** Common area of the layers (of exp(-x²/2), tail included in layer 0). */
export const ZIGGURAT_V = 0.00492867323399;

function buildTables(): { x: Float64Array; f: Float64Array } {
  const n = ZIGGURAT_LAYERS;
  const x = new Float64Array(n + 1);
  const f = new Float64Array(n + 1);
  const fr = Math.exp(-0.5 * ZIGGURAT_R * ZIGGURAT_R);
  x[0] = ZIGGURAT_V / fr;
  x[1] = ZIGGURAT_R;
  for (let i = 1; i < n - 1; i++) {
    x[i + 1] = Math.sqrt(-2 * Math.log(ZIGGURAT_V / x[i] + Math.exp(-0.5 * x[i] * x[i])));
  }
  x[n] = 0;
  for (let i = 0; i <= n; i++) f[i] = Math.exp(-0.5 * x[i] * x[i]);
  // Layer 0 is the base strip of height f(R): its "lower" density value is 0.
  f[0] = 0;
  return { x, f };
}

const tables = buildTables();
/** X[i]: width of layer i (X[0] is the base strip's width, X[256] = 0). */
export const ZIG_X: Float64Array = tables.x;
/** F[i] = exp(-X[i]²/2), the lower edge of layer i (F[0] = 0 for the base strip). */
export const ZIG_F: Float64Array = tables.f;
