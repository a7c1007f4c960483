/**
 * A child process of test/parallel/gang.test.ts: runs `jobs` tiny gang jobs (1 to 3 items, job kinds
 * 0 to 4, so helpers often wake after this thread has finished a job alone) on `workers` threads and
 * prints the per-item sums and the sums expected, as JSON. Run alone: tsx test/parallel/gang-stress.ts 2 200000.
 */
import { openWorkerGang, gangCounterTask } from "../../lib/parallel";

async function main(): Promise<void> {
  const workers = Number(process.argv[2]),
    jobs = Number(process.argv[3]);
  const counts = new SharedArrayBuffer(4 * 3);
  const expected = [0, 0, 0];
  const gang = await openWorkerGang(gangCounterTask, { counts }, { workers });
  try {
    for (let n = 0; n < jobs; n++) {
      const items = 1 + (n % 3),
        job = n % 5;
      gang.run(items, job);
      for (let i = 0; i < items; i++) expected[i] += job + 1;
    }
  } finally {
    await gang.close();
  }
  process.stdout.write(JSON.stringify({ counts: Array.from(new Int32Array(counts)), expected }));
}

void main();
