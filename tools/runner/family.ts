// The run's family-wise error: how many stochastic verdicts a run made, the sum of their levels
// (Bonferroni's bound on the chance that a run with every claim true fails somewhere), and the
// negative controls' plug-in chance of missing their alternative. See lib/params.
import { FAMILY_ERROR, STOCHASTIC_VERDICT_BUDGET, VERDICT_LEVEL } from "../../lib/params";
import type { Verdict } from "../../lib/verdict/verdict";

export interface FamilySummary {
  /** The family-wise error the run promises (lib/params). */
  familyError: number;
  /** The per-verdict level, FAMILY_ERROR / budget. */
  verdictLevel: number;
  budget: number;
  /** Stochastic verdicts this run made. */
  stochastic: number;
  /** Σ level over the stochastic verdicts: Bonferroni's bound on a false failure anywhere in the run. */
  bound: number;
  /** Verdicts that reject a named alternative (negative controls and agree-with-alternative). */
  controls: number;
  /** Of those, the smallest plug-in power, where one is computed. */
  minPower: number | null;
  /** True when the run made more stochastic verdicts than the budget: the promise does not hold. */
  overBudget: boolean;
}

export function familySummary(verdicts: Verdict[]): FamilySummary {
  const stochastic = verdicts.filter((v) => v.stochastic);
  const bound = stochastic.reduce((s, v) => s + (v.level ?? 0), 0);
  const controls = verdicts.filter((v) => v.alternative !== undefined);
  const powers = controls.map((v) => v.power).filter((p): p is number => p !== undefined);
  return {
    familyError: FAMILY_ERROR,
    verdictLevel: VERDICT_LEVEL,
    budget: STOCHASTIC_VERDICT_BUDGET,
    stochastic: stochastic.length,
    bound,
    controls: controls.length,
    minPower: powers.length ? Math.min(...powers) : null,
    overBudget: stochastic.length > STOCHASTIC_VERDICT_BUDGET,
  };
}

/** One paragraph for the terminal and the site. */
export function familyText(f: FamilySummary): string {
  const lines = [
    `family-wise error: ${f.stochastic} stochastic verdict(s), each at level ${f.verdictLevel.toPrecision(2)} (Bonferroni: ${f.familyError} over a budget of ${f.budget}); ` +
      `P(a false failure anywhere | every claim true) ≤ ${f.bound.toPrecision(2)}.`,
    `negative controls: ${f.controls} verdict(s) reject a named wrong alternative` +
      (f.minPower === null ? "." : `; smallest plug-in power ${f.minPower.toPrecision(4)}.`),
  ];
  if (f.overBudget)
    lines.push(
      `OVER BUDGET: raise STOCHASTIC_VERDICT_BUDGET in lib/params.ts to at least ${f.stochastic}; until then the ${f.familyError} promise does not hold.`,
    );
  return lines.join("\n");
}
