import type { Stream } from "../random/stream";
import { ksOneSample, type KsResult } from "../stats/ks";
import { ksScaleFamily, type ScaleFamilyOptions } from "../stats/ks-scaled";
import { meanWithError } from "../stats/summary";
import { WignerSurmise, PoissonSpacing } from "./wigner-surmise";
import { pairSpacings, pairLevels } from "./degenerate-pairs";
import { fitTwoLevel, fitSurmise } from "./fits";
import { binderCumulant } from "./spectra";
import type { Estimate } from "../stats/estimate";

// Statistics of the degenerate pairs of an ensemble of learned spectra (notebook 09): each run's
// spectrum is sorted, and a pair of the target occupies indices p, p + 1 (`degeneratePairs`).

/** Spacings divided by their own group's mean, s = S/⟨S⟩, pooled in group order. */
export function scaledSpacings(groups: ArrayLike<number>[]): number[] {
  return groups.flatMap((g) => {
    let m = 0;
    for (let i = 0; i < g.length; i++) m += g[i];
    m /= g.length;
    return Array.from(g, (v) => v / m);
  });
}

/** What `spacingCollapse` returns. */
export interface SpacingCollapse {
  groups: Float64Array[];
  /** KS of the scaled spacings against the unit-mean surmise, p from a sequential parametric bootstrap (`ksScaleFamily`). */
  surmise: KsResult & { replicates: number };
  /** KS of the same scaled spacings against Poisson e^{−s}, with the plain Kolmogorov p (conservative here). */
  poisson: KsResult;
}

/**
 * The data collapse of a pair's spacings onto the universal surmise (π/2)s e^{−πs²/4}: the spacings of
 * each (run ensemble, pair) group divided by the group's own mean and pooled. Because every group's
 * scale is estimated, the Kolmogorov distribution would be far too lenient: the p-value comes from a
 * sequential parametric bootstrap of the same procedure (draws from `stream`; `options` as
 * `ksScaleFamily`'s: by default it resolves p down to the run's per-verdict level). The same
 * scaled data against Poisson spacings (independent levels) use the plain Kolmogorov p-value, which
 * with estimated scales is conservative (too large), so a rejection by it stands.
 * `ensembles` are lists of sorted spectra; `pairs` the pair indices. Errors: as `ksScaleFamily`.
 */
export function spacingCollapse(
  ensembles: ArrayLike<number>[][],
  pairs: number[],
  stream: Stream,
  options: ScaleFamilyOptions = {},
): SpacingCollapse {
  const surmise = new WignerSurmise(1),
    poisson = new PoissonSpacing(1);
  const groups = ensembles.flatMap((spectra) => pairs.map((p) => pairSpacings(spectra, p)));
  return {
    groups,
    surmise: ksScaleFamily(
      groups,
      (x) => surmise.cdf(x),
      (s, out) => surmise.sample(s, out),
      stream,
      options,
    ),
    poisson: ksOneSample(scaledSpacings(groups), (x) => poisson.cdf(x)),
  };
}

/** What `pairFits` returns per pair. */
export interface PairFit {
  pair: number;
  /** Two-level density fitted to one level per run: centre κ̂, width σ̂, their errors, the fit's p-value. */
  kappa: number;
  kappaSe: number;
  sigma: number;
  sigmaSe: number;
  pValue: number;
  /** σ̂ of the surmise fitted to the same runs' spacings, with its error. */
  surmiseSigma: number;
  surmiseSe: number;
  /** The level kept from each run. */
  levels: number[];
}

/**
 * Per pair, the binned maximum-likelihood fits of a run ensemble: the two-level density to **one level
 * per run**, chosen at random (`pick.int(2)`, pair after pair, run after run: the two levels of a run
 * are not independent), and the surmise to the runs' spacings. Errors: a `FitError` from a fit.
 */
export function pairFits(spectra: ArrayLike<number>[], pairs: number[], pick: Stream): PairFit[] {
  return pairs.map((p) => {
    const levels = spectra.map((e) => e[p + pick.int(2)]);
    const two = fitTwoLevel(levels);
    const sur = fitSurmise(pairSpacings(spectra, p));
    return {
      pair: p,
      kappa: two.params[0],
      kappaSe: two.errors[0],
      sigma: two.params[1],
      sigmaSe: two.errors[1],
      pValue: two.pValue,
      surmiseSigma: sur.params[0],
      surmiseSe: sur.errors[0],
      levels,
    };
  });
}

/**
 * The Binder cumulant of the pairs' levels over several run ensembles: per (ensemble, pair), the
 * cumulant of both levels of every run, corrected for its O(1/n) bias by a jackknife over `groups`
 * groups of whole runs (`binderCumulant`); the groups (ensemble × pair) are independent and equally
 * large, so their values are averaged with equal weights and the error comes from their scatter (a
 * jackknife error of a fourth-moment ratio from a few dozen runs is itself too noisy to weight with).
 * Returns each value, and their mean as an `Estimate` (`value`, `se`) with its degrees of freedom.
 */
export function pairBinder(
  ensembles: ArrayLike<number>[][],
  pairs: number[],
  groups: number,
): Estimate & { each: number[]; dof: number } {
  const each = ensembles.flatMap((spectra) =>
    pairs.map((p) => binderCumulant(pairLevels(spectra, p), groups).corrected),
  );
  const m = meanWithError(each);
  return { each, value: m.value, se: m.se, dof: each.length - 1 };
}
