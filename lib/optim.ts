export { sgdFlow } from "./optim/sgd";
export { descend } from "./optim/descent";
export type { DescentOptions, DescentResult, RunStatus } from "./optim/descent";
export { descentEnsemble, descentRun, descentTask } from "./optim/ensemble";
export type { Init, RunInput, RunRecord, EnsembleOptions, EnsembleSummary } from "./optim/ensemble";
export { descentTangent, pullbackSample, DivergedError } from "./optim/descent-tangent";
export type { DescentTangentOptions } from "./optim/descent-tangent";
export { descentChaos, descentChaosTask, poolChaosRuns } from "./optim/descent-chaos";
export type { DescentChaosInput, DescentChaosResult, PooledChaos } from "./optim/descent-chaos";
