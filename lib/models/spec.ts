import { Factorization } from "./factorization";
import { TanhMlp } from "./mlp";
import type { ResidualModel } from "./residual-model";

/**
 * A model as plain data, so that it can be sent to worker threads (lib/parallel) and rebuilt there.
 */
export type ModelSpec =
  | { kind: "factorization"; y: number[]; c: number }
  | { kind: "mlp"; inputs: number; hidden: number; data: number[]; targets: number[] };

export function modelSpec(m: ResidualModel): ModelSpec {
  if (m instanceof Factorization) return { kind: "factorization", y: Array.from(m.y), c: m.c };
  if (m instanceof TanhMlp) return { kind: "mlp", inputs: m.inputs, hidden: m.hidden, data: Array.from(m.data), targets: Array.from(m.targets) };
  throw new TypeError("modelSpec: only Factorization and TanhMlp models can be sent to workers");
}

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
