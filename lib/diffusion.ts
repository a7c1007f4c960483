export { OneDimensionalDiffusion } from "./diffusion/feller";
export type { Diffusion, BoundaryType, BoundaryReport, FellerOptions } from "./diffusion/feller";
export { FokkerPlanckHamiltonian, rbmModePotential } from "./diffusion/fokker-planck-hamiltonian";
export type { FokkerPlanckOptions } from "./diffusion/fokker-planck-hamiltonian";
