// tsx tools/runner/check-executed.ts FILE.ipynb ...: check notebooks executed by another front end
// (e.g. `jupyter nbconvert --execute`): no error output, and a verdict table whose verdicts pass.
// Exit 0 when all pass, 1 when not, 2 when a file cannot be read.
import { readNotebook, UsageError } from "./notebook";
import { collectVerdicts } from "./collect";

let failed = 0;
for (const file of process.argv.slice(2)) {
  try {
    const nb = readNotebook(file);
    const outputs = nb.cells.flatMap((c) => c.outputs ?? []);
    const errors = outputs.filter(
      (o) => o.output_type === "error" || (o.output_type === "stream" && o.name === "stderr"),
    );
    const verdicts = collectVerdicts(outputs);
    const bad = verdicts.filter((v) => !v.pass);
    const ok = errors.length === 0 && verdicts.length > 0 && bad.length === 0;
    if (!ok) failed++;
    console.log(
      `${ok ? "PASS" : "FAIL"}  ${file}: ${verdicts.length - bad.length}/${verdicts.length} verdicts pass, ${errors.length} error output(s)${bad.length ? `; failing: ${bad.map((v) => v.id).join(", ")}` : ""}`,
    );
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`check-executed: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
}
if (process.argv.length < 3) {
  console.error("usage: tsx tools/runner/check-executed.ts FILE.ipynb ...");
  process.exit(2);
}
process.exit(failed ? 1 : 0);
