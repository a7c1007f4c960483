// The sharpness (largest Hessian eigenvalue) of a small MLP, with the installed package (CommonJS):
// Lanczos on exact Hessian-vector products, then the same curvature measured again through a pool
// of worker threads that load the package's data-parallel task.
const {
  mlpInit,
  mlpObjective,
  lanczosTop,
  DataParallelObjective,
  mlpShardConfig,
  mlpShardTask,
} = require("rds-solvers/nn");
const { Stream } = require("rds-solvers/random");

async function main() {
  /** @type {import("rds-solvers/nn").MlpSpec} */
  const spec = { widths: [2, 16, 1], activations: ["tanh", "identity"] };
  const N = 64;
  const data = Stream.named(1, "example/mlp-data");
  const inputs = Float64Array.from({ length: 2 * N }, () => data.normal());
  const targets = Float64Array.from({ length: N }, (_, i) => Math.sin(inputs[2 * i]) * Math.cos(inputs[2 * i + 1]));
  const theta = mlpInit(spec, Stream.named(1, "example/mlp-init"));

  const objective = mlpObjective(spec, { inputs, targets });
  const hvp = (v, out) => out.set(objective.evaluate(theta, v).hvp);
  const top = lanczosTop(hvp, objective.dim, { k: 1, stream: Stream.named(1, "example/lanczos") });
  const sharpness = top.eigenvalues[0];
  console.log(
    `MLP [${spec.widths.join(", ")}] (${objective.dim} parameters), mean squared error ${objective.evaluate(theta).loss.toFixed(4)} on ${N} points`,
  );
  console.log(
    `sharpness by Lanczos on HVPs: λ_max = ${sharpness.toFixed(6)} (residual bound ${top.residuals[0].toExponential(1)}, ${top.steps} HVPs); GD is stable below η = 2/λ_max = ${(2 / sharpness).toFixed(4)}`,
  );

  // The Rayleigh quotient of the top Ritz vector, its HVP computed by two worker threads.
  const pool = await DataParallelObjective.open(mlpShardTask, mlpShardConfig(spec, { inputs, targets }), {
    workers: 2,
    chunk: 16,
  });
  try {
    const y = top.vectors[0];
    const { hvp: hy } = await pool.evaluate(
      theta,
      Int32Array.from({ length: N }, (_, i) => i),
      y,
    );
    if (!hy) throw new Error("evaluate returned no HVP for a direction");
    let rayleigh = 0;
    for (let i = 0; i < y.length; i++) rayleigh += y[i] * hy[i];
    console.log(`the same curvature from ${pool.workers} worker threads: yᵀHy = ${rayleigh.toFixed(6)}`);
    if (!(Math.abs(rayleigh - sharpness) <= top.residuals[0] + 1e-9 * sharpness)) {
      console.error("the workers' curvature disagrees with Lanczos");
      process.exitCode = 1;
    }
  } finally {
    await pool.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
