// One notebook run, shared by `npm run reproduce` and its falsification run: reuse from the cache
// or execute in a fresh kernel, add static figure images, write the executed notebook.
import * as fs from "fs";
import * as path from "path";
import { executeNotebook, NotebookRun } from "./execute";
import type { RunOptions } from "./options";
import { progress, ProgressBoard } from "./progress";
import { cacheKey, NotebookCache } from "./cache";
import { PROJECT_ROOT } from "../kernel/spec";
import { addStaticImages, chromiumPath, figureOutputs, FigureRenderer } from "../figures/static";
import type { Notebook } from "./notebook";

/** Static figure images for the run: one Chromium for all notebooks, opened on first use; skipped with one notice when Chromium is missing. */
function staticImageMaker(note: (text: string) => void) {
  let renderer: Promise<FigureRenderer> | undefined;
  let skipped = false;
  return {
    async add(nb: Notebook): Promise<void> {
      if (skipped || figureOutputs(nb).length === 0) return;
      if (!chromiumPath()) {
        skipped = true;
        note(
          "static figure images skipped: no Chromium (apt-get install chromium, or set CHROMIUM_PATH); figures stay interactive only",
        );
        return;
      }
      renderer ??= FigureRenderer.open();
      await addStaticImages(nb, await renderer);
    },
    async close(): Promise<void> {
      if (renderer) await (await renderer).close();
    },
  };
}

/** What one notebook execution needs besides its file: the shared cache, figures and progress style. */
export interface RunContext {
  o: RunOptions;
  cache: NotebookCache;
  /** On a terminal: one live line per running notebook. Otherwise (a log) each notebook's heartbeat lines. */
  board?: ProgressBoard;
  /** Prints a message on stderr (above the live lines on a terminal). */
  note: (text: string) => void;
  /** Adds static figure images to an executed notebook, one notebook at a time (one Chromium page). */
  addImages: (nb: Notebook) => Promise<void>;
}

/**
 * Run one notebook with the given parameter overrides, or reuse it from the cache: the executed
 * notebook goes to `notebooksDir/label.ipynb`, a failing cell is reported on stderr. Shared by the
 * normal run and the falsification run (tools/runner/falsify).
 */
export async function runNotebook(
  ctx: RunContext,
  file: string,
  parameters: RunOptions["parameters"],
  label: string,
  i: number,
  n: number,
  notebooksDir: string,
): Promise<NotebookRun> {
  const { o, cache } = ctx;
  const { key } = cacheKey({
    notebookFile: file,
    root: PROJECT_ROOT,
    mode: o.mode,
    seed: o.seed,
    params: { kernel: o.kernelArgv ?? null, parameters },
  });
  const hit = o.cache ? cache.get(key) : undefined;
  let r: NotebookRun;
  if (hit) {
    r = { ...hit, file, cached: true };
    ctx.note(
      `[${i + 1}/${n}] ${label}: reused from cache (unchanged notebook, lib/ files, lockfile, seed and mode; it ran in ${hit.seconds.toFixed(1)} s)`,
    );
  } else {
    const p = ctx.board ? ctx.board.start(i + 1, n, label) : progress(i + 1, n, label, undefined, false);
    try {
      r = await executeNotebook(file, {
        mode: o.mode,
        seed: o.seed,
        parameters,
        cellTimeoutMs: o.cellTimeoutMs,
        kernelArgv: o.kernelArgv,
        onProgress: (c, m, t) => p.update(c, m, t),
      });
      if (r.failure)
        p.fail(r.failure.codeCell, r.executed.cells.filter((c) => c.cell_type === "code").length, r.failure.kind);
    } finally {
      p.stop();
    }
  }
  if (o.figures) await ctx.addImages(r.executed);
  if (!hit && o.cache) cache.put(key, r);
  fs.mkdirSync(notebooksDir, { recursive: true });
  fs.writeFileSync(path.join(notebooksDir, `${label}.ipynb`), JSON.stringify(r.executed, null, 1) + "\n");
  if (r.failure) {
    ctx.note(
      `\nFAILED ${label}.ipynb, cell ${r.failure.cellIndex} (code cell ${r.failure.codeCell}/${r.executed.cells.filter((c) => c.cell_type === "code").length}): ${r.failure.kind}:\n${r.failure.message}\n\n`,
    );
  }
  return r;
}

/** The context of a run: the cache under OUT/cache and one Chromium for the static figure images. */
export function runContext(o: RunOptions): RunContext & { close: () => Promise<void> } {
  const board = process.stderr.isTTY ? new ProgressBoard(process.stderr) : undefined;
  const note = board
    ? (text: string) => board.note(text)
    : (text: string) => void process.stderr.write(text.endsWith("\n") ? text : text + "\n");
  const staticImages = staticImageMaker(note);
  let images = Promise.resolve(); // one Chromium page: figures are rendered one notebook at a time
  return {
    o,
    cache: new NotebookCache(path.join(o.outDir, "cache")),
    board,
    note,
    addImages: (nb) => (images = images.then(() => staticImages.add(nb))),
    close: async () => {
      board?.close();
      await staticImages.close();
    },
  };
}
