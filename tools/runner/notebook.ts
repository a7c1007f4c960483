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
