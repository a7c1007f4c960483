export { Tape, Node, NonFiniteError } from "./nn/tape";
export {
  matmul,
  add,
  addRow,
  elementwise,
  tanh,
  sigmoid,
  softplus,
  exp,
  log,
  relu,
  gelu,
  mse,
  softmaxCrossEntropy,
  sum,
  mul,
  slice,
} from "./nn/ops";
export { geluInto, geluKernelTable, normalCdfSeries, normalPdfSeries } from "./nn/gelu";
export { mlpParameterCount, mlpForward, mlpInit, mlpObjective, mlpPredict } from "./nn/mlp";
export type { MlpSpec, Activation, LossDerivatives, Objective, MlpData } from "./nn/mlp";
export { lanczosTop, lanczosTridiagonal, hutchinsonTrace } from "./nn/curvature";
export type { Hvp, LanczosResult, LanczosTridiagonal, TraceEstimate } from "./nn/curvature";
export { stochasticLanczosQuadrature, spectralMoment, spectralDensity } from "./nn/spectral-density";
export type { SpectralQuadrature } from "./nn/spectral-density";
export { gradientDescent, momentum, adam, adamW, epochBatches } from "./nn/optimizers";
export type { Optimizer } from "./nn/optimizers";
export { loadMnist } from "./nn/mnist";
export type { DigitSet, MnistOptions } from "./nn/mnist";
export {
  transpose,
  scale,
  rowMean,
  gatherRows,
  mulRow,
  mulCol,
  addCol,
  rowSoftmax,
  columnSlice,
  placeColumns,
  concatRows,
} from "./nn/shape-ops";
export { layerNorm, causalSelfAttention } from "./nn/layers";
export { causalAttention, composedCausalAttention } from "./nn/causal-attention";
export { trainFullBatch } from "./nn/train";
export type { TrainingRun, TrainOptions, SharpnessSample, Divergence } from "./nn/train";
export { edgePhase } from "./nn/edge-of-stability";
export type { EdgePhase } from "./nn/edge-of-stability";
export { digitsGdRun, digitsGdTask } from "./nn/tasks";
export type { DigitsGdInput, DigitsGdOutput } from "./nn/tasks";
export { quadraticObjective, matrixWithSpectrum } from "./nn/quadratic";
export {
  gptLayout,
  gptInit,
  gptInitVariance,
  gptForward,
  gptObjective,
  tokenWindows,
  gptVariant,
  attentionScale,
  GPT_VARIANTS,
} from "./nn/gpt";
export { GptGradient } from "./nn/gpt-gradient";
export type { GptSpec, GptVariant, ParameterBlock, TokenWindows } from "./nn/gpt";
export {
  DataParallelObjective,
  mlpShardConfig,
  mlpShardEvaluator,
  mlpShardTask,
  gptShardConfig,
  gptShardEvaluator,
  gptShardTask,
  gptGradientShardEvaluator,
  gptGradientShardTask,
} from "./nn/data-parallel";
export type { ShardInput, ShardSums, ShardConfig, MlpShardConfig, GptShardConfig } from "./nn/data-parallel";
export { trainMinibatch } from "./nn/train-minibatch";
export type { MinibatchRun } from "./nn/train-minibatch";
export { charCorpus, shuffledCorpus, loadMobyDick, requireDataPackage } from "./nn/corpus";
export type { CharCorpus } from "./nn/corpus";
export { gptTrainConfig, learningRate, decayMask } from "./nn/gpt-train-config";
export type { GptTrainConfig, GptSchedule, GptDecay } from "./nn/gpt-train-config";
export { weightSpectra } from "./nn/gpt-spectra";
export type { WeightSpectra } from "./nn/gpt-spectra";
export { saveCheckpoint, loadCheckpoint, gptCachePath } from "./nn/gpt-checkpoint";
export type { GptHistoryRow, GptCheckpoint, GptDivergence } from "./nn/gpt-checkpoint";
export { trainGpt, gptTrainRun, gptTrainTask, gptCorpus } from "./nn/gpt-train";
export type { GptProgress, GptTraining, GptTrainInput, GptCorpusSource } from "./nn/gpt-train";
export { sampleText } from "./nn/gpt-sample";
export { DataParallelAdamW, adamWShardWorker, adamWShardTask } from "./nn/data-parallel-adamw";
export type { AdamWShardConfig, AdamWShardInput, AdamWShardOutput, AdamWStep } from "./nn/data-parallel-adamw";
export { tangentSweep } from "./nn/tangent-sweep";
export type { TangentDerivatives } from "./nn/tangent-sweep";
export { mlpRows } from "./nn/mlp";
export {
  openShardEvaluator,
  shardEvaluatorHere,
  objectiveEvaluator,
  tangentShardWorker,
  tangentShardTask,
} from "./nn/tangent-shards";
export type { BatchEvaluator, TangentShardSource, TangentShardConfig } from "./nn/tangent-shards";
export { trainingTangent, openTrainingTangent, trainingTangentHere, DivergedError } from "./nn/training-tangent";
export type { TrainingTangent, TrainingTangentOptions } from "./nn/training-tangent";
export { trainingLyapunov, trainingLyapunovRun, trainingLyapunovTask } from "./nn/training-lyapunov";
export type { TrainingLyapunov, TrainingLyapunovOptions, TrainingLyapunovInput } from "./nn/training-lyapunov";
export { digitsChaosRun, digitsChaosTask } from "./nn/digits-chaos";
export type { DigitsChaosInput, DigitsChaosResult, SampleMean } from "./nn/digits-chaos";
export { modularAdditionData, modularAdditionObjective, modularAdditionAccuracy } from "./nn/modular-addition";
export type { ModularSet } from "./nn/modular-addition";
export { grokkingRun, grokkingTask } from "./nn/grokking";
export type { GrokkingInput, GrokkingResult } from "./nn/grokking";
export { gptAblationMatrices, gramEigenpairs, projectOut, randomDirections, ablateMatrix } from "./nn/gpt-ablation";
export type { AblationMatrix, AblationRule } from "./nn/gpt-ablation";
export { ablationStudy, randomRemovalDelta, removalVersusRandom } from "./nn/gpt-ablation-study";
export type { AblationCondition, AblationRow, BulkSplit } from "./nn/gpt-ablation-study";
