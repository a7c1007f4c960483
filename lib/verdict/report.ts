import { escapeHtml } from "../format/number";
import type { Verdict, VerdictKind } from "./verdict";
import { showBundle } from "../plot/display";

/**
 * The verdicts of one notebook. `show()` displays them as a table and, in the same output, as
 * machine-readable JSON under VERDICT_MIME, which the runner collects from the executed notebook.
 */
export const VERDICT_MIME = "application/vnd.rds.verdicts+json";

/**
 * A notebook's verdicts as the runner reads them from the report's output (the notebook's name and its
 * verdicts).
 */
export interface VerdictBundle {
  notebook: string;
  verdicts: Verdict[];
}

/**
 * The verdict table that ends every notebook: `add` verdicts, then `show` renders the table and emits
 * them for the runner.
 */
export class VerdictReport {
  readonly notebook: string;
  readonly verdicts: Verdict[] = [];

  constructor(notebook: string) {
    this.notebook = notebook;
  }

  /** Add a verdict; ids must be unique within the report. Returns the verdict. */
  add(v: Verdict): Verdict {
    if (this.verdicts.some((w) => w.id === v.id)) {
      throw new RangeError(`verdict id "${v.id}" is already used in ${this.notebook}`);
    }
    this.verdicts.push(v);
    return v;
  }

  get allPass(): boolean {
    return this.verdicts.length > 0 && this.verdicts.every((v) => v.pass);
  }

  bundle(): VerdictBundle {
    return { notebook: this.notebook, verdicts: this.verdicts.slice() };
  }

  /** Display the verdict table in the notebook (and hand the JSON to the runner). */
  show(): void {
    showBundle(this.mimeBundle());
  }

  /** The MIME bundle: an HTML table, a text table and the JSON the runner reads. */
  mimeBundle(): Record<string, unknown> {
    return {
      [VERDICT_MIME]: this.bundle(),
      "text/html": verdictTableHtml(this.verdicts),
      "text/plain": verdictTableText(this.verdicts),
    };
  }
}

/** The verdict table as HTML (prediction, measurement, uncertainty, margin, pass/fail). */
export function verdictTableHtml(verdicts: Verdict[]): string {
  const rows = verdicts
    .map(
      (v) =>
        `<tr class="${v.pass ? "pass" : "fail"}"><td><code>${escapeHtml(v.id)}</code></td><td class="kind">${escapeHtml(kindText(v))}</td><td>${escapeHtml(v.claim)}</td>` +
        `<td>${escapeHtml(v.prediction)}</td><td>${escapeHtml(v.measurement)}</td><td>${escapeHtml(v.uncertainty)}</td>` +
        `<td>${escapeHtml(marginText(v))}</td>` +
        `<td style="font-weight:bold;color:${v.pass ? "#17803d" : "#b91c1c"}">${v.pass ? "PASS" : "FAIL"}</td></tr>`,
    )
    .join("\n");
  return (
    `<table class="rds-verdicts"><thead><tr><th>id</th><th>kind</th><th>claim</th><th>prediction</th><th>measurement</th>` +
    `<th>uncertainty</th><th>margin; wrong alternative</th><th>verdict</th></tr></thead>\n<tbody>\n${rows}\n</tbody></table>` +
    `\n<p class="rds-kinds">${escapeHtml(kindCountsText(verdicts))}</p>`
  );
}

/** The verdict table as plain text, for terminals and logs. */
export function verdictTableText(verdicts: Verdict[]): string {
  return verdicts
    .map(
      (v) =>
        `${v.pass ? "PASS" : "FAIL"}  [${kindText(v)}] ${v.id}: ${v.claim} | predicted ${v.prediction} | measured ${v.measurement} | ${v.uncertainty} | ${marginText(v)}`,
    )
    .join("\n");
}

/** The margin column: how far from the pass line, the alternative rejected and its power; "deterministic" for exact checks. */
export function marginText(v: Verdict): string {
  if (!v.stochastic && !v.margin) return "deterministic";
  const power = v.power !== undefined ? ` (power ${v.power >= 0.99995 ? "> 0.9999" : v.power.toPrecision(3)})` : "";
  return (v.margin ?? "") + power;
}

/** A verdict's kind for tables: "claim", "derived", "check", with "band" added for a band; "—" when unset. */
export function kindText(v: Verdict): string {
  return (v.kind ?? "—") + (v.band ? " (band)" : "");
}

/** How many verdicts of each kind, and how many of those pass; verdicts without a kind under "unset". */
export function kindCounts(verdicts: Verdict[]): Record<VerdictKind | "unset", { total: number; pass: number }> {
  const out = {
    claim: { total: 0, pass: 0 },
    derived: { total: 0, pass: 0 },
    check: { total: 0, pass: 0 },
    unset: { total: 0, pass: 0 },
  };
  for (const v of verdicts) {
    const c = out[v.kind ?? "unset"];
    c.total++;
    if (v.pass) c.pass++;
  }
  return out;
}

/**
 * One line: claims and derived results apart from checks, e.g. "12 claims and 3 derived results
 * (15 pass); 4 checks of the code (4 pass), which count toward no claim".
 */
export function kindCountsText(verdicts: Verdict[]): string {
  const c = kindCounts(verdicts);
  const parts = [
    `${c.claim.total} claim${c.claim.total === 1 ? "" : "s"} and ${c.derived.total} derived result${c.derived.total === 1 ? "" : "s"} (${c.claim.pass + c.derived.pass} pass)`,
  ];
  parts.push(
    `${c.check.total} check${c.check.total === 1 ? "" : "s"} of the code (${c.check.pass} pass), which count toward no claim`,
  );
  if (c.unset.total) parts.push(`${c.unset.total} without a kind`);
  return parts.join("; ");
}
