export { projectOntoMinima, minimumFrame, requireMinimum, MINIMUM_TOLERANCE } from "./manifold/minima";
export type { MinimumFrame, Projection } from "./manifold/minima";
