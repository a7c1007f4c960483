export { Tape, Node } from "./nn/tape";
export { matmul, addRow, elementwise, tanh, sigmoid, softplus, exp, log, relu, gelu, mse, softmaxCrossEntropy, sum, mul, slice } from "./nn/ops";
export { mlpParameterCount, mlpForward, mlpLossDerivatives } from "./nn/mlp";
export type { MlpSpec, Activation, LossDerivatives } from "./nn/mlp";
export { lanczosTop, hutchinsonTrace } from "./nn/curvature";
export type { Hvp, LanczosResult, TraceEstimate } from "./nn/curvature";
