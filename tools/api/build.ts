// npm run api: the API reference, rendered by TypeDoc from lib/'s doc comments into OUT/site/api/
// (typedoc.json: one module per concept, lib/<concept>.ts, as the package exports them). A doc
// comment TypeDoc warns about fails the build (treatWarningsAsErrors). Beside the pages it writes
// symbols.json, the page of every documented name, with which the site links a notebook page's
// first mention of a library function to its reference; and a stamp of the sources it was built
// from, so that the site rebuilds it only when lib/ changed.
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { runCli, type CliSpec, type OptionSpec } from "../cli/args";

const ROOT = path.resolve(__dirname, "..", "..");
/** The folders of TypeDoc's pages, one per kind of declaration. */
const KIND_FOLDERS = ["functions", "classes", "interfaces", "types", "variables", "enums"];

/** Where a documented name's page is: its module (concept) and the page's path under api/. */
export interface ApiSymbol {
  module: string;
  url: string;
}
export interface ApiIndex {
  stamp: string;
  symbols: Record<string, ApiSymbol[]>;
}

function walk(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** A hash of everything the reference is made from: lib/'s sources, the TypeDoc options, its version and the library guide. */
export function apiStamp(root = ROOT): string {
  const h = createHash("sha256");
  const files = walk(path.join(root, "lib"))
    .filter((f) => f.endsWith(".ts"))
    .sort();
  for (const f of [
    ...files,
    path.join(root, "typedoc.json"),
    path.join(root, "tsconfig.package.json"),
    path.join(root, "docs", "LIBRARY.md"),
    path.join(root, "tools", "api", "favicon.svg"),
    path.join(root, "tools", "api", "build.ts"),
    path.join(root, "node_modules", "typedoc", "package.json"),
  ]) {
    h.update(path.relative(root, f)).update("\0");
    if (fs.existsSync(f)) h.update(fs.readFileSync(f));
  }
  return h.digest("hex").slice(0, 16);
}

/** The documented names of a TypeDoc output folder, from its page names (`functions/<module>.<name>.html`). */
export function scanSymbols(apiDir: string): Record<string, ApiSymbol[]> {
  const symbols: Record<string, ApiSymbol[]> = {};
  for (const folder of KIND_FOLDERS) {
    const dir = path.join(apiDir, folder);
    if (!fs.existsSync(dir)) continue;
    for (const file of fs.readdirSync(dir).sort()) {
      const m = /^([a-z0-9-]+)\.([A-Za-z_$][\w$]*)\.html$/.exec(file);
      if (!m) continue;
      (symbols[m[2]] ??= []).push({ module: m[1], url: `${folder}/${file}` });
    }
  }
  return symbols;
}

/**
 * Makes TypeDoc's navigation links relative to each page. TypeDoc writes a `navigationLinks` URL
 * unchanged into every page, so a relative one (typedoc.json's "Notebooks": "../index.html", the
 * site's index seen from api/index.html) would point into the reference itself from the pages one
 * folder deeper (api/functions/…). Each `<a href="URL">NAME</a>` of `links` is rewritten with one
 * "../" more per folder below `apiDir`. Absolute URLs (with a scheme or a leading /) are left alone.
 * Returns the number of links rewritten.
 */
export function relinkNavigation(apiDir: string, links: Record<string, string>): number {
  const relative = Object.entries(links).filter(([, url]) => !/^([a-z][a-z0-9+.-]*:|\/)/i.test(url));
  if (relative.length === 0) return 0;
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  let count = 0;
  for (const file of walk(apiDir).filter((f) => f.endsWith(".html"))) {
    const depth = path.relative(apiDir, path.dirname(file)).split(path.sep).filter(Boolean).length;
    if (depth === 0) continue;
    let html = fs.readFileSync(file, "utf8");
    for (const [name, url] of relative) {
      const anchor = new RegExp(`(<a href=")${escape(url)}("[^>]*>${escape(name)}</a>)`, "g");
      html = html.replace(anchor, (_m, a: string, b: string) => {
        count++;
        return `${a}${"../".repeat(depth)}${url}${b}`;
      });
    }
    fs.writeFileSync(file, html);
  }
  return count;
}

/** The index of a built reference, or undefined when there is none. */
export function readApiIndex(apiDir: string): ApiIndex | undefined {
  const f = path.join(apiDir, "symbols.json");
  return fs.existsSync(f) ? (JSON.parse(fs.readFileSync(f, "utf8")) as ApiIndex) : undefined;
}

/**
 * Renders the reference into `apiDir` and writes its symbols.json. Returns TypeDoc's output (its
 * warnings, if any) and whether it succeeded; on failure the folder holds no symbols.json.
 */
export function buildApi(apiDir: string): { ok: boolean; log: string } {
  fs.rmSync(apiDir, { recursive: true, force: true });
  const r = spawnSync(
    process.execPath,
    [
      path.join(ROOT, "node_modules", "typedoc", "bin", "typedoc"),
      "--options",
      path.join(ROOT, "typedoc.json"),
      "--out",
      apiDir,
    ],
    { cwd: ROOT, encoding: "utf8" },
  );
  // eslint-disable-next-line no-control-regex -- strips ANSI colour codes (ESC [ … m)
  const log = `${r.stdout ?? ""}${r.stderr ?? ""}`.replace(/\u001b\[[0-9;]*m/g, "").trim();
  if (r.status !== 0 || !fs.existsSync(path.join(apiDir, "index.html"))) return { ok: false, log };
  const options = JSON.parse(fs.readFileSync(path.join(ROOT, "typedoc.json"), "utf8")) as {
    navigationLinks?: Record<string, string>;
  };
  relinkNavigation(apiDir, options.navigationLinks ?? {});
  const index: ApiIndex = { stamp: apiStamp(), symbols: scanSymbols(apiDir) };
  fs.writeFileSync(path.join(apiDir, "symbols.json"), JSON.stringify(index, null, 1) + "\n");
  return { ok: true, log };
}

/** The reference in OUT/site/api, built anew when it is missing or lib/ changed since; its index, or undefined when TypeDoc failed. */
export function ensureApi(apiDir: string, log: (s: string) => void = (s) => console.error(s)): ApiIndex | undefined {
  const have = readApiIndex(apiDir);
  if (have && have.stamp === apiStamp() && fs.existsSync(path.join(apiDir, "index.html"))) return have;
  const r = buildApi(apiDir);
  if (!r.ok) {
    log(`API reference not built (TypeDoc failed; \`npm run api\` shows why):\n${r.log}`);
    return undefined;
  }
  return readApiIndex(apiDir);
}

/** The command line of `npm run api` (tools/cli/args: the rules every CLI shares). */
export const API_CLI = {
  name: "api",
  usage: `usage: npm run api [-- OUT]

Builds the API reference of lib/ with TypeDoc into OUT/site/api (default out/site/api); exit 1 on
any TypeDoc warning or error (a doc comment TypeDoc warns about fails CI).

options:
  -h, --help            this text`,
  positionals: { name: "output folder", max: 1 },
  options: {},
} satisfies CliSpec<Record<string, OptionSpec<unknown>>>;

// npm run api [-- OUT]: build the reference into OUT/site/api; exit 1 on any TypeDoc warning or error.
if (require.main === module) {
  void runCli(API_CLI, (args) => {
    const out = path.resolve(args.positionals[0] ?? path.join(ROOT, "out"));
    const apiDir = path.join(out, "site", "api");
    const r = buildApi(apiDir);
    if (r.log) console.log(r.log);
    if (!r.ok) {
      console.error("api: TypeDoc failed (above): every warning about a doc comment is an error here");
      return 1;
    }
    const index = readApiIndex(apiDir)!;
    console.log(
      `api: ${Object.keys(index.symbols).length} documented names in ${path.relative(process.cwd(), apiDir)}/ (open index.html)`,
    );
    return 0;
  });
}
