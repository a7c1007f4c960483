// Models, grouped by family (one file per model under lib/models/).

// Descent models: square losses through their residuals (exact gradients and Hessians).
export {
  loss as residualLoss,
  residuals,
  gradient,
  batchGradient,
  hessian,
  sampleHessian,
  batchHessian,
  residualJacobian,
  allSamples,
} from "./models/residual-model";
export type { ResidualModel } from "./models/residual-model";
export { leastSquares, randomLeastSquares, residual, loss } from "./models/least-squares";
export type { LeastSquares } from "./models/least-squares";
export { Factorization } from "./models/factorization";
export { TanhMlp } from "./models/mlp";
export { buildModel, modelSpec } from "./models/spec";
export type { ModelSpec } from "./models/spec";

// Random-matrix models: SGD on teacher–student regression and on the Gaussian RBM, with their ensemble tasks.
export {
  teacherStudentData,
  TeacherStudentSgd,
  teacherStudentPairWidth,
  pairSpacingCorrection,
  teacherStudentScaledSpacings,
} from "./models/teacher-student";
export type { TeacherStudentPairWidth, ScaledSpacingPoint } from "./models/teacher-student";
export type { TeacherStudentData, TeacherStudentOptions } from "./models/teacher-student";
export { GaussianRbm, latticeSpectrum, latticeKernel, latticeFieldData } from "./models/gaussian-rbm";
export type { RbmOptions } from "./models/gaussian-rbm";
export {
  latticeModes,
  alignedRbmWeights,
  rbmExactGradientSpectrum,
  rbmModeDiagonal,
  rbmModeMatrix,
} from "./models/gaussian-rbm";
export {
  teacherStudentRuns,
  teacherStudentGapRuns,
  rbmRuns,
  runBlocks,
  teacherStudentDataOf,
  rbmDataOf,
  teacherStudentTask,
  rbmTask,
} from "./models/tasks";
export type { TeacherStudentSpec, RbmSpec, RunBlock, RunSpectra, PairGaps } from "./models/tasks";
// The RBM as an ultraviolet regulator: the predicted learned spectrum and exact full-batch training.
export {
  rbmRegulatedSpectrum,
  ultravioletFixedPoint,
  covarianceModes,
  modeLevels,
  modeWeightFractions,
  classifyLearnedModes,
  ExactGradientRbm,
  trainRbmToFixedPoint,
  compareToRegulated,
  trainModeLevelsToFixedPoint,
} from "./models/rbm-regulator";
export type {
  RegulatedSpectrum,
  LearnedEigenspace,
  ExactRbmOptions,
  RbmFixedPointRun,
  RegulatedComparison,
  ModeLevelsRun,
} from "./models/rbm-regulator";

// PCD fluctuations to linear order: element variances of WWᵀ and the Gaussian matrix model of the learned spectrum.
export {
  pcdElementVariance,
  pcdElementVariances,
  pcdGaussianSpectra,
  pcdMeanShift,
  pcdMeanMatrix,
} from "./models/pcd-fluctuations";
export type { PcdFluctuationOptions } from "./models/pcd-fluctuations";
export { pcdSpacingComparison, pcdLevelMeans, meanShiftAmplitude } from "./models/pcd-comparison";
export type { PcdSpacingComparison, PcdLevelMeans } from "./models/pcd-comparison";

// SDE models (SdeSystem with Jacobians, and their closed-form Lyapunov spectra).
export { pitchfork } from "./models/pitchfork";
export { isotropicLinearSde, isotropicLinearExponents } from "./models/isotropic-linear-sde";
export type { Calculus } from "./models/isotropic-linear-sde";
