export { RqfFlow, field, requireOnSphere, uniformOnSphere, pairWithInnerProduct } from "./rqf/flow";
export { fillSymmetricIncrement, timeScale } from "./rqf/noise";
export type { RqfNormalisation } from "./rqf/noise";
export { rqfLyapunovSpectrum } from "./rqf/lyapunov";
export type { RqfLyapunovOptions, RqfLyapunovResult } from "./rqf/lyapunov";
