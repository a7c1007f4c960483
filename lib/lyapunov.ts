export type { TangentSystem } from "./lyapunov/tangent-system";
export { lyapunovSpectrum, lyapunovHalfWidth } from "./lyapunov/spectrum";
export type { LyapunovSpectrumOptions, LyapunovSpectrum } from "./lyapunov/spectrum";
export { kaplanYorkeDimension } from "./lyapunov/kaplan-yorke";
export { mapTangent, henonMap } from "./lyapunov/map-tangent";
export type { DeterministicMap } from "./lyapunov/map-tangent";
export { matrixProduct } from "./lyapunov/matrix-product";
export { sdeTangent } from "./lyapunov/sde-tangent";
export type { SdeTangentOptions } from "./lyapunov/sde-tangent";
export { QrLyapunov } from "./lyapunov/qr";
export { extrapolatedSpectrum } from "./lyapunov/extrapolated-spectrum";
export type { ExtrapolatedSpectrum } from "./lyapunov/extrapolated-spectrum";
export { correlationDimension } from "./lyapunov/correlation-dimension";
export type { CorrelationDimension } from "./lyapunov/correlation-dimension";
export {
  reviewSharpnessDimension,
  reviewKaplanYorke,
  reviewSharpnessDimensionResolved,
} from "./lyapunov/review-dimensions";
export type { ResolvedSharpnessDimension } from "./lyapunov/review-dimensions";
export { informationDimension } from "./lyapunov/information-dimension";
export type { InformationDimension } from "./lyapunov/information-dimension";
