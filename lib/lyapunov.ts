export { QrLyapunov } from "./lyapunov/qr";
export { isotropicLinearExponents, runIsotropicLinear } from "./lyapunov/isotropic-linear";
export type { Reading, IsotropicRunOptions, IsotropicRun } from "./lyapunov/isotropic-linear";
export { scalarHeunLyapunov } from "./lyapunov/scalar-heun";
export type { ScalarLyapunovOptions } from "./lyapunov/scalar-heun";
export { productLyapunov, randomMatrixProductLyapunov, lyapunovHalfWidth } from "./lyapunov/random-product";
export type { ProductLyapunovOptions, LyapunovEstimate } from "./lyapunov/random-product";
