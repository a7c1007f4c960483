import type { StreamSeed } from "../random/stream";
import { buildModel, ModelSpec, modelSpec } from "../models/spec";
import type { ResidualModel } from "../models/residual-model";
import { Factorization } from "../models/factorization";
import { Stream } from "../random/stream";
import { projectOntoMinima } from "../manifold/minima";
import { descend, RunStatus } from "./descent";
import { parallelMap, PoolOptions, task } from "../parallel/pool";
import { requireInteger, requirePositive } from "../util/validate";
import { requireBatchSize, requireStep } from "../util/validate";

/**
 * Ensembles of GD / SGD runs from random initialisations, one pure task per run so that
 * lib/parallel spreads them over cores with identical results for any number of workers.
 *
 * Initialisations (all with a density that is positive everywhere, i.e. equivalent to Lebesgue
 * measure, as the theorems assume):
 * - "gaussian": x₀ = center + scale·ξ, ξ ~ N(0, I).
 * - "curve" (factorisation model only): a uniformly random branch and τ₀ ~ U(−tauMax, tauMax),
 *   x₀ = x(τ₀) + eps·ξ: starts near M, so that every part of the curve is reached (used to locate
 *   the edge of the support, see notebook 05).
 */
export type Init =
  { kind: "gaussian"; scale: number; center?: number[] } | { kind: "curve"; tauMax: number; eps: number };

/**
 * One GD/SGD run as a worker-task input: the model as plain data, the run's settings and its stream
 * (seed, index).
 */
export interface RunInput {
  model: ModelSpec;
  eta: number;
  /** Minibatch size (default N: GD). */
  batch?: number;
  init: Init;
  maxSteps?: number;
  lossTol?: number;
  confirmSteps?: number;
  /** How convergence is confirmed (descend's `confirm`, default "linearized"). */
  confirm?: "linearized" | "kick";
  /** Stream family: a root seed or a `Stream.path(seed, name)`; run i draws from `new Stream(seed, index)`. */
  seed: StreamSeed;
  index: number;
}

/** What one run of `descentEnsemble` records: status, steps and, when converged, the projected limit. */
export interface RunRecord {
  status: RunStatus;
  steps: number;
  loss: number;
  x0: number[];
  /** Final iterate. */
  x: number[];
  /** The limit on M (projection of x) when converged. */
  limit?: number[];
}

function initialPoint(m: ResidualModel, init: Init, s: Stream): Float64Array {
  if (init.kind === "gaussian") {
    requirePositive("init.scale", init.scale);
    const x = s.fillNormal(new Float64Array(m.dim));
    for (let j = 0; j < m.dim; j++) x[j] = (init.center?.[j] ?? 0) + init.scale * x[j];
    return x;
  }
  if (!(m instanceof Factorization)) throw new TypeError('init "curve" is defined for the factorisation model only');
  const branch = s.uniform() < 0.5 ? 1 : -1;
  const tau = (2 * s.uniform() - 1) * init.tauMax;
  const x = m.pointAt(tau, branch);
  x[0] += init.eps * s.normal();
  x[1] += init.eps * s.normal();
  return x;
}

/** One run: draw x₀ from the run's stream (seed, index), then GD/SGD with minibatches from the same stream. */
export function descentRun(o: RunInput): RunRecord {
  const m = buildModel(o.model);
  const s = new Stream(o.seed, o.index);
  const x0 = initialPoint(m, o.init, s);
  const r = descend(m, x0, {
    eta: o.eta,
    batch: o.batch,
    stream: s,
    maxSteps: o.maxSteps,
    lossTol: o.lossTol,
    confirmSteps: o.confirmSteps,
    confirm: o.confirm,
  });
  const rec: RunRecord = { status: r.status, steps: r.steps, loss: r.loss, x0: Array.from(x0), x: Array.from(r.x) };
  if (r.status === "converged") rec.limit = Array.from(projectOntoMinima(m, r.x).x);
  return rec;
}

/** Options of `descentEnsemble`: the settings shared by every run, and the number of runs. */
export interface EnsembleOptions extends Omit<RunInput, "model" | "index"> {
  /** Number of runs. */
  runs: number;
  /** Index of the first run's stream (default 0); runs use consecutive indices. */
  firstIndex?: number;
}

/**
 * What `descentEnsemble` returns: the runs' records and the counts of converged, diverged and capped
 * runs.
 */
export interface EnsembleSummary {
  records: RunRecord[];
  converged: number;
  diverged: number;
  capped: number;
}

/** Run an ensemble on worker threads (PoolOptions.workers; default: all cores). */
export async function descentEnsemble(
  model: ResidualModel,
  o: EnsembleOptions,
  pool: PoolOptions = {},
): Promise<EnsembleSummary> {
  requireStep(o.eta);
  if (o.batch !== undefined) requireBatchSize(model.n, o.batch);
  requireInteger("runs", o.runs, 1);
  const spec = modelSpec(model);
  const { runs, firstIndex, ...rest } = o;
  const inputs: RunInput[] = Array.from({ length: runs }, (_, i) => ({
    ...rest,
    model: spec,
    index: (firstIndex ?? 0) + i,
  }));
  const records = await parallelMap(descentTask, inputs, pool);
  const count = (st: RunStatus) => records.filter((r) => r.status === st).length;
  return { records, converged: count("converged"), diverged: count("diverged"), capped: count("capped") };
}

/** Worker-task handle of `descentRun`. */
export const descentTask = task("optim/ensemble", descentRun);
