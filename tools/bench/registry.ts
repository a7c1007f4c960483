// The benchmarks of `npm run bench`, one file per concept, in the order they run. A new bench: a
// file exporting run(ctx) (tools/bench/harness.ts's BenchContext), and a row here.
import type { BenchContext } from "./harness";
import * as normals from "./normals";
import * as qrLyapunov from "./qr-lyapunov";
import * as sde from "./sde";
import * as sdeSteppers from "./sde-steppers";
import * as rqf from "./rqf";
import * as mlp from "./mlp";
import * as matmul from "./matmul";
import * as attentionNoise from "./attention-noise";
import * as attention from "./attention";
import * as gptGradient from "./gpt-gradient";
import * as gelu from "./gelu";
import * as networkLyapunov from "./network-lyapunov";
import * as eigenvalues from "./eigenvalues";
import * as rbmModels from "./rbm-models";
import * as descend from "./descend";
import * as ensembles from "./ensembles";
import * as dataParallel from "./data-parallel";
import * as gptTrain from "./gpt-train";
import { tangentBench } from "./tangent";

/** One benchmark: its name (for `npm run bench -- NAME…`), what it measures, and its runner. */
export interface BenchEntry {
  name: string;
  about: string;
  run: (ctx: BenchContext) => void | Promise<void>;
}

/** Every benchmark, in the order `npm run bench` runs them. */
export const BENCHES: BenchEntry[] = [
  { name: "normals", about: "Gaussian and uniform draws (the ziggurat)", run: normals.run },
  { name: "qr-lyapunov", about: "the QR step of Lyapunov spectra", run: qrLyapunov.run },
  { name: "sde", about: "Heun steps of a scalar SDE", run: sde.run },
  {
    name: "sde-steppers",
    about: "each specialised SDE stepper against the generic integrator on the same problem",
    run: sdeSteppers.run,
  },
  { name: "rqf", about: "the RQF flow and tangent flow, specialised against generic", run: rqf.run },
  { name: "mlp", about: "the tape on MLPs (D = 51, MNIST D = 7690) and Aᵀ·G", run: mlp.run },
  { name: "matmul", about: "the float64 matmul kernel at 256³", run: matmul.run },
  {
    name: "attention-noise",
    about: "notebook 14's attention with common noise, random layers",
    run: attentionNoise.run,
  },
  {
    name: "attention",
    about: "the tape's causal attention as one op against the composed primitives (grokking's sizes)",
    run: attention.run,
  },
  {
    name: "gpt-gradient",
    about: "the talk's GPT gradient: float32, float64, JS loops, tape; where the time goes",
    run: gptGradient.run,
  },
  { name: "gelu", about: "the GELU series against erfc, and in WebAssembly", run: gelu.run },
  { name: "network-lyapunov", about: "Lyapunov exponents of SGD/GD on tanh networks", run: networkLyapunov.run },
  { name: "eigenvalues", about: "symmetric eigenvalues against ml-matrix and LAPACK", run: eigenvalues.run },
  { name: "rbm-models", about: "notebook 09's and 16's models, Dyson's eigenvalue SDE", run: rbmModels.run },
  { name: "descend", about: "descend's linearised confirmation against the kick", run: descend.run },
  { name: "ensembles", about: "GD and RBM ensembles, one worker against all cores", run: ensembles.run },
  {
    name: "data-parallel",
    about: "data-parallel gradient + HVP (MNIST MLP, a small char GPT), one worker against all cores",
    run: dataParallel.run,
  },
  {
    name: "tangent",
    about:
      "k Hessian-vector products in one k-tangent sweep against k sweeps, PyTorch, and 1 against 2 threads (issue 35)",
    run: async () => void (await tangentBench()),
  },
  {
    name: "gpt-train",
    about: "the talk's training run: float32 against float64, 1 against all workers, against PyTorch",
    run: gptTrain.run,
  },
];
