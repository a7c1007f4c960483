export { wasmKernel, wasmHeap } from "./kernels/wasm";
export type { Kernel } from "./kernels/wasm";
export { matmulInto, matmulJs, transposeInto, addTransposeTimes, addTimesTranspose } from "./kernels/matmul";
export { KernelArena } from "./kernels/arena";
export { causalScoresJs, causalTimesJs, causalTransposeTimesJs } from "./kernels/attention";
export { columnSumsJs, scaledColumnSumsJs, addBiasedRowsJs, reluJs } from "./kernels/rows";
export { PRECISIONS, requirePrecision, floatArray, bytesPer, unitRoundoff } from "./kernels/precision";
export type { Precision, FloatArray } from "./kernels/precision";
export { layerNormForwardJs, layerNormBackwardJs } from "./kernels/layernorm";
