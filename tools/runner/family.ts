// The run's family-wise error: how many stochastic verdicts a run made, the sum of their levels
// (Bonferroni's bound on the chance that a run with every claim true fails somewhere), and the
// negative controls' plug-in chance of missing their alternative. See lib/params.
//
// A verdict with a named alternative fails in two ways when its claim is true: the measurement
// strays past the tolerance (its level, in the Bonferroni sum), or the alternative is not rejected
// (1 − power). The promise that a run with every claim true fails at most FAMILY_ERROR of the time
// needs both; the second is estimated by the plug-in power (the measured distance taken as the
// true one), and a run whose estimate exceeds the promise is marked underpowered.
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
  /** Σ (1 − plug-in power) over the controls: the estimated chance that some alternative is not rejected. */
  missSum: number;
  /** bound + missSum: the plug-in estimate of P(a false failure anywhere | every claim true). */
  falseFailure: number;
  /** The controls that spend most of missSum, largest first (at most five), as "notebook id". */
  weakest: { verdict: string; power: number }[];
  /** True when falseFailure exceeds familyError: some alternatives are too close for the promise. */
  underpowered: boolean;
  /** True when the run made more stochastic verdicts than the budget: the promise does not hold. */
  overBudget: boolean;
}

/** A verdict and the notebook it came from. */
export interface NotebookVerdicts {
  name: string;
  verdicts: Verdict[];
}

/**
 * The run's family-wise error from its notebooks' verdicts: the Bonferroni bound, the plug-in
 * chance of missing an alternative, and the weakest controls (see the comment at the top).
 */
export function familySummary(notebooks: NotebookVerdicts[]): FamilySummary {
  const verdicts = notebooks.flatMap((n) => n.verdicts);
  const stochastic = verdicts.filter((v) => v.stochastic);
  const bound = stochastic.reduce((s, v) => s + (v.level ?? 0), 0);
  const controls = verdicts.filter((v) => v.alternative !== undefined);
  const powers = controls.map((v) => v.power).filter((p): p is number => p !== undefined);
  const missSum = powers.reduce((s, p) => s + (1 - p), 0);
  const weakest = notebooks
    .flatMap((n) =>
      n.verdicts.filter((v) => v.power !== undefined).map((v) => ({ verdict: `${n.name} ${v.id}`, power: v.power! })),
    )
    .filter((w) => w.power < 1)
    .sort((a, b) => a.power - b.power)
    .slice(0, 5);
  return {
    familyError: FAMILY_ERROR,
    verdictLevel: VERDICT_LEVEL,
    budget: STOCHASTIC_VERDICT_BUDGET,
    stochastic: stochastic.length,
    bound,
    controls: controls.length,
    minPower: powers.length ? Math.min(...powers) : null,
    missSum,
    falseFailure: bound + missSum,
    weakest,
    underpowered: bound + missSum > FAMILY_ERROR,
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
  lines.push(
    `plug-in P(a false failure anywhere) including missed alternatives: ${f.bound.toPrecision(2)} + Σ(1 − power) ${f.missSum.toPrecision(2)} = ${f.falseFailure.toPrecision(2)}` +
      (f.underpowered
        ? ` > ${f.familyError}: UNDERPOWERED. Weakest alternatives: ${f.weakest.map((w) => `${w.verdict} (power ${w.power.toPrecision(3)})`).join(", ")}.`
        : ` ≤ ${f.familyError}.`),
  );
  if (f.overBudget)
    lines.push(
      `OVER BUDGET: raise STOCHASTIC_VERDICT_BUDGET in lib/params.ts to at least ${f.stochastic}; until then the ${f.familyError} promise does not hold.`,
    );
  return lines.join("\n");
}
