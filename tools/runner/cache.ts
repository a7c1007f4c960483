// A cache of executed notebooks, in the manner of jupyter-cache (Jupyter Book): a notebook is
// re-executed only when something it depends on changed. The key is a hash of
//   - the notebook file,
//   - every lib/ file it loads, transitively: static imports and re-exports, require(), and the
//     modules that worker tasks name ({ module: "rqf/tasks", ... } is lib/rqf/tasks.ts),
//   - package-lock.json (the versions of every dependency),
//   - the run's mode, seed and parameters,
//   - CACHE_FORMAT (bumped when the runner's output format changes).
// A cached entry is the executed notebook with its outputs, verdicts and time, under
// OUT/cache/<key>.json. Failed runs are never cached.
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { NotebookRun } from "./execute";
import { cellSource, readNotebook } from "./notebook";

/** Bump when what the runner writes into an executed notebook changes (e.g. static images; 3: each code cell's timing). */
export const CACHE_FORMAT = 3;

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']+)["']/gm;
// a worker task's module: { module: "rqf/tasks", ... } or task("rqf/tasks", fn)
const TASK_MODULE = /(?:\bmodule\s*:\s*|\btask\(\s*)\\?["']([a-z0-9][a-z0-9/_-]*)\\?["']/gi;

function resolveTs(fromDir: string, spec: string): string | undefined {
  const base = path.resolve(fromDir, spec);
  for (const f of [base, `${base}.ts`, path.join(base, "index.ts")])
    if (fs.existsSync(f) && fs.statSync(f).isFile()) return f;
  return undefined;
}

/**
 * The project files a notebook depends on: every file under `root` reached from its code cells
 * (which import "./lib/…" relative to the kernel's working directory, the project root) by
 * relative imports, require() calls and worker-task module names, sorted.
 */
export function notebookDependencies(notebookFile: string, root: string): string[] {
  const nb = readNotebook(notebookFile);
  const code = nb.cells
    .filter((c) => c.cell_type === "code")
    .map(cellSource)
    .join("\n");
  const seen = new Set<string>();
  const queue: string[] = [];
  const visit = (text: string, dir: string) => {
    for (const m of text.matchAll(IMPORT)) {
      const f = resolveTs(dir, m[1]);
      if (f && f.startsWith(root + path.sep) && !seen.has(f)) {
        seen.add(f);
        queue.push(f);
      }
    }
    for (const m of text.matchAll(TASK_MODULE)) {
      const f = resolveTs(path.join(root, "lib"), `./${m[1]}`);
      if (f && !seen.has(f)) {
        seen.add(f);
        queue.push(f);
      }
    }
  };
  visit(code, root);
  while (queue.length) {
    const f = queue.shift()!;
    visit(fs.readFileSync(f, "utf8"), path.dirname(f));
  }
  return [...seen].sort();
}

export interface CacheKeyInput {
  notebookFile: string;
  root: string;
  mode: string;
  seed: number;
  params?: Record<string, unknown>;
}

/** The cache key of one notebook run (hex sha-256), and the files it covers. */
export function cacheKey(o: CacheKeyInput): { key: string; files: string[] } {
  const h = createHash("sha256");
  h.update(JSON.stringify({ format: CACHE_FORMAT, mode: o.mode, seed: o.seed, params: o.params ?? {} }));
  const files = [o.notebookFile, ...notebookDependencies(o.notebookFile, o.root)];
  const lock = path.join(o.root, "package-lock.json");
  if (fs.existsSync(lock)) files.push(lock);
  for (const f of files) h.update("\0" + path.relative(o.root, f) + "\0").update(fs.readFileSync(f));
  return { key: h.digest("hex"), files };
}

type Cached = Omit<NotebookRun, "file">;

export class NotebookCache {
  constructor(readonly dir: string) {}

  get(key: string): Cached | undefined {
    const f = path.join(this.dir, `${key}.json`);
    if (!fs.existsSync(f)) return undefined;
    try {
      return JSON.parse(fs.readFileSync(f, "utf8")) as Cached;
    } catch {
      return undefined; // a torn or foreign file is a miss
    }
  }

  /** Store a run without a failing cell; written atomically (a temp file, then a rename). */
  put(key: string, run: NotebookRun): void {
    if (run.failure) return;
    fs.mkdirSync(this.dir, { recursive: true });
    const f = path.join(this.dir, `${key}.json`);
    const tmp = `${f}.${process.pid}.tmp`;
    const { file: _file, ...rest } = run;
    fs.writeFileSync(tmp, JSON.stringify(rest));
    fs.renameSync(tmp, f);
  }
}
