import { writeFileSync } from "node:fs";
import { Stream } from "../../lib/random";
import { parallelMap } from "../../lib/parallel";
import { runBlocks, rbmTask, rbmRuns, latticeModes } from "../../lib/models";
const seed = Number(process.argv[2] ?? 5), runs = Number(process.argv[3] ?? 150);
const rbmSpec = { sites: 10, mass2: 1, mu2: 8, samples: 4096, dataSeed: 3 };
async function main() {
const t0 = Date.now();
const parent = rbmRuns({ spec: rbmSpec, alpha: 0.01, batch: 32, steps: 15_000, seed: Stream.path(seed, "09/rbm/parent"), first: 0, count: 1, keepWeights: true });
console.log("parent", Date.now() - t0);
const out: any[] = [];
for (const alpha of [0.005, 0.01, 0.02]) for (const batch of [32, 64]) {
  const base = { spec: rbmSpec, alpha, batch, steps: Math.round(12 / alpha), seed: Stream.path(seed, `09/rbm/alpha=${alpha}/b=${batch}`), initWeights: parent.weights![0] };
  const spectra = (await parallelMap(rbmTask, runBlocks(base, runs, { size: 10 }))).flatMap((b) => b.spectra);
  out.push({ alpha, batch, spectra });
  console.log(alpha, batch, Date.now() - t0);
}
const modes = latticeModes(rbmSpec.sites, rbmSpec.mass2);
writeFileSync(`/tmp/wall/rbm-${seed}-${runs}.json`, JSON.stringify({ kappa: Array.from(modes.kappa), grid: out }));
}
main();
