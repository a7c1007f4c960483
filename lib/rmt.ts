// Random-matrix theory, grouped by family (one file per concept under lib/rmt/).

// Laws: pdf, cdf, sampling, moments.
export type { Law } from "./rmt/law";
export { MarchenkoPastur, momentEstimate } from "./rmt/marchenko-pastur";
export { Semicircle } from "./rmt/semicircle";
export { WignerSurmise, PoissonSpacing, surmiseWidth } from "./rmt/wigner-surmise";
export { TwoLevelDensity } from "./rmt/two-level-density";
export { johnstoneEdge, TRACY_WIDOM_1 } from "./rmt/largest-eigenvalue";

// Dynamics and ensembles: the Coulomb gas, Dyson Brownian motion.
export { CoulombGas, quadraticPotential } from "./rmt/coulomb-gas";
export type { Potential } from "./rmt/coulomb-gas";
export { twoChargeGas } from "./rmt/two-charge-gas";
export type { TwoChargeMoments } from "./rmt/two-charge-gas";
export { DysonMatrixOu, DysonEigenvalueSde, sgdAsDyson, eulerOuVariance, matrixOuPairSpacings } from "./rmt/dyson";
export { dysonMatrixSde } from "./rmt/dyson-matrix-sde";
export { dysonEigenvalueSde } from "./rmt/dyson-eigenvalue-sde";

// Statistics of spectra.
export { spacings, histogram, centralMoments, binderCumulant } from "./rmt/spectra";
export type { Histogram, BinderEstimate } from "./rmt/spectra";
export {
  degeneratePairs,
  pairSpacings,
  pairLevels,
  meanSpacing,
  pairSpacingsAndGap,
  levelsByTarget,
} from "./rmt/degenerate-pairs";
export { scaledSpacings, spacingCollapse, pairFits, pairBinder } from "./rmt/pair-statistics";
export type { SpacingCollapse, PairFit } from "./rmt/pair-statistics";

// Fits of laws to data.
export { fitMarchenkoPastur, fitSurmise, fitTwoLevel } from "./rmt/fits";
// X = WᵀW under additive noise on W: the Wishart process (exact samples and trace moments).
export { wishartTraceMoments, brownianGramSamples, dysonGramSamples, bruDrift } from "./rmt/wishart-process";
export type { GramSamples } from "./rmt/wishart-process";
export {
  fitBulk,
  bootstrapBulk,
  pairedBulkBootstrap,
  bulkChange,
  bulkGrowthRatio,
  ensembleSpacings,
  columnGramSpectrum,
  gramSpectrum,
} from "./rmt/weight-spectra";
export type { BulkFit, BootstrapEstimate, BulkSeries } from "./rmt/weight-spectra";
export { powerLawTail, weightWatcherAlpha, compareTail } from "./rmt/power-law-tail";
export type { PowerLawTail, TailComparison, TailComparisons } from "./rmt/power-law-tail";
