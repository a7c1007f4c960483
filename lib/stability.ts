export { NormalLinearization } from "./stability/linearization";
export { gdStability, normalCurvatures } from "./stability/gd";
export type { GdStability } from "./stability/gd";
export { sgdLyapunov, scalarSgdLyapunov, scalarProductExponent, drawBatch } from "./stability/sgd-lyapunov";
export type { SgdLyapunovOptions } from "./stability/sgd-lyapunov";
export { meanSquareStability } from "./stability/mean-square";
export type { MeanSquareStability } from "./stability/mean-square";
