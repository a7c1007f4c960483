export { RqfFlow, field, requireOnSphere, uniformOnSphere, pairWithInnerProduct } from "./rqf/flow";
export { timeScale } from "./rqf/noise";
export type { RqfNormalisation } from "./rqf/noise";
export { rqfFlowWith, IndependentNoiseFlow, FrozenNoiseFlow, RQF_NOISES } from "./rqf/noise-variants";
export type { RqfNoise } from "./rqf/noise-variants";
export { rqfTangent } from "./rqf/lyapunov";
export type { RqfTangentOptions } from "./rqf/lyapunov";
export {
  splittingRun,
  innerProductPath,
  spectrumRun,
  distanceDecayRun,
  distancePath,
  pairDistance,
  onePointRun,
  onePointMoments,
  splittingTask,
  innerProductPathTask,
  spectrumTask,
  distanceDecayTask,
} from "./rqf/tasks";
export type { TwoPointInput } from "./rqf/tasks";
export {
  zDrift,
  zDiffusion,
  zSde,
  cubicZSde,
  splittingProbability,
  simulateZ,
  simulateCubicZ,
} from "./rqf/z-diffusion";
export type { SimulateZOptions } from "./rqf/z-diffusion";
export { measureZMoments } from "./rqf/two-point-moments";
export type { ZMoments } from "./rqf/two-point-moments";
export { rqfSde } from "./rqf/sde";
export { pairGaps, tokenClustering, antipodalClusters } from "./rqf/token-clustering";
export { quadraticFlow, quadraticFlowExact, symmetricEigenpairs, measureQuadraticFlow } from "./rqf/quadratic-flow";
export type { QuadraticFlowMeasurement } from "./rqf/quadratic-flow";
export type { TokenClustering, TokenClusteringOptions } from "./rqf/token-clustering";
export {
  twoPointEndRun,
  pullbackForwardRun,
  consecutiveImages,
  pullbackMeasures,
  pullbackSlopePrediction,
  twoPointEndTask,
  pullbackForwardTask,
} from "./rqf/attractor";
export type { PullbackForwardInput, PullbackMeasures } from "./rqf/attractor";
export {
  DrivenTokens,
  requireDrive,
  tokenStarts,
  largestPoleDistance,
  collapseStatistics,
  tokenCollapseRun,
  tokenSnapshotRun,
  quadraticForm,
  clusterSizeBins,
  tokenCollapseTask,
  tokenSnapshotTask,
} from "./rqf/collapse";
export type {
  TokenDrive,
  DrivenTokensOptions,
  CollapseOptions,
  Collapse,
  TokenCollapseInput,
  TokenSnapshotInput,
  ClusterSizeBin,
} from "./rqf/collapse";
export { rqfStepConstants, layerStepExponent } from "./rqf/one-step";
export type { RqfStepConstants } from "./rqf/one-step";
export { zExpectation, logPoleDistance, lampertiU, onePointCorrelationDensity } from "./rqf/z-law";
export type { ZExpectationOptions, ZStart } from "./rqf/z-law";
export {
  attentionField,
  tokenDynamicsRun,
  tokenDecayRun,
  tokenStepper,
  countClusters,
  attentionSplittingProbability,
  tokenDynamicsTask,
  tokenDecayTask,
} from "./rqf/attention";
export type { TokenDynamicsInput, TokenDynamics } from "./rqf/attention";
export { attentionSde } from "./rqf/attention-sde";
export type { AttentionSdeOptions } from "./rqf/attention-sde";
export {
  applyLayer,
  layerScratch,
  layerRun,
  layerDecayRun,
  layerPairs,
  layerCollapseRun,
  clusteredFraction,
  layerTask,
  layerDecayTask,
  layerPairsTask,
  layerCollapseTask,
} from "./rqf/layers";
export type { LayerVariant, LayerNoise, LayerScratch, LayerRunInput, LayerCollapseInput } from "./rqf/layers";
export { stoppingTimeRate } from "./rqf/decay-rate";
