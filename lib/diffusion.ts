export { OneDimensionalDiffusion } from "./diffusion/feller";
export type { Diffusion, BoundaryType, BoundaryReport, FellerOptions } from "./diffusion/feller";
export {
  FokkerPlanckHamiltonian,
  rbmModePotential,
  gridConvergedRelaxation,
  gridConvergedExpectation,
} from "./diffusion/fokker-planck-hamiltonian";
export type { FokkerPlanckOptions, GridConvergedPrediction } from "./diffusion/fokker-planck-hamiltonian";
