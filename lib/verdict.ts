export {
  agree,
  reject,
  atMost,
  exceeds,
  ksAccept,
  ksReject,
  chiSquareAccept,
  equals,
  edgeAgree,
  noneObserved,
  band,
  DEFAULT_CONFIDENCE,
  VERDICT_KINDS,
} from "./verdict/verdict";
export type {
  Verdict,
  VerdictKind,
  VerdictBase,
  BandOptions,
  AgreeOptions,
  AgreeSettings,
  Measurement,
  AtMostOptions,
  ExceedsOptions,
  KsVerdictOptions,
  ChiSquareVerdictOptions,
} from "./verdict/verdict";
export {
  VerdictReport,
  VERDICT_MIME,
  verdictTableHtml,
  verdictTableText,
  kindCounts,
  kindCountsText,
} from "./verdict/report";
export type { VerdictBundle } from "./verdict/report";
