// The models of notebook 09 (teacher–student SGD, the Gaussian RBM), notebook 16's full-batch RBM step against ml-matrix,
// and Dyson's eigenvalue SDE.
import { Matrix, CholeskyDecomposition } from "ml-matrix";
import { Stream, goe } from "../../lib/random";
import {
  teacherStudentData,
  TeacherStudentSgd,
  GaussianRbm,
  latticeFieldData,
  ExactGradientRbm,
} from "../../lib/models";
import { DysonEigenvalueSde, quadraticPotential } from "../../lib/rmt";
import { bench } from "./harness";
import type { BenchContext } from "./harness";

/** Runs this file's benchmarks into ctx (see the comment at the top). */
export function run(ctx: BenchContext): void {
  {
    const d = teacherStudentData({
      inputs: 8,
      outputs: 8,
      samples: 256,
      target: [0.5, 0.5, 1, 1, 1.5, 1.5, 2, 2],
      noise: 0.5,
      stream: new Stream(11, 0),
    });
    const ts = new TeacherStudentSgd(d, 0.01, 4, new Stream(11, 1)),
      steps = 1 << 16;
    ctx.results.push(bench("teacher–student SGD step, 8×8, |B| = 4", "steps/s", steps, () => ts.run(steps)));
    const rbm = new GaussianRbm({
      visible: 10,
      hidden: 10,
      mu2: 8,
      data: latticeFieldData(10, 1, 1000, new Stream(11, 2)),
      alpha: 0.01,
      batch: 16,
      stream: new Stream(11, 3),
      initScale: 1,
    });
    ctx.results.push(bench("Gaussian RBM PCD update, 10×10, |B| = 16", "steps/s", 1 << 13, () => rbm.run(1 << 13)));
    // Notebook 16's full-batch RBM step at its MNIST size (49 visible, 16 hidden), against the same
    // step written with ml-matrix (products, and the Cholesky solve of K = μ²I − WWᵀ).
    {
      const V = 49,
        H = 16,
        mu2 = 100,
        alpha = 0.15,
        cov = goe(new Stream(11, 5), V).map((v, k) => (k % (V + 1) === 0 ? 0.05 : 0) + 1e-3 * v);
      const mine = new ExactGradientRbm({
        covariance: cov,
        visible: V,
        hidden: H,
        mu2,
        alpha,
        stream: new Stream(11, 6),
      });
      const steps = 200;
      const hand = bench("RBM full-batch step, 49×16 (ExactGradientRbm)", "steps/s", steps, () => mine.run(steps));
      const C = new Matrix(Array.from({ length: V }, (_, i) => Array.from(cov.subarray(i * V, (i + 1) * V))));
      let W = new Matrix(Array.from({ length: V }, (_, i) => Array.from(mine.w.subarray(i * H, (i + 1) * H))));
      const ml = bench(
        "RBM full-batch step, 49×16, ml-matrix (reference)",
        "steps/s",
        steps,
        () => {
          for (let t = 0; t < steps; t++) {
            const K = Matrix.eye(V).mul(mu2).sub(W.mmul(W.transpose()));
            const G = C.mmul(W).sub(new CholeskyDecomposition(K).solve(W));
            W = W.add(G.mul(alpha));
          }
        },
        3,
      );
      ctx.results.push(ml, hand);
      console.log(
        `RBM full-batch step 49×16: ExactGradientRbm ${(1e6 / hand.rate).toFixed(0)} µs = ${(hand.rate / ml.rate).toFixed(1)}× the same step in ml-matrix`,
      );
    }
    const sde = new DysonEigenvalueSde(4, quadraticPotential(2, 1), 0.08),
      x = Float64Array.of(0.85, 0.95, 1.05, 1.15);
    ctx.results.push(
      bench("Dyson eigenvalue SDE step (implicit repulsion), n = 4", "steps/s", 1 << 16, () =>
        sde.run(x, new Stream(11, 4), 0.005, 1 << 16),
      ),
    );
  }
}
