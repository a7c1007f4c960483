// prepack/postpack: the packed package.json without the checkout's scripts.
//
// The scripts are the checkout's (`prepare` builds the wasm kernels from wasm/, which the tarball
// does not hold; the others run notebooks and tools). Installed from a tarball, npm would list
// `prepare` as an install script to review although it never runs it there. So `npm pack` and
// `npm publish` pack a package.json without "scripts": `strip` (prepack, after the build) keeps the
// file's exact text in .package.json.packing and writes it without them; `restore` (postpack, and
// the next build if a pack died in between) puts the text back.
import * as fs from "fs";
import * as path from "path";
import { runCli, UsageError, type CliSpec, type OptionSpec } from "../cli/args";

const ROOT = path.resolve(__dirname, "..", "..");
const FILE = path.join(ROOT, "package.json");
const KEPT = path.join(ROOT, ".package.json.packing");

/** Puts back the package.json that `strip` kept; true when there was one. */
export function restoreManifest(): boolean {
  if (!fs.existsSync(KEPT)) return false;
  fs.renameSync(KEPT, FILE);
  return true;
}

/** The published form of a package.json's text: the same, without "scripts". */
export function publishedManifest(text: string): string {
  const pkg = JSON.parse(text);
  delete pkg.scripts;
  return JSON.stringify(pkg, null, 2) + "\n";
}

/** The command line of this pack hook (tools/cli/args: the rules every CLI shares). */
export const MANIFEST_CLI = {
  name: "manifest",
  usage: `usage: tsx tools/package/manifest.ts strip|restore

npm pack's hooks: strip (prepack) keeps package.json aside and writes the published manifest, its
scripts removed; restore (postpack) puts the checkout's back.

options:
  -h, --help            this text`,
  positionals: { name: "verb (strip or restore)", max: 1 },
  options: {},
} satisfies CliSpec<Record<string, OptionSpec<unknown>>>;

if (require.main === module) {
  void runCli(MANIFEST_CLI, (args) => {
    const verb = args.positionals[0];
    if (verb === "strip") {
      if (fs.existsSync(KEPT))
        throw new Error(
          `${KEPT} exists: a pack is under way or died; run \`npx tsx tools/package/manifest.ts restore\``,
        );
      const text = fs.readFileSync(FILE, "utf8");
      fs.writeFileSync(KEPT, text);
      fs.writeFileSync(FILE, publishedManifest(text));
    } else if (verb === "restore") {
      restoreManifest();
    } else {
      throw new UsageError(
        verb === undefined
          ? "name the verb: strip or restore (see --help)"
          : `the verb must be strip or restore, got "${verb}"`,
      );
    }
  });
}
