// npm run build:package (and `npm pack`'s prepack): lib/ compiled into dist/, the installable package.
//
// Layout of dist/:
//   <concept>.js, <concept>.d.ts and <concept>/…  lib/ compiled by tsc to CommonJS, with types
//   kernels/kernels.wasm                           the WebAssembly kernels (built by npm run build:wasm)
//   esm/<concept>.mjs, esm/<concept>.d.mts         ES-module wrappers: the CommonJS module's named
//                                                  exports, listed, so ESM and CJS share one instance
//   index.js, index.mjs, index.d.ts                the bare package name: a clear error naming the concepts
// package.json's "exports" maps "./<concept>" to these files; this script refuses to build when the
// map and lib/'s entry files disagree (test/project/package.test.ts checks the same).
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { restoreManifest } from "./manifest";
import { runCli, type CliSpec, type OptionSpec } from "../cli/args";

export const ROOT = path.resolve(__dirname, "..", "..");
export const DIST = path.join(ROOT, "dist");

/** The package's concepts: lib/<concept>.ts entry files, in name order. */
export function concepts(root = ROOT): string[] {
  return fs
    .readdirSync(path.join(root, "lib"))
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => f.slice(0, -3))
    .sort();
}

/** The "exports" entry package.json must hold for a concept. */
export function exportEntry(concept: string): Record<string, unknown> {
  return {
    import: { types: `./dist/esm/${concept}.d.mts`, default: `./dist/esm/${concept}.mjs` },
    require: { types: `./dist/${concept}.d.ts`, default: `./dist/${concept}.js` },
  };
}

/** The whole "exports" map for these concepts: ".", one path per concept, and package.json. */
export function exportsMap(names: string[]): Record<string, unknown> {
  const map: Record<string, unknown> = { ".": exportEntry("index") };
  for (const c of names) map[`./${c}`] = exportEntry(c);
  map["./package.json"] = "./package.json";
  return map;
}

/** Differences between package.json's "exports" and the map lib/ calls for (empty when they agree). */
export function exportsMismatch(pkg: { exports?: Record<string, unknown> }, names: string[]): string[] {
  const want = exportsMap(names),
    have = pkg.exports ?? {};
  const problems: string[] = [];
  for (const k of Object.keys(want)) {
    if (!(k in have)) problems.push(`"exports" lacks "${k}"`);
    else if (JSON.stringify(have[k]) !== JSON.stringify(want[k]))
      problems.push(`"exports"["${k}"] should be ${JSON.stringify(want[k])}`);
  }
  for (const k of Object.keys(have))
    if (!(k in want)) problems.push(`"exports" has "${k}", which is no lib/<concept>.ts`);
  return problems;
}

/** The message of the bare package name's error: no default entry, and the concepts to import. */
export function noConceptMessage(name: string, names: string[]): string {
  return (
    `${name} has no default entry: import one concept, e.g. require("${name}/lyapunov") or ` +
    `import { lyapunovSpectrum } from "${name}/lyapunov". Concepts: ${names.join(", ")}.`
  );
}

function esmWrapper(concept: string, names: string[]): string {
  const valid = names.filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== "default");
  return (
    `// ES-module entry of ${concept}: the CommonJS build's exports, so that import and require share one module.\n` +
    `import cjs from "../${concept}.js";\n` +
    (valid.length ? `export const {\n${valid.map((n) => `  ${n},`).join("\n")}\n} = cjs;\n` : "") +
    `export default cjs;\n`
  );
}

function build(): void {
  if (restoreManifest())
    console.log("build:package: put back package.json from a pack that stopped before its postpack");
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  const names = concepts();
  const mismatch = exportsMismatch(pkg, names);
  if (mismatch.length) {
    throw new Error(`package.json's "exports" disagrees with lib/'s entry files:\n  ${mismatch.join("\n  ")}`);
  }
  const wasm = path.join(ROOT, "lib", "kernels", "kernels.wasm");
  if (!fs.existsSync(wasm)) throw new Error("lib/kernels/kernels.wasm is not built: run `npm run build:wasm` first");

  fs.rmSync(DIST, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [require.resolve("typescript/bin/tsc"), "-p", path.join(ROOT, "tsconfig.package.json")],
    { cwd: ROOT, stdio: "inherit" },
  );
  fs.copyFileSync(wasm, path.join(DIST, "kernels", "kernels.wasm"));

  fs.mkdirSync(path.join(DIST, "esm"), { recursive: true });
  for (const c of names) {
    // Load the compiled module to list its runtime exports (type-only exports have none).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(DIST, `${c}.js`)) as Record<string, unknown>;
    fs.writeFileSync(path.join(DIST, "esm", `${c}.mjs`), esmWrapper(c, Object.keys(mod)));
    fs.writeFileSync(path.join(DIST, "esm", `${c}.d.mts`), `export * from "../${c}.js";\n`);
  }
  const message = noConceptMessage(pkg.name, names);
  const thrower = `throw new Error(${JSON.stringify(message)});\n`;
  fs.writeFileSync(
    path.join(DIST, "index.js"),
    `"use strict";\n// The bare package name exports nothing: each concept has its own path.\n${thrower}`,
  );
  fs.writeFileSync(
    path.join(DIST, "esm", "index.mjs"),
    `// The bare package name exports nothing: each concept has its own path.\n${thrower}`,
  );
  const doc = `/**\n * ${pkg.name} has no default entry. Import a concept: ${names.map((n) => `"${pkg.name}/${n}"`).join(", ")}.\n */\nexport {};\n`;
  fs.writeFileSync(path.join(DIST, "index.d.ts"), doc);
  fs.writeFileSync(path.join(DIST, "esm", "index.d.mts"), doc);
  console.log(
    `dist/: ${names.length} concepts (${names.join(", ")}), CommonJS with types, ES-module wrappers, kernels.wasm`,
  );
}

/** The command line of `npm run build:package` (tools/cli/args: the rules every CLI shares). */
export const BUILD_PACKAGE_CLI = {
  name: "build:package",
  usage: `usage: npm run build:package

Compiles lib/ into dist/ (CommonJS with types, an ES-module entry per concept, kernels.wasm beside
lib/kernels); npm pack runs it (prepack).

options:
  -h, --help            this text`,
  options: {},
} satisfies CliSpec<Record<string, OptionSpec<unknown>>>;

if (require.main === module) void runCli(BUILD_PACKAGE_CLI, () => build());
