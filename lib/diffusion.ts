export { OneDimensionalDiffusion } from "./diffusion/feller";
export type { Diffusion, BoundaryType, BoundaryReport, FellerOptions } from "./diffusion/feller";
