// Progress lines of `npm run reproduce`.

/** The progress of one running notebook, as the runner reports it. */
export interface NotebookProgress {
  /** `cell` of `cells` code cells has started; `elapsed` seconds since the notebook started. */
  update(cell: number, cells: number, elapsed: number): void;
  /** The notebook stopped at `cell` (a cell error, a timeout, the kernel died). */
  fail(cell: number, cells: number, kind: string): void;
  /** The notebook is done (after `fail`, or when it finished). */
  stop(): void;
}

/**
 * Progress on stderr when stderr is not a terminal (a CI log, a file): a line when a notebook
 * starts and ends, and a heartbeat at least every 10 s (notebook, cell, elapsed), so that a log
 * never goes silent. With `tty`, the one line is rewritten in place instead (kept for callers that
 * show one notebook; the runner uses `ProgressBoard` on a terminal). `fail(cell)` names the cell that failed.
 */
export function progress(
  i: number,
  n: number,
  name: string,
  write: (s: string) => void = (s) => process.stderr.write(s),
  tty = process.stderr.isTTY,
): NotebookProgress {
  let last = "";
  let cur = { cell: 0, cells: 0, t0: Date.now(), at: 0 };
  const line = (elapsed: number) => `[${i}/${n}] ${name}: cell ${cur.cell}/${cur.cells}, ${elapsed.toFixed(1)} s`;
  const emit = (msg: string) => {
    if (tty) write(`\r${msg.padEnd(last.length)}`);
    else write(`${msg}\n`);
    last = msg;
  };
  const timer = tty
    ? undefined
    : setInterval(() => emit(line((Date.now() - cur.t0) / 1000 + cur.at) + " (running)"), 10_000);
  timer?.unref();
  return {
    update(cell: number, cells: number, elapsed: number) {
      cur = { cell, cells, t0: Date.now(), at: elapsed };
      if (tty || cell === cells || cell === 1) emit(line(elapsed));
    },
    fail(cell: number, cells: number, kind: string) {
      emit(`[${i}/${n}] ${name}: cell ${cell}/${cells} FAILED (${kind})`);
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}

/** What the board writes to: stderr, or a test's stand-in. */
export interface TerminalLike {
  write(s: string): unknown;
  columns?: number;
}

interface Row {
  i: number;
  n: number;
  name: string;
  cell: number;
  cells: number;
  t0: number;
  at: number;
}

const BAR = 16;

/** One live line: `[3/17] 03-feller-test-on-z  ██████░░░░░░░░░░  cell 3/8   12.4 s`, the name padded to `nameWidth` so that the bars line up. */
export function boardLine(r: Row, now: number, width: number, nameWidth = 0): string {
  const elapsed = r.cell > 0 ? (now - r.t0) / 1000 + r.at : (now - r.t0) / 1000;
  const filled = r.cells > 0 ? Math.round((BAR * Math.max(0, r.cell - 1)) / r.cells) : 0;
  const bar = "█".repeat(filled) + "░".repeat(BAR - filled);
  const cell = r.cells > 0 ? `cell ${r.cell}/${r.cells}` : "starting";
  const line = `[${r.i}/${r.n}] ${r.name.padEnd(nameWidth)}  ${bar}  ${cell}  ${elapsed.toFixed(1).padStart(6)} s`;
  // Never wrap: a wrapped line would throw off the cursor arithmetic of the redraw.
  return [...line].length > width - 1 ? [...line].slice(0, Math.max(10, width - 2)).join("") + "…" : line;
}

/**
 * Progress on a terminal for any number of notebooks at once: one live line per running notebook
 * (a bar of its cells, the cell, the elapsed time), kept together at the bottom and redrawn in place
 * every `refreshMs` (default 250) and on every update. Anything else the run prints goes through
 * `note`, above the live lines; a notebook that ends leaves one line there (its cells and time at
 * `stop`, or the cell that failed at `fail`, which comes first).
 */
export class ProgressBoard {
  private readonly rows = new Map<number, Row>();
  private drawn = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly out: TerminalLike = process.stderr,
    private readonly refreshMs = 250,
  ) {}

  /** The progress of notebook `i` of `n` (1-based), shown from now on. */
  start(i: number, n: number, name: string): NotebookProgress {
    const key = i;
    this.rows.set(key, { i, n, name, cell: 0, cells: 0, t0: Date.now(), at: 0 });
    this.ensureTimer();
    this.redraw();
    return {
      update: (cell, cells, elapsed) => {
        const r = this.rows.get(key);
        if (!r) return;
        Object.assign(r, { cell, cells, t0: Date.now(), at: elapsed });
        this.redraw();
      },
      fail: (cell, cells, kind) => this.end(key, `[${i}/${n}] ${name}: cell ${cell}/${cells} FAILED (${kind})`),
      stop: () => {
        const r = this.rows.get(key);
        if (r)
          this.end(key, `[${i}/${n}] ${name}: ${r.cells} cells, ${((Date.now() - r.t0) / 1000 + r.at).toFixed(1)} s`);
      },
    };
  }

  /** Prints a line (or lines) above the live ones. */
  note(text: string): void {
    this.clear();
    this.out.write(text.endsWith("\n") ? text : text + "\n");
    this.draw();
  }

  /** Stops the refresh; the live lines that remain are cleared. */
  close(): void {
    this.rows.clear();
    this.clear();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private end(key: number, line?: string): void {
    if (!this.rows.delete(key)) return;
    if (line) this.note(line);
    else this.redraw();
    if (this.rows.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private ensureTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.redraw(), this.refreshMs);
    this.timer.unref?.();
  }

  /** Erases the live lines: up to the first, clear to the end of the screen. */
  private clear(): void {
    if (this.drawn > 0) this.out.write(`\x1b[${this.drawn}A\r\x1b[J`);
    this.drawn = 0;
  }

  private draw(): void {
    const width = this.out.columns ?? 100;
    const now = Date.now();
    const rows = [...this.rows.values()].sort((a, b) => a.i - b.i);
    const nameWidth = Math.max(...rows.map((r) => `[${r.i}/${r.n}] ${r.name}`.length));
    const lines = rows.map((r) => boardLine(r, now, width, nameWidth - `[${r.i}/${r.n}] `.length));
    if (lines.length) this.out.write(lines.map((l) => `\x1b[2K${l}\n`).join(""));
    this.drawn = lines.length;
  }

  private redraw(): void {
    this.clear();
    this.draw();
  }
}
