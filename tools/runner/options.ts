import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../kernel/spec";
import { readNotebook, UsageError } from "./notebook";
import {
  custom,
  flag,
  integer,
  lastOf,
  number,
  parseArgs,
  text,
  texts,
  type CliSpec,
  type OptionSpec,
  type ParsedArgs,
} from "../cli/args";
import { notebookParameters, parseOverrides, parametersText } from "./parameters";
import { defaultWorkers } from "../../lib/parallel/pool";
import type { ParameterValue } from "./parameters";

export interface RunOptions {
  mode: "quick" | "full";
  seed: number;
  /** Notebook files to run, in order. */
  notebooks: string[];
  outDir: string;
  cellTimeoutMs: number;
  site: boolean;
  /** Reuse executed notebooks whose inputs did not change (tools/runner/cache). */
  cache: boolean;
  /** Give every figure a static PNG (tools/figures/static), when Chromium is there. */
  figures: boolean;
  /** Overrides the kernel command (argv with "{connection_file}"). */
  kernelArgv?: string[];
  /** A seed sweep: run the suite once per seed (`jobs` seeds at a time) and count failures per verdict. */
  seeds?: number[];
  /** Notebooks run this many at a time, each in its own kernel (default `defaultJobs()`); with --seeds, seeds at a time (default: the cores). */
  jobs: number;
  /** Parameter overrides of the one notebook run (--param), typed from its defaults. */
  parameters: Record<string, ParameterValue>;
  /** The raw --param arguments, passed on to child runs. */
  paramArgs: string[];
  /**
   * The falsification run (--falsify, tools/runner/falsify): each notebook once as usual and once
   * per falsified setting its parameters cell declares; every claim and derived verdict must fail
   * in one of them. Quick sizes unless --full is given.
   */
  falsify: boolean;
}

/**
 * Seconds a cell may run before the runner stops its kernel (--cell-timeout). Notebook 12's
 * full-size training cell, the longest, took 196 s alone on the 2-core machine and 397 s beside
 * other notebooks (--jobs 2, 2026-12-02); the limit leaves room for a much slower machine and still
 * ends a hung cell.
 */
export const DEFAULT_CELL_TIMEOUT_SECONDS = 1800;

/**
 * Notebooks run at a time by default: two, or one on a one-core machine. The notebooks already
 * spread their heavy cells over every core (lib/parallel), so a second notebook fills the stretches
 * where one core idles (kernel start, compiling the lib/ imports, single-threaded cells); more would
 * only oversubscribe the cores and hold more kernels in memory.
 */
export function defaultJobs(): number {
  return Math.min(2, defaultWorkers());
}

export const USAGE = `usage: npm run reproduce -- [options] [notebook ...]

Runs every notebook in notebooks/ (or the ones named, by file name with or without .ipynb, or by
a unique prefix such as 01) in a fresh tslab kernel, writes the executed notebooks, report.json
and the rendered site to the output folder, and prints the verdict table.

options:
  --quick              CI sizes: same claims, wider error bars (default: --full)
  --full               publication sizes
  --seed N             seed of every random stream (default 1)
  --seeds LIST         a seed sweep, e.g. 1-20 or 1,4,7-9: the suite once per seed, --jobs seeds
                       at a time, each into OUT/seeds/seed-N; prints per verdict how many seeds
                       failed (writes OUT/seeds/summary.json)
  --jobs N             run N notebooks at a time, each in its own kernel (default 2, or 1 on a
                       one-core machine); with --seeds, N seeds at a time (default: the cores).
                       The numbers do not depend on it; the seconds column is each notebook's
                       wall time while it shares the cores
  --out DIR            output folder (default out/)
  --notebooks DIR      folder to take notebooks from (default notebooks/)
  --cell-timeout S     seconds a cell may run (default ${DEFAULT_CELL_TIMEOUT_SECONDS}: a full-size training cell
                       takes about 7 min on 2 cores while another notebook shares them)
  --no-site            skip rendering the site
  --no-cache           execute every notebook even if an unchanged run is cached in OUT/cache
                       (the key covers the notebook, the lib/ files it loads, the lockfile,
                       the seed and the mode)
  --no-figures         skip the static PNG of each figure (made in headless Chromium when
                       it is installed, for viewers that do not run scripts)
  --kernel-cmd "CMD"   start the kernel with CMD instead of tools/kernel/launch.js;
                       CMD contains {connection_file}
  --falsify            the falsification run (quick sizes unless --full): each notebook as usual
                       and once per setting in its parameters cell's falsifySettings, where its
                       claims are false (the mechanism switched off); every claim and derived
                       verdict must FAIL in one of them. Prints the verdicts that still pass as
                       "cannot fail" and exits 1 if there are any (exemptions, with reasons, are
                       the table in CONTRIBUTING.md). Output in OUT/falsify
  --param NAME=VALUE   override a parameter of the one notebook named (repeatable), papermill
                       style: a cell declaring the value is injected after the cell tagged
                       "parameters"; the value is typed from the default (number, boolean,
                       string, or a comma-separated list); recorded in the executed notebook's
                       metadata and in report.json. An unknown NAME exits 2 and lists the known ones
  --list-params        print the named notebooks' parameters with types and defaults, and exit
  -h, --help           this text

exit status: 0 all verdicts pass; 1 a cell failed, timed out, the kernel died or a verdict
failed; 2 bad input (unknown option or notebook, unreadable notebook, kernel did not start).`;

/** The command line of `npm run reproduce` (tools/cli/args: the rules every CLI shares). */
export const REPRODUCE_CLI = {
  name: "reproduce",
  usage: USAGE,
  positionals: { name: "notebooks", max: Infinity },
  options: {
    quick: flag(),
    full: flag(),
    falsify: flag(),
    "no-site": flag(),
    "no-figures": flag(),
    "no-cache": flag(),
    seed: integer("N", { min: 0 }),
    seeds: custom("LIST", (t) => parseSeedList(t)),
    jobs: integer("N"),
    param: texts("NAME=VALUE"),
    "list-params": flag(),
    out: text("DIR"),
    notebooks: text("DIR"),
    "cell-timeout": number("S", { positive: true, what: "a number of seconds > 0" }),
    "kernel-cmd": text("CMD"),
  },
} satisfies CliSpec<Record<string, OptionSpec<unknown>>>;

/** The run `npm run reproduce` asks for, from its command line; "help" for --help, "listed" after --list-params printed. Errors: UsageError. */
export function parseOptions(
  argv: string[],
  print: (text: string) => void = console.log,
): RunOptions | "help" | "listed" {
  const a = parseArgs(REPRODUCE_CLI, argv);
  return a === "help" ? "help" : runOptions(a, print);
}

/** The run the parsed command line asks for ("listed" after --list-params printed). Errors: UsageError. */
export function runOptions(
  a: ParsedArgs<typeof REPRODUCE_CLI.options>,
  print: (text: string) => void = console.log,
): RunOptions | "listed" {
  const mode: "quick" | "full" | undefined = lastOf(a, "quick", "full");
  const falsify = a.falsify === true;
  const seed = a.seed ?? 1;
  const outDir = a.out !== undefined ? path.resolve(a.out) : path.join(PROJECT_ROOT, "out");
  const nbDir = a.notebooks !== undefined ? path.resolve(a.notebooks) : path.join(PROJECT_ROOT, "notebooks");
  const cellTimeoutMs = (a["cell-timeout"] ?? DEFAULT_CELL_TIMEOUT_SECONDS) * 1000;
  let kernelArgv: string[] | undefined;
  if (a["kernel-cmd"] !== undefined) {
    kernelArgv = a["kernel-cmd"].split(/\s+/).filter(Boolean);
    if (!kernelArgv.includes("{connection_file}")) throw new UsageError(`--kernel-cmd must contain {connection_file}`);
  }
  const seeds = a.seeds;
  const paramArgs = a.param ?? [];
  const names = a.positionals;
  if (falsify && seeds) throw new UsageError("--falsify runs at one seed; give --seed N, not --seeds");
  if (falsify && paramArgs.length)
    throw new UsageError("--falsify sets each notebook's falsify parameter itself; it takes no --param");
  if (!fs.existsSync(nbDir) || !fs.statSync(nbDir).isDirectory())
    throw new UsageError(`notebook folder ${nbDir} does not exist`);
  const notebooks = selectNotebooks(nbDir, names);
  if (a["list-params"]) {
    if (names.length === 0) throw new UsageError("--list-params needs the notebooks to describe (for example: 06)");
    for (const f of notebooks)
      print(`${path.basename(f, ".ipynb")}:\n${parametersText(notebookParameters(readNotebook(f), path.basename(f)))}`);
    return "listed";
  }
  let parameters: Record<string, ParameterValue> = {};
  if (paramArgs.length) {
    if (notebooks.length !== 1 || names.length !== 1)
      throw new UsageError(
        `--param applies to one notebook: name exactly one (got ${names.length === 0 ? "all of them" : names.join(", ")})`,
      );
    const nb = path.basename(notebooks[0]);
    parameters = parseOverrides(paramArgs, notebookParameters(readNotebook(notebooks[0]), nb), nb);
  }
  const resolvedNb = path.resolve(nbDir);
  if (path.resolve(outDir) === resolvedNb || path.resolve(outDir).startsWith(resolvedNb + path.sep)) {
    throw new UsageError(`--out must not be inside ${nbDir}: a run never writes into the notebooks`);
  }
  return {
    mode: mode ?? (falsify ? "quick" : "full"),
    seed,
    notebooks,
    outDir,
    cellTimeoutMs,
    site: !a["no-site"],
    figures: !a["no-figures"],
    cache: !a["no-cache"],
    kernelArgv,
    seeds,
    jobs: a.jobs ?? (seeds ? defaultWorkers() : defaultJobs()),
    parameters,
    paramArgs,
    falsify,
  };
}

/** "1-20", "3", "1,4,7-9" → the seeds in order, without repeats. Throws UsageError when malformed or empty. */
export function parseSeedList(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(",")) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) throw new UsageError(`--seeds must be a list of seeds and ranges such as 1-20 or 1,4,7-9, got "${text}"`);
    const a = Number(m[1]),
      b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) throw new UsageError(`--seeds range "${part.trim()}" is empty (${a} > ${b})`);
    if (b - a > 10_000) throw new UsageError(`--seeds range "${part.trim()}" has more than 10 000 seeds`);
    for (let k = a; k <= b; k++) if (!out.includes(k)) out.push(k);
  }
  return out;
}

/** All notebooks of the folder in name order, or the named ones (exact stem or unique prefix). */
export function selectNotebooks(dir: string, names: string[]): string[] {
  const all = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".ipynb"))
    .sort();
  if (names.length === 0) {
    if (all.length === 0) throw new UsageError(`no notebooks (*.ipynb) in ${dir}`);
    return all.map((f) => path.join(dir, f));
  }
  return names.map((n) => {
    const stem = n.replace(/\.ipynb$/, "");
    const exact = all.filter((f) => f === `${stem}.ipynb`);
    const hits = exact.length ? exact : all.filter((f) => f.startsWith(stem));
    if (hits.length === 1) return path.join(dir, hits[0]);
    const list = all.map((f) => f.replace(/\.ipynb$/, "")).join(", ");
    if (hits.length === 0) throw new UsageError(`unknown notebook "${n}"; available: ${list}`);
    throw new UsageError(`notebook name "${n}" is ambiguous: ${hits.join(", ")}`);
  });
}
