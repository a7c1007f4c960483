export { OneDimensionalDiffusion, meanExitTime } from "./diffusion/feller";
export type { Diffusion, BoundaryType, BoundaryReport, FellerOptions } from "./diffusion/feller";
