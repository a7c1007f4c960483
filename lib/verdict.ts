export { agree, reject, atMost, exceeds, ksAccept, ksReject, chiSquareAccept, equals, edgeAgree, noneObserved, DEFAULT_CONFIDENCE } from "./verdict/verdict";
export type { Verdict, AgreeOptions, AtMostOptions, ExceedsOptions, KsVerdictOptions, ChiSquareVerdictOptions } from "./verdict/verdict";
export { VerdictReport, VERDICT_MIME, verdictTableHtml, verdictTableText } from "./verdict/report";
export type { VerdictBundle } from "./verdict/report";
