export { leastSquares, randomLeastSquares, residual, loss } from "./models/least-squares";
export type { LeastSquares } from "./models/least-squares";
export { pitchfork, pitchforkScalar } from "./models/pitchfork";
export { loss as residualLoss, residuals, gradient, batchGradient, hessian, sampleHessian, residualJacobian, allSamples, requireBatchSize, requireStep } from "./models/residual-model";
export type { ResidualModel } from "./models/residual-model";
export { Factorization } from "./models/factorization";
export { TanhMlp } from "./models/mlp";
export { buildModel, modelSpec } from "./models/spec";
export type { ModelSpec } from "./models/spec";
