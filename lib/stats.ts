export { erf, erfc, normalCdf, normalPdf, normalQuantile, zForConfidence } from "./stats/normal";
export { ksOneSample, ksTwoSample, kolmogorovSurvival } from "./stats/ks";
export type { KsResult } from "./stats/ks";
export { meanWithError } from "./stats/summary";
export { replicateMean } from "./stats/replicates";
export type { VectorEstimate } from "./stats/replicates";
export type { MeanEstimate } from "./stats/summary";
export { studentTCdf, studentTQuantile, regularizedBeta, logGamma } from "./stats/student-t";
