export { RqfFlow, field, requireOnSphere, uniformOnSphere, pairWithInnerProduct } from "./rqf/flow";
export { fillSymmetricIncrement, timeScale } from "./rqf/noise";
export type { RqfNormalisation } from "./rqf/noise";
export { rqfLyapunovSpectrum } from "./rqf/lyapunov";
export type { RqfLyapunovOptions, RqfLyapunovResult } from "./rqf/lyapunov";
export { splittingRun, innerProductPath, spectrumRun } from "./rqf/tasks";
export type { TwoPointInput } from "./rqf/tasks";
