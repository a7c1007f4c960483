import type { Stream } from "../random/stream";
import { requireInteger } from "../util/validate";
import type { TangentSystem } from "./tangent-system";
import { multiplyColumns } from "./qr";

/**
 * A product of i.i.d. random d×d matrices M_n ⋯ M_1 as a TangentSystem (dt = 1): each step draws
 * the next factor with `sample(stream, m)` (row-major into m) and multiplies the tangent vectors
 * by it. By Furstenberg–Kesten, (1/n) log‖M_n ⋯ M_1‖ → λ₁ almost surely.
 */
export function matrixProduct(dim: number, sample: (stream: Stream, m: Float64Array) => void): TangentSystem {
  requireInteger("dim", dim, 1);
  const m = new Float64Array(dim * dim);
  let y = new Float64Array(0);
  return {
    dim,
    dt: 1,
    start(_stream: Stream, _basis: Float64Array, k: number) {
      y = new Float64Array(dim * k);
    },
    advance(q: Float64Array, k: number, stream: Stream) {
      sample(stream, m);
      multiplyColumns(m, q, y, dim, k);
      q.set(y);
    },
  };
}
