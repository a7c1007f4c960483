import { UsageError } from "../cli/args";
import * as fs from "fs";
import type { NbOutput } from "./kernel";

/** The parts of an nbformat-4 notebook the runner reads and writes. */
export interface NbCell {
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  metadata: Record<string, unknown>;
  outputs?: NbOutput[];
  execution_count?: number | null;
  [k: string]: unknown;
}

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: NbCell[];
}

/** A problem with the user's input: the CLI prints it on one line and exits 2 (tools/cli/args). */
export { UsageError };

export function cellSource(cell: NbCell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/**
 * Seconds each executed code cell took, from the timing keys of its `metadata.execution` (written
 * by the runner, or by JupyterLab with "record timing" on): `{ cell, seconds }` with `cell` the
 * code cell's ordinal (1-based, as the progress line counts), for the code cells that carry both
 * times; an unexecuted cell or one without timing is left out.
 */
export function cellSeconds(nb: Notebook): { cell: number; seconds: number }[] {
  const out: { cell: number; seconds: number }[] = [];
  nb.cells
    .filter((c) => c.cell_type === "code")
    .forEach((c, k) => {
      const e = c.metadata?.execution as Record<string, unknown> | undefined;
      const t0 = Date.parse(String(e?.["iopub.execute_input"])),
        t1 = Date.parse(String(e?.["shell.execute_reply"]));
      if (Number.isFinite(t0) && Number.isFinite(t1)) out.push({ cell: k + 1, seconds: (t1 - t0) / 1000 });
    });
  return out;
}

/** Read and check a notebook file; a UsageError says what is wrong and how to fix it. */
export function readNotebook(file: string): Notebook {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  let nb: Notebook;
  try {
    nb = JSON.parse(text);
  } catch (e) {
    throw new UsageError(
      `${file} is not valid JSON (${(e as Error).message}); open it in Jupyter and save it again, or restore it from git`,
    );
  }
  if (typeof nb !== "object" || nb === null || !Array.isArray(nb.cells) || nb.nbformat !== 4) {
    throw new UsageError(`${file} is not an nbformat-4 notebook (expected "nbformat": 4 and a "cells" array)`);
  }
  nb.cells.forEach((c, i) => {
    if (
      !c ||
      !["code", "markdown", "raw"].includes(c.cell_type) ||
      (typeof c.source !== "string" && !Array.isArray(c.source))
    ) {
      throw new UsageError(`${file}: cell ${i} has no valid cell_type/source`);
    }
  });
  return nb;
}

/** Split text into nbformat's list-of-lines form (each line keeps its "\n"). */
export function toLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === "" ? [] : lines;
}
