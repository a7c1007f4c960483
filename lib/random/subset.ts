import type { Stream } from "./stream";

/**
 * A uniformly random subset of size b of the values in perm, written to perm[0..b) by a partial
 * Fisher–Yates shuffle (in place, no allocation). Starting from any arrangement of perm, each draw
 * is uniform among the C(n, b) subsets, so repeated calls give i.i.d. minibatches.
 */
export function drawSubset(stream: Stream, perm: Int32Array, b: number): void {
  const n = perm.length;
  for (let t = 0; t < b; t++) {
    const j = t + stream.int(n - t);
    const v = perm[t];
    perm[t] = perm[j];
    perm[j] = v;
  }
}
