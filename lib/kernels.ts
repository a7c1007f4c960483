export { wasmKernel, wasmHeap } from "./kernels/wasm";
export type { Kernel } from "./kernels/wasm";
export { matmulInto, matmulJs, transposeInto, addTransposeTimes, addTimesTranspose } from "./kernels/matmul";
export { KernelArena } from "./kernels/arena";
export { causalScoresJs, causalTimesJs, causalTransposeTimesJs } from "./kernels/attention";
export { columnSumsJs, scaledColumnSumsJs, addBiasedRowsJs } from "./kernels/rows";
export { layerNormForwardJs, layerNormBackwardJs } from "./kernels/layernorm";
