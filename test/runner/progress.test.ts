import { test, mock } from "node:test";
import assert from "node:assert/strict";
import { ProgressBoard, boardLine } from "../../tools/runner/progress";

/** A terminal's screen as far as the board uses it: text, CR, LF (as CR LF, as a tty's output does), cursor up, erase line, erase below. */
class Screen {
  lines: string[][] = [[]];
  row = 0;
  col = 0;
  columns: number;
  constructor(columns = 100) {
    this.columns = columns;
  }
  write(s: string): void {
    for (let k = 0; k < s.length; k++) {
      const ch = s[k];
      if (ch === "\x1b") {
        // eslint-disable-next-line no-control-regex -- strips ANSI colour codes (ESC [ … m)
        const m = /^\x1b\[(\d*)([A-Za-z])/.exec(s.slice(k));
        if (!m) throw new Error(`unknown escape at ${JSON.stringify(s.slice(k, k + 6))}`);
        const n = m[1] === "" ? 1 : Number(m[1]);
        if (m[2] === "A") this.row = Math.max(0, this.row - n);
        else if (m[2] === "K") this.lines[this.row] = [];
        else if (m[2] === "J") {
          this.lines[this.row] = (this.lines[this.row] ?? []).slice(0, this.col);
          this.lines.length = this.row + 1;
        } else throw new Error(`unexpected escape ${m[0]}`);
        k += m[0].length - 1;
      } else if (ch === "\r") this.col = 0;
      else if (ch === "\n") {
        this.row++;
        this.col = 0;
        this.lines[this.row] ??= [];
      } else {
        const line = (this.lines[this.row] ??= []);
        line[this.col++] = ch;
      }
    }
  }
  text(): string[] {
    const out = this.lines.map((l) =>
      Array.from(l, (c) => c ?? " ")
        .join("")
        .trimEnd(),
    );
    while (out.length && out[out.length - 1] === "") out.pop();
    return out;
  }
}

test("on a terminal: one live line per running notebook, messages above them, a closing line per notebook", () => {
  mock.timers.enable({ apis: ["setInterval", "Date"], now: 0 });
  try {
    const screen = new Screen();
    const board = new ProgressBoard(screen, 250);
    const a = board.start(1, 16, "01-first");
    const b = board.start(2, 16, "02-second");
    a.update(1, 4, 0);
    b.update(1, 8, 0);
    mock.timers.tick(1000);
    a.update(3, 4, 1.0);
    b.update(2, 8, 1.0);
    mock.timers.tick(2250); // the lines tick on their own: elapsed time grows between updates
    let shown = screen.text();
    assert.equal(shown.length, 2, shown.join("\n"));
    assert.match(shown[0], /^\[1\/16\] 01-first {3}████████░░░░░░░░ {2}cell 3\/4 +3\.3 s$/);
    assert.match(shown[1], /^\[2\/16\] 02-second {2}██░░░░░░░░░░░░░░ {2}cell 2\/8 +3\.3 s$/);

    board.note("[3/16] 03-third: reused from cache");
    shown = screen.text();
    assert.equal(shown[0], "[3/16] 03-third: reused from cache");
    assert.equal(shown.length, 3, "the message goes above the two live lines");
    a.stop();
    shown = screen.text();
    assert.equal(shown[1], "[1/16] 01-first: 4 cells, 3.3 s");
    assert.equal(shown.length, 3, "the second notebook's live line stays below");
    assert.match(shown[2], /^\[2\/16\] 02-second /);

    b.fail(5, 8, "error");
    b.stop();
    board.close();
    shown = screen.text();
    assert.deepEqual(shown, [
      "[3/16] 03-third: reused from cache",
      "[1/16] 01-first: 4 cells, 3.3 s",
      "[2/16] 02-second: cell 5/8 FAILED (error)",
    ]);
  } finally {
    mock.timers.reset();
  }
});

test("a live line never wraps: it is cut to the terminal's width", () => {
  const line = boardLine(
    { i: 1, n: 1, name: "a-notebook-with-a-very-long-name-indeed", cell: 2, cells: 4, t0: 0, at: 0 },
    1000,
    40,
  );
  assert.ok([...line].length <= 39, line);
  assert.ok(line.endsWith("…"));
});
