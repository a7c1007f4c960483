export { Stream } from "./random/stream";
export type { StreamSeed } from "./random/stream";
export { brownianIncrements, brownianPath } from "./random/brownian";
export type { BrownianPath } from "./random/brownian";
export { gaussianMatrix, goe, wishart } from "./random/matrices";
export { drawSubset } from "./random/subset";
