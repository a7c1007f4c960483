import { VERDICT_MIME, type VerdictBundle } from "../../lib/verdict/report";
import type { Verdict } from "../../lib/verdict/verdict";

/** The verdicts a notebook displayed: every output that carries the verdict MIME type. */
export function collectVerdicts(outputs: ReadonlyArray<{ output_type: string; [key: string]: unknown }>): Verdict[] {
  const verdicts: Verdict[] = [];
  for (const out of outputs) {
    const b = (out.data as Record<string, unknown> | undefined)?.[VERDICT_MIME] as VerdictBundle | undefined;
    if (b) verdicts.push(...b.verdicts);
  }
  return verdicts;
}
