import * as path from "path";
import { PROJECT_ROOT } from "../kernel/spec";
import { KernelClient, KernelError, NbOutput } from "./kernel";
import { cellSource, Notebook, NbCell, readNotebook, toLines } from "./notebook";
import type { Verdict } from "../../lib/verdict/verdict";
import { collectVerdicts } from "./collect";
import { injectParameters } from "./parameters";
import type { ParameterValue } from "./parameters";

export interface CellFailure {
  /** Index of the cell in the notebook (all cells, 0-based, as nbformat counts them). */
  cellIndex: number;
  /** Its ordinal among the code cells (1-based, as the progress line counts). */
  codeCell: number;
  kind: "error" | "timeout" | "died";
  message: string;
}

export interface NotebookRun {
  name: string;
  file: string;
  seconds: number;
  verdicts: Verdict[];
  failure?: CellFailure;
  executed: Notebook;
  /** True when the run was taken from the cache (tools/runner/cache) instead of executed. */
  cached?: boolean;
}

export interface ExecuteOptions {
  mode: "quick" | "full";
  seed: number;
  /** Parameter overrides, injected after the cell tagged "parameters" (tools/runner/parameters). */
  parameters?: Record<string, ParameterValue>;
  cellTimeoutMs: number;
  kernelArgv?: string[];
  /** Called before each code cell and once when the notebook ends. */
  onProgress?: (cell: number, cells: number, elapsedSeconds: number) => void;
}

/** The error text of a failed cell: tslab reports the stack on stderr, Jupyter in the reply. */
function errorText(outputs: NbOutput[], evalue?: string, traceback?: string[]): string {
  const stderr = outputs.filter((o) => o.output_type === "stream" && o.name === "stderr").map((o) => String(o.text));
  const tb = (traceback ?? []).join("\n");
  return (stderr.join("") || tb || evalue || "error with no message").trim();
}

/**
 * Execute a notebook top to bottom in a fresh kernel. Never throws for a failing cell: the failure
 * is part of the result. Throws KernelError("start") when the kernel cannot start.
 */
export async function executeNotebook(file: string, o: ExecuteOptions): Promise<NotebookRun> {
  const name = path.basename(file, ".ipynb");
  const parameters = o.parameters ?? {};
  const nb = injectParameters(readNotebook(file), parameters, `${name}.ipynb`);
  const t0 = Date.now();
  const kernel = await KernelClient.start({
    cwd: PROJECT_ROOT,
    env: { RDS_MODE: o.mode, RDS_SEED: String(o.seed) },
    argv: o.kernelArgv,
  });
  const executed: Notebook = JSON.parse(JSON.stringify(nb));
  const verdicts: Verdict[] = [];
  let failure: CellFailure | undefined;
  const codeCells = executed.cells.map((c, i) => [c, i] as const).filter(([c]) => c.cell_type === "code");
  try {
    for (let k = 0; k < codeCells.length; k++) {
      const [cell, index] = codeCells[k];
      cell.outputs = [];
      cell.execution_count = null;
      if (failure) continue; // cells after a failure stay unexecuted, as in Jupyter
      o.onProgress?.(k + 1, codeCells.length, (Date.now() - t0) / 1000);
      const source = cellSource(cell);
      if (source.trim() === "") continue;
      const started = new Date().toISOString();
      try {
        const r = await kernel.execute(source, o.cellTimeoutMs);
        recordTiming(cell, started);
        cell.outputs = r.outputs.map(normaliseOutput);
        cell.execution_count = r.executionCount;
        verdicts.push(...collectVerdicts(r.outputs));
        if (r.status !== "ok") {
          failure = {
            cellIndex: index,
            codeCell: k + 1,
            kind: "error",
            message: errorText(r.outputs, r.error?.evalue, r.error?.traceback),
          };
        }
      } catch (e) {
        if (!(e instanceof KernelError)) throw e;
        recordTiming(cell, started);
        failure = {
          cellIndex: index,
          codeCell: k + 1,
          kind: e.kind === "timeout" ? "timeout" : "died",
          message: e.message,
        };
      }
    }
  } finally {
    await kernel.shutdown();
  }
  const seconds = (Date.now() - t0) / 1000;
  o.onProgress?.(codeCells.length, codeCells.length, seconds);
  executed.metadata = { ...executed.metadata, rds: { mode: o.mode, seed: o.seed, parameters } };
  return { name, file, seconds, verdicts, failure, executed };
}

/**
 * Records when a code cell ran, in the keys JupyterLab writes with its "record timing" setting
 * (`metadata.execution`: the request and the reply as ISO 8601 times; the kernel's own busy/idle
 * messages are not timed separately here), so that JupyterLab shows each executed cell's time and
 * `cellSeconds` can read it back.
 */
function recordTiming(cell: NbCell, started: string): void {
  const ended = new Date().toISOString();
  cell.metadata = {
    ...cell.metadata,
    execution: {
      "iopub.status.busy": started,
      "iopub.execute_input": started,
      "shell.execute_reply": ended,
      "iopub.status.idle": ended,
    },
  };
}

/** nbformat stores text as lists of lines; keep JSON data as objects. */
function normaliseOutput(o: NbOutput): NbOutput {
  if (o.output_type === "stream") return { ...o, text: toLines(String(o.text)) };
  if (o.output_type === "display_data" || o.output_type === "execute_result") {
    const data: Record<string, unknown> = {};
    for (const [mime, v] of Object.entries(o.data as Record<string, unknown>)) {
      data[mime] = typeof v === "string" && !mime.endsWith("json") ? toLines(v) : v;
    }
    return { ...o, data };
  }
  return o;
}
