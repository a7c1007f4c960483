import { test } from "node:test";
import assert from "node:assert/strict";
import { cellSeconds, type Notebook } from "../../tools/runner/notebook";

test("cellSeconds: each timed code cell's reply minus its request, numbered among the code cells; untimed cells are left out", () => {
  const timed = (from: string, to: string) => ({
    execution: { "iopub.execute_input": from, "shell.execute_reply": to },
  });
  const nb: Notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: "markdown", metadata: timed("2026-12-07T10:00:00.000Z", "2026-12-07T11:00:00.000Z"), source: "" },
      { cell_type: "code", metadata: timed("2026-12-07T10:00:00.000Z", "2026-12-07T10:00:01.500Z"), source: "" },
      { cell_type: "code", metadata: {}, source: "" },
      { cell_type: "code", metadata: { execution: { "iopub.execute_input": "2026-12-07T10:00:02.000Z" } }, source: "" },
      { cell_type: "code", metadata: timed("2026-12-07T10:00:02.000Z", "2026-12-07T10:00:02.250Z"), source: "" },
    ],
  };
  assert.deepEqual(cellSeconds(nb), [
    { cell: 1, seconds: 1.5 },
    { cell: 4, seconds: 0.25 },
  ]);
});
