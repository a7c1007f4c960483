// The glossary in docs/ARCHITECTURE.md is the one list of option names and their meanings (issue 37):
// every name it defines is declared in lib/, and no option type in lib/ declares a name it retires.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import ts from "typescript";

const ROOT = path.resolve(__dirname, "../..");

/** The glossary table's rows: the names of the first column and the retired names of the last. */
function glossary(): { names: string[]; retired: Map<string, string> } {
  const text = fs.readFileSync(path.join(ROOT, "docs/ARCHITECTURE.md"), "utf8");
  const section = text.split("## Glossary: option names")[1]?.split("\n## ")[0];
  assert.ok(section, "docs/ARCHITECTURE.md has a section '## Glossary: option names'");
  const names: string[] = [],
    retired = new Map<string, string>();
  for (const line of section.split("\n").filter((l) => l.startsWith("| `"))) {
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
    const own = [...cells[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    names.push(...own);
    for (const m of cells[cells.length - 2].matchAll(/`([^`]+)`/g)) retired.set(m[1], own[0]);
  }
  return { names, retired };
}

/** Every property declared in an interface or a type literal of lib/, with where it is declared. */
function declaredProperties(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const walk = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) =>
        e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : [],
      );
  for (const file of walk(path.join(ROOT, "lib"))) {
    const src = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2020, true);
    const visit = (node: ts.Node): void => {
      if (ts.isPropertySignature(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))) {
        const where = `${path.relative(ROOT, file)}:${src.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        out.set(node.name.text, [...(out.get(node.name.text) ?? []), where]);
      }
      ts.forEachChild(node, visit);
    };
    visit(src);
  }
  return out;
}

test("the glossary's option names are declared in lib/ and its retired names are not", () => {
  const { names, retired } = glossary();
  assert.ok(
    names.includes("T") && names.includes("dt") && retired.has("time"),
    "the glossary lists T, dt and retires time",
  );
  const props = declaredProperties();
  assert.deepEqual(
    names.filter((n) => !props.has(n)),
    [],
    "glossary names that no option type in lib/ declares",
  );
  const offenders = [...retired].flatMap(([old, now]) =>
    (props.get(old) ?? []).map((w) => `${w}: '${old}' (the glossary's name is '${now}')`),
  );
  assert.deepEqual(offenders, [], "option types in lib/ that declare a retired name");
});

test("one estimate type: no object type in lib/ pairs a mean or value with `standardError` (Estimate's names are value and se)", () => {
  // reflectedEnsemble's per-time arrays keep mean/standardError beside spread/spreadError (docs/ARCHITECTURE.md's exceptions)
  const exempt = new Set(["lib/sde/reflected-ensemble.ts"]);
  const offenders: string[] = [];
  const walk = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) =>
        e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : [],
      );
  for (const file of walk(path.join(ROOT, "lib"))) {
    const rel = path.relative(ROOT, file);
    if (exempt.has(rel)) continue;
    const src = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2020, true);
    const visit = (node: ts.Node): void => {
      if (ts.isInterfaceDeclaration(node) || ts.isTypeLiteralNode(node)) {
        const names = new Set(node.members.flatMap((m) => (m.name && ts.isIdentifier(m.name) ? [m.name.text] : [])));
        if (names.has("standardError") && (names.has("mean") || names.has("value")))
          offenders.push(`${rel}:${src.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(src);
  }
  assert.deepEqual(offenders, [], "types that pair a value with standardError instead of Estimate's se");
});
