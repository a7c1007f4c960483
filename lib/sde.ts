export type { SdeSystem } from "./sde/system";
export { SdeIntegrator } from "./sde/integrate";
export type { Scheme } from "./sde/integrate";
export { schemeFor } from "./sde/integrate";
export type { DifferentiableSde } from "./sde/system";
export { requireDifferentiable } from "./sde/system";
export {
  reflectedEnsemble,
  reflectedEnsembleSde,
  rbmModeEnsemble,
  rbmModeEnsembleTask,
} from "./sde/reflected-ensemble";
export type { ReflectedEnsembleOptions, RbmModeEnsembleInput } from "./sde/reflected-ensemble";
export type { ReflectedEnsembleResult } from "./sde/reflected-ensemble";
export { rbmModeMoments } from "./sde/mode-moments";
export type { RbmModeMomentsOptions, RbmModeMoments, ExtrapolatedEstimate } from "./sde/mode-moments";
