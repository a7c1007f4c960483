export { agree, reject, atMost, exceeds, ksAccept, DEFAULT_CONFIDENCE } from "./verdict/verdict";
export type { Verdict, AgreeOptions, AtMostOptions, ExceedsOptions, KsVerdictOptions } from "./verdict/verdict";
export { VerdictReport, VERDICT_MIME, verdictTableHtml, verdictTableText } from "./verdict/report";
export type { VerdictBundle } from "./verdict/report";
