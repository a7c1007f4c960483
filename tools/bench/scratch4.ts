import { Stream } from "../../lib/random";
import { latticeModes, latticeFieldData, GaussianRbm, rbmRegulatedSpectrum, trainRbmToFixedPoint, modeWeightFractions } from "../../lib/models";
import { sampleCovariance } from "../../lib/stats";
const N = 8, m2 = 1;
const modes = latticeModes(N, m2);
const data = latticeFieldData(N, m2, 4096, new Stream(3, 0));
const C = sampleCovariance(data, 4096, N, false);
for (const [mu2, H] of [[8, 8], [8, 5], [8, 3], [8, 1], [3.7, 8], [3.7, 3]]) {
  const t = Date.now();
  const pred = rbmRegulatedSpectrum(modes.kappa, mu2, H);
  const run = trainRbmToFixedPoint({ covariance: C, visible: N, hidden: H, mu2, alpha: 0.05, stream: new Stream(1, H), block: 50, maxSteps: 40000 });
  const x = run.rbm.spectrum();
  const err = Math.max(...Array.from(x, (v, i) => Math.abs(v - pred.x[i])));
  const f = modeWeightFractions(run.rbm.w, N, H, modes.basis);
  const fIn = Array.from(pred.learned).reduce((a, k) => a + f[k], 0);
  console.log(mu2, H, run.steps, run.converged, err.toExponential(2), run.levelRemainder.toExponential(2), run.contraction.toFixed(4), "f_in", (1 - fIn).toExponential(2), Date.now() - t, "ms", pred.ambiguous);
}
// PCD
for (const [mu2, H] of [[8, 3], [3.7, 8]]) {
  const t = Date.now();
  const pred = rbmRegulatedSpectrum(modes.kappa, mu2, H);
  for (let r = 0; r < 3; r++) {
    const rbm = new GaussianRbm({ visible: N, hidden: H, mu2, data, alpha: 0.01, batch: 32, stream: new Stream(2, r) });
    rbm.run(10000);
    const f = modeWeightFractions(rbm.w, N, H, modes.basis);
    const fIn = Array.from(pred.learned).reduce((a, k) => a + f[k], 0);
    console.log("pcd", mu2, H, Array.from(rbm.spectrum(), (v) => v.toFixed(3)).join(" "), "pred", Array.from(pred.x, (v) => v.toFixed(3)).join(" "), "1-f_in", (1 - fIn).toExponential(2));
  }
  console.log(Date.now() - t, "ms");
}
