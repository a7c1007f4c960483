// Notebook parameters in papermill's convention: the code cell tagged `parameters` declares the
// defaults as plain literals (`const eta = 0.3;`), and a run with overrides gets a cell tagged
// `injected-parameters` right after it that declares them again (tslab, like a REPL, lets a later
// cell redeclare a top-level const). Each override is typed from its default: a number stays a
// finite number, a boolean "true"/"false", a string any text, an array of numbers or strings a
// comma-separated list. Declarations whose initialiser is not a literal (`const N = bySize(…)`)
// are derived values, not parameters.
import * as ts from "typescript";
import { cellSource, Notebook, NbCell, UsageError } from "./notebook";

export type ParameterValue = number | string | boolean | number[] | string[];
export type ParameterType = "number" | "string" | "boolean" | "number[]" | "string[]";

/** One parameter of a notebook: its name, its default and the type overrides must have. */
export interface ParameterSpec {
  name: string;
  type: ParameterType;
  default: ParameterValue;
}

/** Tag of the parameters cell and of the cell a run injects after it (papermill's names). */
export const PARAMETERS_TAG = "parameters";
export const INJECTED_TAG = "injected-parameters";

function tags(cell: NbCell): string[] {
  const t = (cell.metadata as { tags?: unknown }).tags;
  return Array.isArray(t) ? t.filter((x): x is string => typeof x === "string") : [];
}

/** Index of the notebook's code cell tagged `parameters`. Throws UsageError if there is none or more than one. */
export function parametersCellIndex(nb: Notebook, name = "notebook"): number {
  const hits = nb.cells
    .map((c, i) => [c, i] as const)
    .filter(([c]) => c.cell_type === "code" && tags(c).includes(PARAMETERS_TAG))
    .map(([, i]) => i);
  if (hits.length === 0)
    throw new UsageError(
      `${name} has no code cell tagged "${PARAMETERS_TAG}", so it takes no --param (tag the cell that declares its defaults)`,
    );
  if (hits.length > 1)
    throw new UsageError(
      `${name} has ${hits.length} cells tagged "${PARAMETERS_TAG}" (cells ${hits.join(", ")}); keep one`,
    );
  return hits[0];
}

function literal(e: ts.Expression): { type: ParameterType; value: ParameterValue } | undefined {
  if (ts.isParenthesizedExpression(e)) return literal(e.expression);
  if (ts.isNumericLiteral(e)) return { type: "number", value: Number(e.text) };
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand))
    return { type: "number", value: -Number(e.operand.text) };
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return { type: "string", value: e.text };
  if (e.kind === ts.SyntaxKind.TrueKeyword) return { type: "boolean", value: true };
  if (e.kind === ts.SyntaxKind.FalseKeyword) return { type: "boolean", value: false };
  if (ts.isArrayLiteralExpression(e) && e.elements.length > 0) {
    const items = e.elements.map(literal);
    if (items.every((x) => x?.type === "number"))
      return { type: "number[]", value: items.map((x) => x!.value as number) };
    if (items.every((x) => x?.type === "string"))
      return { type: "string[]", value: items.map((x) => x!.value as string) };
  }
  return undefined;
}

/**
 * The parameters a notebook declares: every top-level `const`/`let` of its `parameters` cell whose
 * initialiser is a literal (number, string, boolean, or a non-empty array of numbers or of
 * strings), in order. Throws UsageError when the notebook has no (or more than one) parameters cell.
 */
export function notebookParameters(nb: Notebook, name = "notebook"): ParameterSpec[] {
  const source = cellSource(nb.cells[parametersCellIndex(nb, name)]);
  const file = ts.createSourceFile("parameters.ts", source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const out: ParameterSpec[] = [];
  for (const st of file.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || !d.initializer) continue;
      const lit = literal(d.initializer);
      if (lit) out.push({ name: d.name.text, type: lit.type, default: lit.value });
    }
  }
  return out;
}

function describe(specs: ParameterSpec[]): string {
  return specs.length
    ? specs.map((s) => `${s.name} (${s.type}, default ${JSON.stringify(s.default)})`).join(", ")
    : "none";
}

/** Convert the text of one override to the type of its default; throws UsageError naming the parameter. */
export function typedValue(spec: ParameterSpec, text: string): ParameterValue {
  const num = (t: string): number => {
    const v = t.trim() === "" ? NaN : Number(t);
    if (!Number.isFinite(v))
      throw new UsageError(
        `parameter ${spec.name} is a number (default ${JSON.stringify(spec.default)}); "${t}" is not a finite number`,
      );
    return v;
  };
  switch (spec.type) {
    case "number":
      return num(text);
    case "string":
      return text;
    case "boolean":
      if (text === "true" || text === "false") return text === "true";
      throw new UsageError(`parameter ${spec.name} is a boolean; give true or false, not "${text}"`);
    case "number[]":
      return text.split(",").map(num);
    case "string[]":
      return text.split(",");
  }
}

/**
 * Parse `name=value` overrides against a notebook's parameters, typed from the defaults. Throws
 * UsageError for a malformed override, a repeated name, or an unknown name (naming the known ones).
 */
export function parseOverrides(
  pairs: string[],
  specs: ParameterSpec[],
  name = "notebook",
): Record<string, ParameterValue> {
  const out: Record<string, ParameterValue> = {};
  for (const p of pairs) {
    const eq = p.indexOf("=");
    if (eq <= 0) throw new UsageError(`--param must be name=value, got "${p}"`);
    const key = p.slice(0, eq).trim(),
      text = p.slice(eq + 1);
    const spec = specs.find((s) => s.name === key);
    if (!spec) throw new UsageError(`${name} has no parameter "${key}"; its parameters: ${describe(specs)}`);
    if (key in out) throw new UsageError(`parameter ${key} is given twice`);
    out[key] = typedValue(spec, text);
  }
  return out;
}

/** The TypeScript literal of a parameter value (JSON is valid TypeScript for these types). */
function tsLiteral(v: ParameterValue): string {
  return JSON.stringify(v);
}

/**
 * A copy of the notebook with a code cell tagged `injected-parameters` after its parameters cell,
 * declaring each override again (papermill's injection). With no overrides the copy is unchanged.
 */
export function injectParameters(nb: Notebook, values: Record<string, ParameterValue>, name = "notebook"): Notebook {
  const copy: Notebook = JSON.parse(JSON.stringify(nb));
  const names = Object.keys(values);
  if (names.length === 0) return copy;
  const at = parametersCellIndex(copy, name);
  const source = [
    "// Parameters injected by the runner (npm run reproduce -- --param …), after the defaults above.\n",
    ...names.map((k) => `const ${k} = ${tsLiteral(values[k])};\n`),
  ];
  const cell: NbCell = {
    cell_type: "code",
    id: INJECTED_TAG,
    metadata: { tags: [INJECTED_TAG] },
    source,
    outputs: [],
    execution_count: null,
  };
  copy.cells.splice(at + 1, 0, cell);
  return copy;
}

/** The usage text of a notebook's parameters, for `--list-params`. */
export function parametersText(specs: ParameterSpec[]): string {
  if (specs.length === 0) return "  (none)";
  const w = Math.max(...specs.map((s) => s.name.length));
  return specs
    .map((s) => `  ${s.name.padEnd(w)}  ${s.type.padEnd(8)}  default ${JSON.stringify(s.default)}`)
    .join("\n");
}
