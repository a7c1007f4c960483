/**
 * Pool adjacent bins of a histogram until every pooled bin expects at least `minExpected` counts
 * (default 5), the usual condition for Pearson's χ² to be close to its limit law. Bins are pooled
 * left to right; a short last bin joins its left neighbour. Returns the pooled bins with the range
 * of original indices [from, to] each covers.
 * Errors: RangeError for arrays of different lengths, empty input, or minExpected ≤ 0.
 */
export function poolBins(
  observed: ArrayLike<number>,
  expected: ArrayLike<number>,
  minExpected = 5,
): { observed: number; expected: number; from: number; to: number }[] {
  if (observed.length !== expected.length)
    throw new RangeError(
      `observed and expected must have the same length, got ${observed.length} and ${expected.length}`,
    );
  if (observed.length === 0) throw new RangeError("poolBins needs at least one bin");
  if (!(minExpected > 0)) throw new RangeError(`minExpected must be > 0, got ${minExpected}`);
  const bins: { observed: number; expected: number; from: number; to: number }[] = [];
  let lo = 0;
  while (lo < observed.length) {
    let hi = lo,
      o = observed[lo],
      e = expected[lo];
    while (e < minExpected && hi + 1 < observed.length) {
      hi++;
      o += observed[hi];
      e += expected[hi];
    }
    bins.push({ observed: o, expected: e, from: lo, to: hi });
    lo = hi + 1;
  }
  const last = bins[bins.length - 1];
  if (last.expected < minExpected && bins.length > 1) {
    const prev = bins[bins.length - 2];
    bins.splice(bins.length - 2, 2, {
      observed: prev.observed + last.observed,
      expected: prev.expected + last.expected,
      from: prev.from,
      to: last.to,
    });
  }
  return bins;
}
