import { test } from "node:test";
import assert from "node:assert/strict";
import path from "path";
import { spawnSync } from "child_process";
import { openWorkerGang, gangCounterTask } from "../../lib/parallel";

test("a worker gang runs every item exactly once per job on any number of threads, and reports an item's error with its number", async () => {
  for (const workers of [1, 2, 3]) {
    const counts = new SharedArrayBuffer(4 * 50);
    const gang = await openWorkerGang(gangCounterTask, { counts }, { workers });
    try {
      for (let job = 0; job < 20; job++) gang.run(50, job);
      const c = new Int32Array(counts);
      assert.ok(
        c.every((x) => x === 210),
        `${workers} workers: ${Array.from(c).join(",")}`,
      ); // Σ_{j<20} (j + 1)
      assert.throws(
        () => gang.run(10, 99),
        /gang task gangCounter failed on item 3 \(job 99\): RangeError: item 3 refuses job 99/,
      );
      gang.run(50, 0); // still usable
      assert.ok(new Int32Array(counts).slice(10).every((x) => x === 211));
      // a thrown value with no string form, on whichever thread takes item 3: reported, and the gang goes on
      for (let r = 0; r < 20; r++)
        assert.throws(
          () => gang.run(10, 98),
          /gang task gangCounter failed on item 3 \(job 98\): an error that cannot be turned into text/,
        );
      gang.run(50, 0);
      // the item count and the job kind travel through Int32 words: values that do not fit are refused
      assert.throws(() => gang.run(1, 2 ** 31), /job must be an integer in \[0, 2147483647\]/);
      assert.throws(() => gang.run(2 ** 31, 0), /items must be an integer in \[0, /);
      assert.throws(() => gang.run(1.5, 0), RangeError);
    } finally {
      await gang.close();
    }
    assert.throws(() => gang.run(1), /closed/);
  }
});

// A helper that wakes after this thread has done a job alone must not join the next job with the
// previous one's item count and kind. Before the odd "closed" generation it did: 200 000 tiny jobs
// stalled the gang within seconds (a hang, hence a child process with a time limit) or took items
// of the wrong kind.
test("a worker gang stays exact through 200 000 tiny jobs of alternating sizes and kinds, where helpers wake late (2 and 3 threads; a child process, so a stall fails instead of hanging)", () => {
  for (const workers of [2, 3]) {
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", path.join(__dirname, "gang-stress.ts"), `${workers}`, "200000"],
      {
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    assert.equal(r.error, undefined, `${workers} threads: ${r.error?.message} (the gang stalled)`);
    assert.equal(r.status, 0, r.stderr);
    const { counts, expected } = JSON.parse(r.stdout) as { counts: number[]; expected: number[] };
    assert.deepEqual(counts, expected, `${workers} threads`);
  }
});
