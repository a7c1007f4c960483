// The one command-line convention (tools/cli/args, issue 37 item 6): the rules tested once on a
// small spec, then checked on every tool's declared command line from one table, and end to end
// (exit 0 for --help, exit 2 and one line for an unknown flag) by running each entry point.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as path from "path";
import {
  choice,
  custom,
  flag,
  integer,
  lastOf,
  number,
  parseArgs,
  runCli,
  text,
  texts,
  UsageError,
  type CliIo,
  type CliSpec,
  type OptionSpec,
  type ParsedArgs,
} from "../../tools/cli/args";
import { UsageError as RunnerUsageError } from "../../tools/runner/notebook";
import { REPRODUCE_CLI } from "../../tools/runner/options";
import { SWEEP_CLI } from "../../tools/sweep/cli";
import { TRAIN_CLI } from "../../tools/train/cli";
import { BENCH_CLI } from "../../tools/bench/run";
import { FIGURES_CLI } from "../../tools/figures/export";
import { API_CLI } from "../../tools/api/build";
import { LAB_BUILD_CLI } from "../../tools/jupyterlab/build";
import { KERNEL_INSTALL_CLI } from "../../tools/kernel/install";
import { LAB_CLI } from "../../tools/kernel/lab";
import { BUILD_PACKAGE_CLI } from "../../tools/package/build";
import { MANIFEST_CLI } from "../../tools/package/manifest";
import { SITE_CLI } from "../../tools/site/build";
import { SERVE_CLI } from "../../tools/site/serve";

const root = path.resolve(__dirname, "..", "..");

const SPEC = {
  name: "toy",
  usage: "usage: toy [options] [FILE…]",
  positionals: { name: "files", max: 2 },
  options: {
    verbose: flag(),
    quick: flag(),
    full: flag(),
    out: text("DIR"),
    n: integer("N"),
    seed: integer("S", { min: 0 }),
    port: integer("P", { min: 0, max: 65535 }),
    rate: number("X", { positive: true }),
    kind: choice("K", ["a", "b"] as const),
    grid: texts("G"),
    raw: texts("ARG", { rawValue: true }),
    even: custom("E", (t, f) => {
      if (Number(t) % 2 !== 0) throw new UsageError(`${f} must be even, got "${t}"`);
      return Number(t);
    }),
    secret: text("S", { hidden: true }),
  },
} satisfies CliSpec<Record<string, OptionSpec<unknown>>>;

type Toy = ParsedArgs<typeof SPEC.options>;
const parse = (...argv: string[]) => parseArgs(SPEC, argv) as Toy;

/** The UsageError message parsing argv gives (fails if it parses). */
function usageError(spec: CliSpec<Record<string, OptionSpec<unknown>>>, argv: string[]): string {
  try {
    parseArgs(spec, argv);
  } catch (e) {
    assert.ok(e instanceof UsageError, `${argv.join(" ")}: ${String(e)}`);
    return e.message;
  }
  assert.fail(`${argv.join(" ")} parsed, expected a usage error`);
}

test("declared options parse: flags, values in both forms, typed values, repeats, positionals", () => {
  const a = parse(
    "--verbose",
    "--out",
    "x",
    "--n=3",
    "--seed",
    "0",
    "--rate",
    "0.5",
    "--kind=b",
    "f1",
    "--grid",
    "g1",
    "--grid=g2",
    "f2",
    "--port",
    "0",
  );
  assert.equal(a.verbose, true);
  assert.equal(a.out, "x");
  assert.equal(a.n, 3);
  assert.equal(a.seed, 0);
  assert.equal(a.rate, 0.5);
  assert.equal(a.kind, "b");
  assert.equal(a.port, 0);
  assert.deepEqual(a.grid, ["g1", "g2"]);
  assert.deepEqual(a.positionals, ["f1", "f2"]);
  assert.equal(a.quick, undefined, "an absent option is undefined");
  assert.equal(parse("--out=a=b").out, "a=b", "only the first = splits");
  assert.equal(parse("--out", "").out, "", "an empty value is a value");
  assert.equal(parse("-", "--n", "2").positionals[0], "-", "a lone - is a positional");
});

test("given twice, the last value wins (repeatable ones collect); lastOf tells which flag came last", () => {
  assert.equal(parse("--n", "1", "--n", "2").n, 2);
  assert.equal(lastOf(parse("--quick", "--full"), "quick", "full"), "full");
  assert.equal(lastOf(parse("--full", "--quick"), "quick", "full"), "quick");
  assert.equal(lastOf(parse("--full", "--quick", "--full"), "quick", "full"), "full");
  assert.equal(lastOf(parse(), "quick", "full"), undefined);
});

test("a raw value may start with --; an ordinary one may not", () => {
  assert.deepEqual(parse("--raw", "--account=x", "--raw=--y").raw, ["--account=x", "--y"]);
  assert.match(usageError(SPEC, ["--out", "--verbose"]), /^--out needs a value/);
});

test("unknown options and stray arguments are usage errors that name them", () => {
  assert.match(usageError(SPEC, ["--nonsense"]), /^unknown option "--nonsense"/);
  assert.match(usageError(SPEC, ["--nonsense=3"]), /^unknown option "--nonsense"/);
  assert.match(usageError(SPEC, ["-x"]), /^unknown option "-x"/);
  assert.match(usageError(SPEC, ["--Verbose"]), /unknown option "--Verbose"/, "names are case-sensitive");
  assert.match(usageError(SPEC, ["--toString"]), /unknown option "--toString"/, "no inherited property is an option");
  assert.match(usageError(SPEC, ["a", "b", "c"]), /^unexpected argument "c" \(at most 2 files\)/);
  assert.match(usageError({ name: "none", usage: "", options: {} }, ["x"]), /^unexpected argument "x" \(see --help\)/);
});

test("missing and malformed values are usage errors naming the option and what it expects", () => {
  assert.match(usageError(SPEC, ["--out"]), /^--out needs a value/);
  assert.match(usageError(SPEC, ["--n", "--verbose"]), /^--n needs a value/);
  assert.match(usageError(SPEC, ["--verbose=yes"]), /^--verbose takes no value, got "yes"/);
  assert.equal(usageError(SPEC, ["--n", "-5"]), `--n must be an integer ≥ 1, got "-5"`);
  assert.equal(usageError(SPEC, ["--n", "2.5"]), `--n must be an integer ≥ 1, got "2.5"`);
  assert.equal(usageError(SPEC, ["--n="]), `--n must be an integer ≥ 1, got ""`);
  assert.equal(usageError(SPEC, ["--seed", "-1"]), `--seed must be a non-negative integer, got "-1"`);
  assert.equal(usageError(SPEC, ["--port", "70000"]), `--port must be an integer in 0…65535, got "70000"`);
  assert.equal(usageError(SPEC, ["--rate", "0"]), `--rate must be a number > 0, got "0"`);
  assert.equal(usageError(SPEC, ["--rate", "Infinity"]), `--rate must be a number > 0, got "Infinity"`);
  assert.equal(usageError(SPEC, ["--kind", "c"]), `--kind must be one of a, b, got "c"`);
  assert.equal(usageError(SPEC, ["--even=3"]), `--even must be even, got "3"`);
});

test("-h or --help anywhere asks for the usage, before any other check", () => {
  assert.equal(parseArgs(SPEC, ["--help"]), "help");
  assert.equal(parseArgs(SPEC, ["--nonsense", "-h"]), "help");
  assert.equal(parseArgs(SPEC, ["--n", "x", "--help"]), "help");
});

/** runCli with its output captured. */
async function run(argv: string[], main: (a: Toy) => number | void | Promise<number | void> = () => 0) {
  const out: string[] = [],
    err: string[] = [];
  let exit: [number, boolean] | undefined;
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), exit: (c, f) => (exit = [c, f]) };
  const code = await runCli(SPEC, main, argv, io);
  assert.deepEqual(exit?.[0], code);
  return { code, failed: exit![1], out: out.join(""), err: err.join("") };
}

test("runCli: --help prints the usage on stdout and exits 0 without running main", async () => {
  let ran = false;
  const r = await run(["--help"], () => void (ran = true));
  assert.deepEqual([r.code, r.out, r.err, ran], [0, `${SPEC.usage}\n`, "", false]);
});

test("runCli: bad input is one line NAME: message on stderr and exit 2; main's own usage errors too", async () => {
  for (const argv of [["--nonsense"], ["--n", "-5"], ["--out"]]) {
    const r = await run(argv);
    assert.equal(r.code, 2);
    assert.equal(r.failed, true);
    assert.equal(r.out, "");
    assert.match(r.err, /^toy: \S.*\n$/);
    assert.equal(r.err.split("\n").length, 2, r.err);
  }
  const late = await run([], () => {
    throw new UsageError("no such notebook\nsecond line");
  });
  assert.deepEqual([late.code, late.err], [2, "toy: no such notebook\n"]);
  const runner = await run([], () => {
    throw new RunnerUsageError("from the runner");
  });
  assert.equal(runner.code, 2, "tools/runner/notebook's UsageError is the same class");
});

test("runCli: main's status is the exit status; any other error exits 1 with its stack", async () => {
  assert.equal((await run([], () => 3)).code, 3);
  assert.deepEqual([(await run([], () => undefined)).code, (await run([], () => undefined)).failed], [0, false]);
  assert.equal((await run([], async () => 1)).code, 1);
  let seen: Toy | undefined;
  await run(["--n", "4", "f"], (a) => void (seen = a));
  assert.equal(seen?.n, 4);
  assert.deepEqual(seen?.positionals, ["f"]);
  const bug = await run([], () => {
    throw new TypeError("a bug");
  });
  assert.equal(bug.code, 1);
  assert.match(bug.err, /^toy: TypeError: a bug\n\s+at /);
});

// Every tool's command line: [its spec, its entry point].
const CLIS: [CliSpec<Record<string, OptionSpec<unknown>>>, string][] = [
  [REPRODUCE_CLI, "tools/runner/reproduce.ts"],
  [SWEEP_CLI, "tools/sweep/cli.ts"],
  [TRAIN_CLI, "tools/train/cli.ts"],
  [BENCH_CLI, "tools/bench/run.ts"],
  [FIGURES_CLI, "tools/figures/export.ts"],
  [API_CLI, "tools/api/build.ts"],
  [LAB_BUILD_CLI, "tools/jupyterlab/build.ts"],
  [KERNEL_INSTALL_CLI, "tools/kernel/install.ts"],
  [LAB_CLI, "tools/kernel/lab.ts"],
  [BUILD_PACKAGE_CLI, "tools/package/build.ts"],
  [MANIFEST_CLI, "tools/package/manifest.ts"],
  [SITE_CLI, "tools/site/build.ts"],
  [SERVE_CLI, "tools/site/serve.ts"],
];

test("every tool: its usage lists each option it declares, and the same rules apply", () => {
  for (const [spec] of CLIS) {
    assert.match(spec.usage, /^usage: /, spec.name);
    assert.match(spec.usage, /-h, --help/, `${spec.name}: the usage lists --help`);
    for (const [name, o] of Object.entries(spec.options)) {
      if (o.hidden) continue;
      assert.ok(new RegExp(`--${name}(?![\\w-])`).test(spec.usage), `${spec.name}: the usage does not list --${name}`);
      if (o.value !== undefined)
        assert.match(usageError(spec, [`--${name}`]), new RegExp(`^--${name} needs a value`), `${spec.name} --${name}`);
      else
        assert.match(
          usageError(spec, [`--${name}=1`]),
          new RegExp(`^--${name} takes no value`),
          `${spec.name} --${name}`,
        );
    }
    assert.match(usageError(spec, ["--nonsense"]), /^unknown option "--nonsense"/, spec.name);
    assert.equal(parseArgs(spec, ["--help"]), "help", spec.name);
  }
});

test("the options the docs and scripts use still parse, with their meaning", () => {
  const sweep = parseArgs(SWEEP_CLI, [
    "06",
    "--grid",
    "eta=0.2,0.3",
    "--grid=batch=1",
    "--quick",
    "--seeds",
    "1-3",
    "--sbatch-arg=--account=x",
    "--sbatch-arg",
    "--qos=y",
  ]) as ParsedArgs<typeof SWEEP_CLI.options>;
  assert.deepEqual(
    [sweep.positionals, sweep.grid, sweep.seeds, sweep["sbatch-arg"]],
    [["06"], ["eta=0.2,0.3", "batch=1"], [1, 2, 3], ["--account=x", "--qos=y"]],
  );
  const stored = parseArgs(SWEEP_CLI, [
    "--stored",
    "out/x.request.json",
    "--shard-runs",
    "2",
    "--dry-run",
  ]) as ParsedArgs<typeof SWEEP_CLI.options>;
  assert.deepEqual([stored.stored, stored["shard-runs"], stored["dry-run"]], ["out/x.request.json", 2, true]);
  const task = parseArgs(SWEEP_CLI, ["--run-task", "0", "--plan", "p.json"]) as ParsedArgs<typeof SWEEP_CLI.options>;
  assert.deepEqual([task["run-task"], task.plan], [0, "p.json"]);
  assert.match(usageError(SWEEP_CLI, ["--shard-runs", "0"]), /^--shard-runs must be an integer ≥ 1/);
  assert.match(usageError(SWEEP_CLI, ["a", "b"]), /^unexpected argument "b"/);
  const train = parseArgs(TRAIN_CLI, [
    "gpt",
    "--variant",
    "nanogpt",
    "--precision",
    "float64",
    "--resume",
    "--sample",
    "0",
  ]) as ParsedArgs<typeof TRAIN_CLI.options>;
  assert.deepEqual(
    [train.positionals, train.variant, train.precision, train.resume, train.sample],
    [["gpt"], "nanogpt", "float64", true, 0],
  );
  assert.equal(usageError(TRAIN_CLI, ["gpt", "--iterations", "-5"]), `--iterations must be an integer ≥ 1, got "-5"`);
  assert.match(
    usageError(TRAIN_CLI, ["gpt", "--nonsense"]),
    /^unknown option "--nonsense"/,
    "not read as an option missing its value",
  );
  const kernel = parseArgs(KERNEL_INSTALL_CLI, ["--dir", "/tmp/j"]) as ParsedArgs<typeof KERNEL_INSTALL_CLI.options>;
  assert.equal(kernel.dir, "/tmp/j");
  assert.equal((parseArgs(BENCH_CLI, ["--list"]) as ParsedArgs<typeof BENCH_CLI.options>).list, true);
  assert.deepEqual((parseArgs(SERVE_CLI, ["out/site", "8081"]) as ParsedArgs<typeof SERVE_CLI.options>).positionals, [
    "out/site",
    "8081",
  ]);
  assert.deepEqual((parseArgs(MANIFEST_CLI, ["strip"]) as ParsedArgs<typeof MANIFEST_CLI.options>).positionals, [
    "strip",
  ]);
});

test("every entry point: --help exits 0 with its usage; an unknown flag exits 2 with one line naming it", () => {
  const node = (file: string, arg: string) =>
    spawnSync(process.execPath, ["--import", "tsx", path.join(root, file), arg], {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
    });
  for (const [spec, file] of CLIS) {
    const help = node(file, "--help");
    assert.equal(help.status, 0, `${file} --help: ${help.stderr}`);
    assert.equal(help.stdout, spec.usage.endsWith("\n") ? spec.usage : `${spec.usage}\n`, file);
    const bad = node(file, "--bogus");
    assert.equal(bad.status, 2, `${file} --bogus: ${bad.stderr}`);
    assert.equal(bad.stdout, "", file);
    assert.equal(bad.stderr, `${spec.name}: unknown option "--bogus" (see --help)\n`, file);
  }
});
