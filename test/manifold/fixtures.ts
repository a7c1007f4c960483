import assert from "node:assert/strict";
import { TanhMlp } from "../../lib/models";
import { projectOntoMinima } from "../../lib/manifold";
import { descend } from "../../lib/optim";
import { Stream } from "../../lib/random";

/** A global minimum of a D = 61, N = 12 tanh MLP, found by GD and projected onto M. */
export function mlpMinimum(): { m: TanhMlp; x: Float64Array } {
  const m = TanhMlp.teacherStudent(new Stream(3, 0), { inputs: 3, hidden: 12, samples: 12 });
  const x0 = new Stream(6, 0).fillNormal(new Float64Array(m.dim));
  const run = descend(m, x0, { eta: 0.05, maxSteps: 200_000 });
  assert.equal(run.status, "converged");
  return { m, x: projectOntoMinima(m, run.x).x };
}
