export type { SdeSystem } from "./sde/system";
export { SdeIntegrator } from "./sde/integrate";
export type { Scheme } from "./sde/integrate";
