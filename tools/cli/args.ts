// The one command-line convention of every tool (npm run reproduce, sweep, train, bench, lab,
// figures, site, site:serve, api, kernel:install, build:package, lab:build, and the pack hook
// tools/package/manifest.ts; the browser tests test:site and test:lab are CI harnesses, not CLIs). Each CLI declares its options and positionals in a
// `CliSpec` and hands it, with its main function, to `runCli`, which applies the same rules to all:
//   - `--name value` or `--name=value` for an option that takes a value; a flag takes none;
//   - an option given twice: the last value wins, unless it is repeatable (then all, in order);
//     `lastOf` tells which of several flags came last (`--quick … --full`: full);
//   - `-h`/`--help` anywhere prints the usage on stdout and exits 0;
//   - an argument that starts with "-" and names no option: `unknown option "--x" (see --help)`;
//   - an option whose value is missing (the last argument, or followed by another --option):
//     `--x needs a value (see --help)`; a value that does not parse names the option, what was
//     expected and what was given: `--iterations must be an integer ≥ 1, got "-5"`;
//   - positionals beyond what the CLI takes: `unexpected argument "x" (see --help)`;
//   - every such mistake, and any UsageError the CLI throws later (an unknown notebook, say):
//     one line `NAME: message` on stderr and exit status 2. Other errors exit 1.
// test/tools/cli-args.test.ts checks these rules once, and on every CLI from one table.

/** A problem with the user's input: the CLI prints it on one line and exits 2. */
export class UsageError extends Error {}

/** One option: `--name` with a value (`value` is its placeholder in the usage) or a flag. */
export interface OptionSpec<T> {
  /** Placeholder of the value ("N", "DIR"); absent for a flag, which takes no value. */
  value?: string;
  /** Turns the text into the value; throws UsageError naming the option (`flag`) and what it expects. */
  parse: (text: string, flag: string) => T;
  /** May be given several times; the values are collected in order (otherwise the last one wins). */
  repeat?: boolean;
  /** The value may itself start with "--" (`--sbatch-arg --account=x`). */
  rawValue?: boolean;
  /** Not listed in the usage (an internal entry point). */
  hidden?: boolean;
}

/** A CLI: its name (the prefix of its error lines), usage text, options and positionals. */
export interface CliSpec<O extends Record<string, OptionSpec<unknown>>> {
  /** The CLI's name, the prefix of its error lines (`sweep: …`). */
  name: string;
  /** The text `--help` prints; it should list every option that is not hidden. */
  usage: string;
  /** The options by name without the leading "--" (`"cell-timeout"` is `--cell-timeout`). */
  options: O;
  /** Positional arguments: their placeholder in messages and how many (default none). */
  positionals?: { name: string; max: number };
}

type ValueOf<S> = S extends OptionSpec<infer T> ? (S extends { repeat: true } ? T[] : T) : never;

/** The parsed command line: each given option's value by name (repeatable ones as arrays), and the positionals. */
export type ParsedArgs<O extends Record<string, OptionSpec<unknown>>> = { [K in keyof O]?: ValueOf<O[K]> } & {
  /** The arguments that are not options, in order. */
  positionals: string[];
  /** Where each given option last appeared in argv (its index), for `lastOf`. */
  at: { [K in keyof O]?: number };
};

/** Of the given options, the one that appeared last on the command line (undefined if none did): `--quick --full` → "full". */
export function lastOf<O extends Record<string, OptionSpec<unknown>>, K extends keyof O & string>(
  args: ParsedArgs<O>,
  ...keys: K[]
): K | undefined {
  let best: K | undefined;
  for (const k of keys) {
    const i = args.at[k];
    if (i !== undefined && (best === undefined || i > args.at[best]!)) best = k;
  }
  return best;
}

// ---- option builders -------------------------------------------------------------------------

/** A flag: present or not. */
export function flag(): OptionSpec<true> & { value?: undefined } {
  return { parse: () => true };
}

/** Any text (a path, a name). */
export function text(value: string, o: { rawValue?: boolean; hidden?: boolean } = {}): OptionSpec<string> {
  return { value, parse: (t) => t, ...o };
}

/** Any text, repeatable: every value in order. */
export function texts(value: string, o: { rawValue?: boolean } = {}): OptionSpec<string> & { repeat: true } {
  return { value, parse: (t) => t, repeat: true, ...o };
}

/** An integer ≥ min (default 1), at most max. */
export function integer(value: string, o: { min?: number; max?: number; hidden?: boolean } = {}): OptionSpec<number> {
  const min = o.min ?? 1;
  return {
    value,
    hidden: o.hidden,
    parse: (t, f) => {
      const n = t.trim() === "" ? NaN : Number(t);
      if (!Number.isInteger(n) || n < min || (o.max !== undefined && n > o.max)) {
        const expected =
          o.max !== undefined
            ? `an integer in ${min}…${o.max}`
            : min === 0
              ? "a non-negative integer"
              : `an integer ≥ ${min}`;
        throw new UsageError(`${f} must be ${expected}, got "${t}"`);
      }
      return n;
    },
  };
}

/** A finite number > 0 (positive: true) or any finite number. */
export function number(value: string, o: { positive?: boolean; what?: string } = {}): OptionSpec<number> {
  return {
    value,
    parse: (t, f) => {
      const n = t.trim() === "" ? NaN : Number(t);
      if (!Number.isFinite(n) || (o.positive && !(n > 0)))
        throw new UsageError(`${f} must be ${o.what ?? (o.positive ? "a number > 0" : "a finite number")}, got "${t}"`);
      return n;
    },
  };
}

/** One of a fixed list of words. */
export function choice<T extends string>(value: string, values: readonly T[]): OptionSpec<T> {
  return {
    value,
    parse: (t, f) => {
      if (!(values as readonly string[]).includes(t))
        throw new UsageError(`${f} must be one of ${values.join(", ")}, got "${t}"`);
      return t as T;
    },
  };
}

/** A value with its own parser (which throws UsageError naming the flag it is given). */
export function custom<T>(value: string, parse: (text: string, flag: string) => T): OptionSpec<T> {
  return { value, parse };
}

// ---- parsing -----------------------------------------------------------------------------------

/** True for the arguments that ask for the usage: -h and --help. */
const isHelp = (a: string) => a === "-h" || a === "--help";

/**
 * Parses argv (without node and the script) by the rules above. Returns "help" when -h or --help
 * is among the arguments. Errors: UsageError with the one-line message.
 */
export function parseArgs<O extends Record<string, OptionSpec<unknown>>>(
  spec: CliSpec<O>,
  argv: readonly string[],
): ParsedArgs<O> | "help" {
  if (argv.some(isHelp)) return "help";
  const out: Record<string, unknown> = {};
  const at: Record<string, number> = {};
  const positionals: string[] = [];
  const max = spec.positionals?.max ?? 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("-") || a === "-") {
      if (positionals.length >= max)
        throw new UsageError(
          `unexpected argument "${a}"${max ? ` (at most ${max} ${spec.positionals!.name})` : ""} (see --help)`,
        );
      positionals.push(a);
      continue;
    }
    const eq = a.startsWith("--") ? a.indexOf("=") : -1;
    const flagName = eq > 0 ? a.slice(0, eq) : a;
    const key = flagName.startsWith("--") ? flagName.slice(2) : "";
    const o = key && Object.prototype.hasOwnProperty.call(spec.options, key) ? spec.options[key] : undefined;
    if (!o) throw new UsageError(`unknown option "${flagName}" (see --help)`);
    let raw: string;
    at[key] = i;
    if (o.value === undefined) {
      if (eq > 0) throw new UsageError(`${flagName} takes no value, got "${a.slice(eq + 1)}"`);
      raw = "";
    } else if (eq > 0) {
      raw = a.slice(eq + 1);
    } else {
      const v = argv[i + 1];
      if (v === undefined || (v.startsWith("--") && !o.rawValue))
        throw new UsageError(`${flagName} needs a value (see --help)`);
      raw = v;
      i++;
    }
    const value = o.parse(raw, flagName);
    if (o.repeat) ((out[key] ??= []) as unknown[]).push(value);
    else out[key] = value;
  }
  return { ...(out as { [K in keyof O]?: ValueOf<O[K]> }), positionals, at: at as ParsedArgs<O>["at"] };
}

/** Where `runCli` writes and how it ends (replaced in tests). */
export interface CliIo {
  /** Writes the usage (for --help). */
  stdout: (text: string) => void;
  /** Writes the one-line error. */
  stderr: (text: string) => void;
  /** Ends with this status: `failed` after an error (the process exits now), else when its work is done. */
  exit: (code: number, failed: boolean) => void;
}

/** The real process: stdout, stderr, and process.exit after an error (process.exitCode otherwise, so pending work such as a server may go on). */
const processIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  exit: (code, failed) => {
    if (failed) process.exit(code);
    process.exitCode = code;
  },
};

/**
 * Runs a CLI by the rules above: parses argv (default process.argv after the script), prints the
 * usage for --help (exit 0), runs `main` on the parsed arguments and exits with the status it
 * returns (default 0). A UsageError, from parsing or from `main`, prints `NAME: message` (its first
 * line) on stderr and exits 2; any other error prints `NAME: ` and its stack, and exits 1.
 */
export async function runCli<O extends Record<string, OptionSpec<unknown>>>(
  spec: CliSpec<O>,
  main: (args: ParsedArgs<O>) => Promise<number | void> | number | void,
  argv: readonly string[] = process.argv.slice(2),
  io: CliIo = processIo,
): Promise<number> {
  let code: number,
    failed = false;
  try {
    const args = parseArgs(spec, argv);
    if (args === "help") {
      io.stdout(spec.usage.endsWith("\n") ? spec.usage : `${spec.usage}\n`);
      code = 0;
    } else {
      code = (await main(args)) ?? 0;
    }
  } catch (e) {
    const usage = e instanceof UsageError;
    const message = e instanceof Error ? (usage ? e.message.split("\n")[0] : (e.stack ?? e.message)) : String(e);
    io.stderr(`${spec.name}: ${message}\n`);
    code = usage ? 2 : 1;
    failed = true;
  }
  io.exit(code, failed);
  return code;
}
