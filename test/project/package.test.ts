import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { concepts, exportsMap, exportsMismatch, noConceptMessage } from "../../tools/package/build";
import { publishedManifest } from "../../tools/package/manifest";
import { workerPrelude } from "../../lib/parallel/threads";

const root = path.resolve(__dirname, "..", "..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));

test("package.json exports one path per lib/<concept>.ts, the bare name and package.json, nothing else", () => {
  assert.deepEqual(exportsMismatch(pkg, concepts()), []);
  assert.ok(concepts().includes("lyapunov") && concepts().includes("nn") && concepts().includes("rmt"));
  // a concept added to lib/ without its export path, or a path without a concept, is named
  const extra = exportsMismatch(pkg, [...concepts(), "newconcept"]);
  assert.deepEqual(extra, ['"exports" lacks "./newconcept"']);
  const fewer = exportsMismatch(
    pkg,
    concepts().filter((c) => c !== "rmt"),
  );
  assert.deepEqual(fewer, ['"exports" has "./rmt", which is no lib/<concept>.ts']);
  assert.deepEqual(Object.keys(exportsMap(["a"])), [".", "./a", "./package.json"]);
});

test("the package's runtime dependencies are what lib/ imports; the notebooks' tools are not among them", () => {
  const walk = (d: string): string[] =>
    fs
      .readdirSync(d, { withFileTypes: true })
      .flatMap((e) =>
        e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith(".ts") ? [path.join(d, e.name)] : [],
      );
  const imported = new Set<string>();
  for (const f of walk(path.join(root, "lib"))) {
    for (const m of fs.readFileSync(f, "utf8").matchAll(/(?:from |require\()"([^."][^"]*)"/g)) {
      const name = m[1].startsWith("@") ? m[1].split("/").slice(0, 2).join("/") : m[1].split("/")[0];
      if (!["fs", "path", "os", "crypto", "worker_threads", "child_process"].includes(name)) imported.add(name);
    }
  }
  const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)]);
  for (const name of imported)
    if (name !== "tsx") assert.ok(declared.has(name), `lib/ imports ${name}, which is neither a dependency nor a peer`);
  for (const name of Object.keys(pkg.dependencies))
    assert.ok(imported.has(name), `${name} is a dependency, but lib/ does not import it`);
  for (const name of Object.keys(pkg.peerDependencies))
    assert.equal(pkg.peerDependenciesMeta[name]?.optional, true, `${name} should be an optional peer`);
  for (const tool of ["tsx", "tslab", "zeromq", "katex", "markdown-it", "typedoc"])
    assert.ok(!(tool in pkg.dependencies), `${tool} is a tool, not a dependency`);
});

test("the bare package name's error names the concepts to import", () => {
  const msg = noConceptMessage("rds-solvers", concepts());
  assert.match(msg, /rds-solvers has no default entry: import one concept, e\.g\. require\("rds-solvers\/lyapunov"\)/);
  for (const c of concepts()) assert.ok(msg.includes(c), c);
});

test("the packed package.json is the checkout's without its scripts", () => {
  const text = JSON.stringify({
    name: "x",
    version: "1.0.0",
    scripts: { prepare: "npm run build:wasm" },
    exports: { "./a": "./a.js" },
  });
  assert.deepEqual(JSON.parse(publishedManifest(text)), { name: "x", version: "1.0.0", exports: { "./a": "./a.js" } });
});

test("from the TypeScript sources, workers register tsx's hook before loading a task", () => {
  assert.match(workerPrelude(), /tsx.*register\(\)/);
});
