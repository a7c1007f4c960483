export { nelderMead } from "./fit/nelder-mead";
export type { MinimizeResult } from "./fit/nelder-mead";
export { fitDensity, FitError } from "./fit/density-fit";
export type { DensityFit, DensityFitOptions } from "./fit/density-fit";
