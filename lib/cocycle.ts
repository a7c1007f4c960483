export { wienerShift, pathIncrements } from "./cocycle/wiener-shift";
export { sdeCocycleCheck } from "./cocycle/sde-cocycle";
export type { CocycleCheck } from "./cocycle/sde-cocycle";
export { heunCocycleRoundingBound, UNIT_ROUNDOFF } from "./cocycle/rounding-bound";
