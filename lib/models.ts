export { leastSquares, randomLeastSquares, residual, loss } from "./models/least-squares";
export type { LeastSquares } from "./models/least-squares";
export { pitchfork, pitchforkScalar } from "./models/pitchfork";
