import { Stream } from "../../lib/random";
import { rbmRegulatedSpectrum, trainRbmToFixedPoint, modeWeightFractions } from "../../lib/models";
import { sampleCovariance } from "../../lib/stats";
import { loadMnist } from "../../lib/nn/mnist";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
const d = loadMnist({ perDigit: 863, pool: 4 });
const P = d.pixels;
const C = sampleCovariance(d.images, d.n, P);
const e = new EigenvalueDecomposition(new Matrix(Array.from({ length: P }, (_, i) => Array.from(C.subarray(i * P, (i + 1) * P)))));
const vals = e.realEigenvalues, vecs = e.eigenvectorMatrix;
const kappa = vals.map((v) => (v > 1e-12 * vals[vals.length - 1] ? 1 / v : Infinity));
const basis = new Float64Array(P * P); for (let i = 0; i < P; i++) for (let k = 0; k < P; k++) basis[i * P + k] = vecs.get(i, k);
const mu2 = Number(process.argv[2] ?? 100);
for (const H of [4, 16, 49]) {
  const t = Date.now();
  const pred = rbmRegulatedSpectrum(kappa, mu2, H);
  const run = trainRbmToFixedPoint({ covariance: C, visible: P, hidden: H, mu2, alpha: Number(process.argv[3] ?? 0.1), stream: new Stream(1, H), block: 100, maxSteps: 20000});
  const x = run.rbm.spectrum();
  const err = Math.max(...Array.from(x, (v, i) => Math.abs(v - pred.x[i])));
  const f = modeWeightFractions(run.rbm.w, P, H, basis);
  const fIn = Array.from(pred.learned).reduce((a, k) => a + f[k], 0);
  console.log(H, "learnable", pred.learnable, run.steps, run.converged, err.toExponential(2), run.levelRemainder.toExponential(2), run.weightRemainder.toExponential(2), run.contraction.toFixed(5), "1-f_in", (1 - fIn).toExponential(2), Date.now() - t, "ms", pred.ambiguous);
}
