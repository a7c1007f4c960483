export { sgdFlow } from "./optim/sgd";
export { descend } from "./optim/descent";
export type { DescentOptions, DescentResult, RunStatus } from "./optim/descent";
