import type { NotebookRun } from "./execute";
import { marginText, kindText } from "../../lib/verdict/report";

/** One row of the project table. */
export interface Row {
  notebook: string;
  claim: string;
  kind: string;
  prediction: string;
  measurement: string;
  uncertainty: string;
  margin: string;
  result: string;
  time: string;
}

export function rows(runs: NotebookRun[]): Row[] {
  const out: Row[] = [];
  for (const r of runs) {
    const time = `${r.seconds.toFixed(1)} s`;
    for (const v of r.verdicts) {
      out.push({
        notebook: r.name,
        claim: v.id,
        kind: kindText(v),
        prediction: v.prediction,
        measurement: v.measurement,
        uncertainty: v.uncertainty,
        margin: marginText(v),
        result: v.pass ? "PASS" : "FAIL",
        time,
      });
    }
    if (r.failure) {
      out.push({
        notebook: r.name,
        claim: `cell ${r.failure.cellIndex}`,
        kind: "",
        prediction: "runs",
        measurement: r.failure.kind,
        uncertainty: "",
        margin: "",
        result: "FAIL",
        time,
      });
    } else if (r.verdicts.length === 0) {
      out.push({
        notebook: r.name,
        claim: "(no verdicts)",
        kind: "",
        prediction: "a verdict table",
        measurement: "none shown",
        uncertainty: "",
        margin: "",
        result: "FAIL",
        time,
      });
    }
  }
  return out;
}

const HEAD: Row = {
  notebook: "notebook",
  claim: "claim",
  kind: "kind",
  prediction: "prediction",
  measurement: "measurement",
  uncertainty: "uncertainty",
  margin: "margin",
  result: "pass",
  time: "time",
};
// The measurement and the margin are never cut: they are what a reader checks.
const MAX: Record<keyof Row, number> = {
  notebook: 28,
  claim: 26,
  kind: 14,
  prediction: 30,
  measurement: Infinity,
  uncertainty: 46,
  margin: Infinity,
  result: 4,
  time: 8,
};

/** One line per failing row: notebook, id, prediction and measurement in full. */
export function failureLines(rs: Row[]): string[] {
  return rs
    .filter((r) => r.result === "FAIL")
    .map(
      (r) =>
        `  ${r.notebook} ${r.claim}: predicted ${r.prediction}, measured ${r.measurement}${r.uncertainty ? ` (${r.uncertainty})` : ""}`,
    );
}

/** A plain-text table, columns other than measurement and margin cut to a readable width. */
export function formatTable(rs: Row[]): string {
  const keys = Object.keys(HEAD) as (keyof Row)[];
  const cut = (s: string, k: keyof Row) => (s.length > MAX[k] ? s.slice(0, MAX[k] - 1) + "…" : s);
  const width = keys.map((k) => Math.max(...[HEAD, ...rs].map((r) => cut(r[k], k).length)));
  const line = (r: Row) =>
    keys
      .map((k, i) => cut(r[k], k).padEnd(width[i]))
      .join("  ")
      .trimEnd();
  return [line(HEAD), width.map((w) => "-".repeat(w)).join("  "), ...rs.map(line)].join("\n");
}
