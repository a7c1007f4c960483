import { loadMnist } from "../../lib/nn/mnist";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
for (const pool of [4, 2]) {
const d = loadMnist({ perDigit: 863, pool, normalise: "center" });
const P = d.pixels, n = d.n;
const C = new Matrix(P, P);
for (let i = 0; i < P; i++) for (let j = 0; j <= i; j++) { let s = 0; for (let b = 0; b < n; b++) s += d.images[b * P + i] * d.images[b * P + j]; C.set(i, j, s / n); C.set(j, i, s / n); }
const e = new EigenvalueDecomposition(C).realEigenvalues.sort((a, b) => b - a);
console.log(pool, P, e.slice(0, 20).map((v) => v.toExponential(2)).join(" "));
console.log(e.slice(20).filter((_, i) => i % 5 === 0).map((v) => v.toExponential(1)).join(" "));
}
