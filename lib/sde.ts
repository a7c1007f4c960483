export type { SdeSystem } from "./sde/system";
export { SdeIntegrator } from "./sde/integrate";
export type { Scheme } from "./sde/integrate";
export { schemeFor } from "./sde/integrate";
export type { DifferentiableSde } from "./sde/system";
export { requireDifferentiable } from "./sde/system";
export { reflectedEnsemble, rbmModeEnsemble, rbmModeEnsembleTask } from "./sde/reflected-ensemble";
export type { ReflectedEnsembleOptions, RbmModeEnsembleInput } from "./sde/reflected-ensemble";
