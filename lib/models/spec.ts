import { Factorization } from "./factorization";
import { TanhMlp } from "./mlp";
import type { ResidualModel } from "./residual-model";

/**
 * A model as plain data, so that it can be sent to worker threads (lib/parallel) and rebuilt there.
 */
export type ModelSpec =
  | { kind: "factorization"; y: number[]; c: number }
  | { kind: "mlp"; inputs: number; hidden: number; data: number[]; targets: number[] };

/**
 * The plain-data description of a Factorization or TanhMlp (the models workers can rebuild).
 * Errors: a TypeError for any other model.
 */
export function modelSpec(m: ResidualModel): ModelSpec {
  if (m instanceof Factorization) return { kind: "factorization", y: Array.from(m.y), c: m.c };
  if (m instanceof TanhMlp)
    return {
      kind: "mlp",
      inputs: m.inputs,
      hidden: m.hidden,
      data: Array.from(m.data),
      targets: Array.from(m.targets),
    };
  throw new TypeError("modelSpec: only Factorization and TanhMlp models can be sent to workers");
}

/**
 * Rebuilds the model described by a `ModelSpec` (inside a worker). Errors: a TypeError for an unknown
 * kind.
 */
export function buildModel(s: ModelSpec): ResidualModel {
  switch (s.kind) {
    case "factorization":
      return new Factorization(s.y, s.c);
    case "mlp":
      return new TanhMlp(s.inputs, s.hidden, Float64Array.from(s.data), Float64Array.from(s.targets));
    default:
      throw new TypeError(`unknown model kind ${JSON.stringify((s as { kind: unknown }).kind)}`);
  }
}
