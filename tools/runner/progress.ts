// Progress lines of `npm run reproduce`.

/**
 * Progress on stderr: on a terminal one line rewritten in place; otherwise a line when a notebook
 * starts and ends and a heartbeat at least every 10 s (notebook, cell, elapsed), so that a log
 * never goes silent. `fail(cell)` names the cell that failed.
 */
export function progress(i: number, n: number, name: string, write: (s: string) => void = (s) => process.stderr.write(s), tty = process.stderr.isTTY) {
  let last = "";
  let cur = { cell: 0, cells: 0, t0: Date.now(), at: 0 };
  const line = (elapsed: number) => `[${i}/${n}] ${name}: cell ${cur.cell}/${cur.cells}, ${elapsed.toFixed(1)} s`;
  const emit = (msg: string) => {
    if (tty) write(`\r${msg.padEnd(last.length)}`);
    else write(`${msg}\n`);
    last = msg;
  };
  const timer = tty ? undefined : setInterval(() => emit(line((Date.now() - cur.t0) / 1000 + cur.at) + " (running)"), 10_000);
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
