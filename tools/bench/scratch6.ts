import { Stream } from "../../lib/random";
import { rbmRegulatedSpectrum, ExactGradientRbm } from "../../lib/models";
import { sampleCovariance } from "../../lib/stats";
import { loadMnist } from "../../lib/nn/mnist";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
const d = loadMnist({ perDigit: 863, pool: 4 });
const P = d.pixels;
const C = sampleCovariance(d.images, d.n, P);
const e = new EigenvalueDecomposition(new Matrix(Array.from({ length: P }, (_, i) => Array.from(C.subarray(i * P, (i + 1) * P)))));
const vals = e.realEigenvalues;
const kappa = vals.map((v) => (v > 1e-12 * vals[vals.length - 1] ? 1 / v : Infinity));
const H = 16, mu2 = 100;
const pred = rbmRegulatedSpectrum(kappa, mu2, H);
const rbm = new ExactGradientRbm({ covariance: C, visible: P, hidden: H, mu2, alpha: 0.15, stream: new Stream(1, H) });
for (let b = 0; b < 8; b++) { rbm.run(5000); const x = rbm.spectrum(); console.log(rbm.steps, Array.from(x, (v, i) => (v - pred.x[i]).toExponential(1)).join(" ")); }
console.log(Array.from(pred.x, (v) => v.toFixed(2)).join(" "));
