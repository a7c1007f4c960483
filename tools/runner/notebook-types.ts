// Type-check the notebooks' code without running them. tslab compiles each cell with the
// TypeScript compiler and refuses a cell with a type error, but only when the cell runs, which for
// the last cell of a long notebook is minutes in. Here every notebook's code cells are joined into
// one virtual module beside lib/ and checked with the project's compiler options, so a renamed
// option or a changed return type in lib/ shows up in `npm test` at once.
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { cellSource, readNotebook } from "./notebook";

/** One type error in a notebook: its file, the code cell (1-based among code cells), the line in it, the message. */
export interface NotebookTypeError {
  notebook: string;
  codeCell: number;
  line: number;
  message: string;
}

/** tslab's own compiler settings (tslab/dist/converter.js): ES modules, Node10 resolution, not strict. */
const TSLAB_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
  esModuleInterop: true,
  resolveJsonModule: true,
  skipLibCheck: true,
  types: ["node"],
  noEmit: true,
};

/**
 * The type errors of lib/ itself under tslab's settings, as "file:line: message". tslab compiles
 * every lib/ file a notebook imports with these and refuses the cell on an error, while `npm run
 * typecheck` checks lib/ under the project's strict settings, where some code types differently
 * (a union narrowed by `=== undefined` needs strictNullChecks): code can pass tsc and still stop a
 * notebook.
 */
export function libTypeErrorsUnderTslab(root: string): string[] {
  const walk = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) =>
        e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : [],
      );
  const lib = path.join(root, "lib");
  const program = ts.createProgram(walk(lib), TSLAB_OPTIONS);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && path.resolve(d.file.fileName).startsWith(lib + path.sep))
    .map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${path.relative(root, d.file!.fileName)}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
    });
}

/**
 * Type-check the given notebooks against the project at `root`. Each notebook becomes the virtual
 * file `root/.notebook-types/NAME.ts` (its code cells in order, `./lib/` imports pointed one folder
 * up), checked as an ES module (cells use top-level await) under tsconfig.json's strictness.
 * Returns the errors found in the notebooks' own code (errors inside lib/ are tsc's business).
 */
export function notebookTypeErrors(root: string, notebookFiles: string[]): NotebookTypeError[] {
  const options = TSLAB_OPTIONS;
  const dir = path.join(root, ".notebook-types");
  // virtual file → (code cell, first line of that cell in the file)
  const files = new Map<string, { text: string; notebook: string; starts: { cell: number; line: number }[] }>();
  for (const f of notebookFiles) {
    const nb = readNotebook(f);
    const name = path.basename(f, ".ipynb");
    const starts: { cell: number; line: number }[] = [];
    const parts: string[] = [];
    let line = 0;
    const imported = new Set<string>();
    nb.cells
      .filter((c) => c.cell_type === "code")
      .forEach((c, k) => {
        const src = withoutRepeatedImports(cellSource(c), imported)
          .replace(/(["'])\.\/lib\//g, "$1../lib/")
          .replace(/(["'])\.\/tools\//g, "$1../tools/");
        starts.push({ cell: k + 1, line });
        parts.push(src);
        line += src.split("\n").length;
      });
    // `export {}` keeps the file a module even when no cell imports anything
    files.set(path.join(dir, `${name}.ts`), {
      text: parts.join("\n") + "\nexport {};\n",
      notebook: path.basename(f),
      starts,
    });
  }
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (f) => files.get(path.resolve(f))?.text ?? readFile(f);
  host.fileExists = (f) => files.has(path.resolve(f)) || fileExists(f);
  host.getSourceFile = (f, lang, onError, create) => {
    const v = files.get(path.resolve(f));
    return v ? ts.createSourceFile(f, v.text, lang, true) : getSourceFile(f, lang, onError, create);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  const out: NotebookTypeError[] = [];
  for (const [file, v] of files) {
    const sf = program.getSourceFile(file)!;
    for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
      const { line } = d.start === undefined ? { line: 0 } : sf.getLineAndCharacterOfPosition(d.start);
      const at = [...v.starts].reverse().find((s) => s.line <= line) ?? { cell: 0, line: 0 };
      out.push({
        notebook: v.notebook,
        codeCell: at.cell,
        line: line - at.line + 1,
        message: ts.flattenDiagnosticMessageText(d.messageText, " "),
      });
    }
  }
  return out;
}

/**
 * A cell's source with the import specifiers an earlier cell already imported left out (tslab lets
 * a later cell import a name again; one module may not). `imported` collects the local names seen.
 */
function withoutRepeatedImports(src: string, imported: Set<string>): string {
  const sf = ts.createSourceFile("cell.ts", src, ts.ScriptTarget.ES2022, true);
  const edits: { start: number; end: number; text: string }[] = [];
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !st.importClause) continue;
    const clause = st.importClause;
    const fresh = (name: string) => !imported.has(name);
    const parts: string[] = [];
    if (clause.name && fresh(clause.name.text)) parts.push(clause.name.text);
    const nb = clause.namedBindings;
    if (nb && ts.isNamespaceImport(nb) && fresh(nb.name.text)) parts.push(`* as ${nb.name.text}`);
    if (nb && ts.isNamedImports(nb)) {
      const keep = nb.elements.filter((e) => fresh(e.name.text)).map((e) => e.getText(sf));
      if (keep.length) parts.push(`{ ${keep.join(", ")} }`);
    }
    const names = [
      clause.name?.text,
      ...(nb && ts.isNamespaceImport(nb) ? [nb.name.text] : []),
      ...(nb && ts.isNamedImports(nb) ? nb.elements.map((e) => e.name.text) : []),
    ].filter((n): n is string => !!n);
    if (names.every(fresh)) {
      names.forEach((n) => imported.add(n));
      continue;
    }
    names.forEach((n) => imported.add(n));
    const text = parts.length
      ? `import ${clause.isTypeOnly ? "type " : ""}${parts.join(", ")} from ${st.moduleSpecifier.getText(sf)};`
      : "";
    // keep the cell's line count, so that errors point at the right line
    const newlines = src.slice(st.getStart(sf), st.getEnd()).split("\n").length - 1;
    edits.push({ start: st.getStart(sf), end: st.getEnd(), text: text + "\n".repeat(newlines) });
  }
  let out = src;
  for (const e of edits.reverse()) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** The project's notebooks, in name order. */
export function projectNotebooks(root: string): string[] {
  const dir = path.join(root, "notebooks");
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".ipynb"))
    .sort()
    .map((f) => path.join(dir, f));
}
