// npm run bench [-- NAME…]: speed of the hot loops, with the targets the issues set, each bench a
// file of tools/bench registered in registry.ts (`npm run bench -- --list` lists them; names run
// only those). Results print as they come and as a table at the end, and go to out/bench.json.
// Timing is never asserted in tests. On a shared machine, read ratios measured in the same run.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { formatRate, type BenchContext } from "./harness";
import { BENCHES } from "./registry";
import { pythonReference, type LapackReference } from "./references";
import { flag, runCli, UsageError, type CliSpec, type OptionSpec, type ParsedArgs } from "../cli/args";

const USAGE = `usage: npm run bench [-- NAME…]

Runs every benchmark, or the named ones, and writes out/bench.json:
${BENCHES.map((b) => `  ${b.name.padEnd(18)} ${b.about}`).join("\n")}

options:
  --list                list the benchmarks and exit
  -h, --help            this text`;

/** The command line of `npm run bench` (tools/cli/args: the rules every CLI shares). */
export const BENCH_CLI = {
  name: "bench",
  usage: USAGE,
  positionals: { name: "benchmarks", max: Infinity },
  options: { list: flag() },
} satisfies CliSpec<Record<string, OptionSpec<unknown>>>;

async function main(args: ParsedArgs<typeof BENCH_CLI.options>): Promise<void> {
  if (args.list) {
    console.log(BENCHES.map((b) => `  ${b.name.padEnd(18)} ${b.about}`).join("\n"));
    return;
  }
  const names = args.positionals;
  const unknown = names.filter((a) => !BENCHES.some((b) => b.name === a));
  if (unknown.length > 0)
    throw new UsageError(
      `unknown benchmark ${unknown.map((u) => JSON.stringify(u)).join(", ")} (npm run bench -- --list)`,
    );
  const chosen = names.length > 0 ? BENCHES.filter((b) => names.includes(b.name)) : BENCHES;
  const lapack = chosen.some((b) => b.name === "matmul" || b.name === "eigenvalues")
    ? pythonReference<LapackReference>("reference.py")
    : null;
  if (!lapack && chosen.some((b) => b.name === "matmul" || b.name === "eigenvalues"))
    console.log("python3 with numpy not found: no LAPACK/OpenBLAS reference in this run");
  const ctx: BenchContext = { results: [], missed: 0, lapack, extra: {} };
  console.log(
    `node ${process.version}, ${os.cpus()[0]?.model ?? "cpu"}, ${os.cpus().length} cores (load average ${os.loadavg()[0].toFixed(1)} at the start: on a shared machine, read the ratios); rates are medians (min–max)\n`,
  );
  for (const b of chosen) await b.run(ctx);
  const width = Math.max(0, ...ctx.results.map((r) => r.name.length));
  console.log("");
  for (const r of ctx.results) {
    const target = r.target ? `  target ≥ ${formatRate(r.target)} ${r.rate >= r.target ? "met" : "MISSED"}` : "";
    if (r.target && r.rate < r.target) ctx.missed++;
    console.log(
      `${r.name.padEnd(width)}  ${formatRate(r.rate).padStart(8)} ${r.unit}  (${formatRate(r.min)}–${formatRate(r.max)})${target}`,
    );
  }
  const out = path.resolve(__dirname, "..", "..", "out");
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(
    path.join(out, "bench.json"),
    JSON.stringify(
      {
        node: process.version,
        cpu: os.cpus()[0]?.model,
        loadAverage: os.loadavg(),
        benches: chosen.map((b) => b.name),
        results: ctx.results,
        ...ctx.extra,
      },
      null,
      2,
    ) + "\n",
  );
  if (ctx.missed)
    console.log(
      `\n${ctx.missed} target(s) missed on this machine (a loaded machine runs slower: rerun on an idle one).`,
    );
}

if (require.main === module) void runCli(BENCH_CLI, main);
