// `npm run reproduce -- --falsify`: can every claim fail?
//
// Each notebook declares, in its parameters cell, the settings in which its claims are false:
//   const falsifySettings = ["independent-noise"];   // the mechanism switched off
//   const falsify = "";                               // "" = the sources' setting
// The run executes each notebook once as usual (the baseline, usually from the cache) and once per
// falsified setting, with `falsify` injected like any --param. Every `claim` and `derived` verdict of
// the baseline must then FAIL in at least one falsified run of its notebook; a verdict that passes in
// all of them, or that a falsified run does not produce, "cannot fail". Checks (identities of the
// code) are exempt by kind. A claim with no meaningful falsified setting is listed, with the reason,
// in CONTRIBUTING.md's table "Verdicts with no falsified setting", which this file reads.
import * as fs from "fs";
import * as path from "path";
import type { NotebookRun } from "./execute";
import { readNotebook, UsageError } from "./notebook";
import { notebookParameters } from "./parameters";
import type { RunOptions } from "./options";
import { runInSlots } from "./slots";
import { longestFirst } from "./schedule";
import { runContext, runNotebook } from "./run-notebook";
import { PROJECT_ROOT } from "../kernel/spec";
import type { Verdict } from "../../lib/verdict/verdict";

/** The parameter that names a notebook's falsified settings, and the one a falsified run sets. */
export const SETTINGS_PARAMETER = "falsifySettings";
export const FALSIFY_PARAMETER = "falsify";

/** The heading of CONTRIBUTING.md's table of exempt verdicts. */
export const EXEMPTIONS_HEADING = "Verdicts with no falsified setting";

/** The falsified settings a notebook declares ([] when it declares none). Throws UsageError when they are malformed. */
export function falsifiedSettings(file: string): string[] {
  const name = path.basename(file);
  const specs = notebookParameters(readNotebook(file), name);
  const settings = specs.find((s) => s.name === SETTINGS_PARAMETER);
  if (!settings) return [];
  if (settings.type !== "string[]")
    throw new UsageError(`${name}: ${SETTINGS_PARAMETER} must be a list of setting names, e.g. ["independent-noise"]`);
  const falsify = specs.find((s) => s.name === FALSIFY_PARAMETER);
  if (!falsify || falsify.type !== "string" || falsify.default !== "") {
    throw new UsageError(
      `${name} declares ${SETTINGS_PARAMETER} but no \`const ${FALSIFY_PARAMETER} = "";\` in its parameters cell`,
    );
  }
  const list = settings.default as string[];
  if (list.some((s) => !/^[a-z0-9][a-z0-9-]*$/.test(s)))
    throw new UsageError(`${name}: falsified settings are lower-case names with hyphens, got ${JSON.stringify(list)}`);
  return list;
}

/** One exempt verdict: a claim with no meaningful falsified setting, and why. */
export interface Exemption {
  notebook: string;
  id: string;
  reason: string;
}

/**
 * The exemptions table of CONTRIBUTING.md: the rows `| notebook | verdict id | reason |` under the
 * heading EXEMPTIONS_HEADING (the notebook by its number or name, the id in backticks or not).
 */
export function readExemptions(markdown: string): Exemption[] {
  const lines = markdown.split("\n");
  const start = lines.findIndex((l) => /^#+\s/.test(l) && l.includes(EXEMPTIONS_HEADING));
  if (start < 0) return [];
  const out: Exemption[] = [];
  for (let i = start + 1; i < lines.length && !/^#+\s/.test(lines[i]); i++) {
    const cells = lines[i].split("|").map((c) => c.trim());
    if (cells.length < 5 || cells[1] === "" || /^-+$/.test(cells[1]) || cells[1] === "notebook") continue;
    out.push({ notebook: cells[1], id: cells[2].replace(/`/g, ""), reason: cells[3] });
  }
  return out;
}

/** Does an exemption's notebook field ("13" or "13-rqf-random-attractor") name this notebook? */
function names(exemption: Exemption, notebook: string): boolean {
  return notebook === exemption.notebook || notebook.startsWith(`${exemption.notebook}-`);
}

/** A falsified run of one notebook: its setting and what it produced. */
export interface FalsifiedRun {
  setting: string;
  verdicts: Verdict[];
  /** A failing cell stops the run: its verdicts after that cell are missing. */
  failure: string | null;
}

export type FalsifyStatus = "fails when falsified" | "CANNOT FAIL" | "exempt" | "check";

/** One row of the falsification table. */
export interface FalsifyRow {
  notebook: string;
  id: string;
  kind: string;
  /** The verdict in the sources' setting. */
  baseline: boolean;
  /** Per falsified setting: "FAIL", "pass", or "missing" (the run did not produce the verdict). */
  falsified: Record<string, "FAIL" | "pass" | "missing">;
  status: FalsifyStatus;
  reason?: string;
}

/**
 * Judge one notebook: each baseline verdict against the falsified runs. A claim or derived verdict
 * (or one whose kind is unset) "fails when falsified" when at least one falsified run produced it
 * failing; it is "exempt" when CONTRIBUTING.md lists it, and "CANNOT FAIL" otherwise. Checks are
 * listed but not required to fail.
 */
export function judge(
  notebook: string,
  baseline: Verdict[],
  runs: FalsifiedRun[],
  exemptions: Exemption[],
): FalsifyRow[] {
  return baseline.map((v) => {
    const falsified: FalsifyRow["falsified"] = {};
    for (const r of runs) {
      const w = r.verdicts.find((x) => x.id === v.id);
      falsified[r.setting] = w === undefined ? "missing" : w.pass ? "pass" : "FAIL";
    }
    const exempt = exemptions.find((e) => names(e, notebook) && e.id === v.id);
    const failed = Object.values(falsified).includes("FAIL");
    const status: FalsifyStatus =
      v.kind === "check" ? "check" : failed ? "fails when falsified" : exempt ? "exempt" : "CANNOT FAIL";
    return {
      notebook,
      id: v.id,
      kind: v.kind ?? "—",
      baseline: v.pass,
      falsified,
      status,
      ...(exempt ? { reason: exempt.reason } : {}),
    };
  });
}

/** Exemptions that name a verdict the run did not see, or one that does fail when falsified. */
export function staleExemptions(rows: FalsifyRow[], exemptions: Exemption[], notebooks: string[]): string[] {
  const out: string[] = [];
  for (const e of exemptions) {
    if (!notebooks.some((n) => names(e, n))) continue; // that notebook is not in this run
    const row = rows.find((r) => names(e, r.notebook) && r.id === e.id);
    if (!row) out.push(`${e.notebook} ${e.id}: listed as exempt, but the notebook has no such verdict`);
    else if (row.status === "fails when falsified")
      out.push(`${e.notebook} ${e.id}: listed as exempt, but it does fail when falsified; remove it from the list`);
    else if (row.status === "check")
      out.push(`${e.notebook} ${e.id}: listed as exempt, but it is a check (checks need no falsified setting)`);
  }
  return out;
}

/** The falsification table as text. */
export function falsifyTable(rows: FalsifyRow[]): string {
  const settings = (r: FalsifyRow) =>
    Object.entries(r.falsified)
      .map(([s, x]) => `${s}: ${x}`)
      .join(", ") || "(no falsified setting)";
  const head = ["notebook", "verdict", "kind", "as run", "falsified", "status"];
  const body = rows.map((r) => [
    r.notebook,
    r.id,
    r.kind,
    r.baseline ? "PASS" : "FAIL",
    settings(r),
    r.status + (r.reason ? ` (${r.reason})` : ""),
  ]);
  const width = head.map((h, i) => Math.min(i === 4 ? 60 : 40, Math.max(h.length, ...body.map((b) => b[i].length))));
  const cut = (s: string, w: number, last: boolean) =>
    last ? s : s.length > w ? s.slice(0, w - 1) + "…" : s.padEnd(w);
  const line = (cells: string[]) => cells.map((c, i) => cut(c, width[i], i === cells.length - 1)).join("  ");
  return [line(head), width.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

/**
 * The falsification run: the baseline and every falsified setting of every selected notebook,
 * `o.jobs` runs at a time, into OUT/falsify (executed notebooks as NAME--SETTING.ipynb and
 * report.json). Returns the exit status: 0 when every claim and derived verdict fails somewhere
 * (or is exempt), every run finished, the baseline passed and no exemption is stale; 1 otherwise.
 */
export async function falsifyRun(o: RunOptions): Promise<number> {
  const t0 = Date.now();
  const dir = path.join(o.outDir, "falsify");
  const contributing = path.join(PROJECT_ROOT, "CONTRIBUTING.md");
  const exemptions = fs.existsSync(contributing) ? readExemptions(fs.readFileSync(contributing, "utf8")) : [];
  const plan = o.notebooks.map((file) => ({
    file,
    name: path.basename(file, ".ipynb"),
    settings: falsifiedSettings(file),
  }));
  const jobs = plan.flatMap((p) => [{ ...p, setting: "" }, ...p.settings.map((setting) => ({ ...p, setting }))]);
  process.stderr.write(
    `falsify: ${plan.length} notebook(s), ${jobs.length - plan.length} falsified run(s) beside the baselines, ${o.mode} sizes, seed ${o.seed}, ${Math.min(o.jobs, jobs.length)} at a time; output in ${dir}\n`,
  );
  const ctx = runContext(o);
  // The longest notebooks' runs start first (see longestFirst); the table keeps the plan's order.
  const order = longestFirst(jobs.map((j) => j.file));
  const runs: NotebookRun[] = await runInSlots(
    jobs,
    o.jobs,
    (j, i) => {
      const label = j.setting ? `${j.name}--${j.setting}` : j.name;
      return runNotebook(
        ctx,
        j.file,
        j.setting ? { [FALSIFY_PARAMETER]: j.setting } : {},
        label,
        i,
        jobs.length,
        path.join(dir, "notebooks"),
      );
    },
    order,
  );
  await ctx.close();
  const rows: FalsifyRow[] = [];
  const problems: string[] = [];
  for (const p of plan) {
    const mine = jobs.map((j, i) => ({ j, r: runs[i] })).filter((x) => x.j.file === p.file);
    const base = mine.find((x) => x.j.setting === "")!.r;
    if (base.failure)
      problems.push(`${p.name}: the baseline run stopped at cell ${base.failure.cellIndex} (${base.failure.kind})`);
    for (const v of base.verdicts)
      if (!v.pass)
        problems.push(`${p.name} ${v.id}: fails in the sources' setting (run the notebook normally to see why)`);
    const falsified = mine
      .filter((x) => x.j.setting !== "")
      .map((x) => ({
        setting: x.j.setting,
        verdicts: x.r.verdicts,
        failure: x.r.failure ? `cell ${x.r.failure.cellIndex} ${x.r.failure.kind}` : null,
      }));
    for (const f of falsified)
      if (f.failure)
        problems.push(
          `${p.name} (falsify=${f.setting}): stopped at ${f.failure}; a falsified run must reach its verdict table`,
        );
    rows.push(...judge(p.name, base.verdicts, falsified, exemptions));
  }
  const stale = staleExemptions(
    rows,
    exemptions,
    plan.map((p) => p.name),
  );
  const cannot = rows.filter((r) => r.status === "CANNOT FAIL");
  const report = {
    mode: o.mode,
    seed: o.seed,
    seconds: (Date.now() - t0) / 1000,
    pass: cannot.length === 0 && problems.length === 0 && stale.length === 0,
    rows,
    problems,
    staleExemptions: stale,
  };
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "report.json"), JSON.stringify(report, null, 2) + "\n");
  console.log("\n" + falsifyTable(rows));
  const count = (s: FalsifyStatus) => rows.filter((r) => r.status === s).length;
  console.log(
    `\nfalsify: ${count("fails when falsified")} claim/derived verdict(s) fail when falsified, ${count("exempt")} exempt (CONTRIBUTING.md), ${count("check")} check(s) not required to fail, ${cannot.length} CANNOT FAIL; ${report.seconds.toFixed(1)} s; report ${path.join(dir, "report.json")}`,
  );
  for (const r of cannot)
    console.log(
      `  cannot fail: ${r.notebook} ${r.id} (${
        Object.entries(r.falsified)
          .map(([s, x]) => `${s}: ${x}`)
          .join(", ") || "the notebook declares no falsified setting"
      })`,
    );
  for (const s of [...problems, ...stale]) console.log(`  ${s}`);
  return report.pass ? 0 : 1;
}
