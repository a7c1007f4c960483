import { formatNumber } from "../format/number";
import { zForConfidence, normalQuantile, normalCdf } from "../stats/normal";
import { studentTQuantile, studentTCdf } from "../stats/student-t";
import { chiSquareSurvival } from "../stats/chi-square";
import type { KsResult } from "../stats/ks";
import { edgeBracket, type EndpointInterval } from "../stats/endpoint";
import { requireFinite, requireNonNegative, requireInRange } from "../util/validate";
import { VERDICT_LEVEL } from "../params";
import type { Estimate } from "../stats/estimate";

/**
 * What a verdict shows, kept apart in every table and count:
 * - `claim`: a statement of a source, measured;
 * - `derived`: the project's own derivation (a formula the notebook derives), measured;
 * - `check`: an identity of the implementation (numerics against a closed form of the same
 *   computation, a property built in by construction). A check confirms the code, never a claim;
 *   most checks live in the unit tests, and a notebook shows one only where the reader needs it.
 * A `claim` or `derived` verdict must be able to fail: `npm run reproduce -- --falsify` runs each
 * notebook in its falsified settings (its parameters cell) and requires every such verdict to fail.
 */
export type VerdictKind = "claim" | "derived" | "check";

/** The kinds, in the order tables list them. */
export const VERDICT_KINDS: readonly VerdictKind[] = ["claim", "derived", "check"];

/** The fields every verdict constructor takes. */
export interface VerdictBase {
  /** Short stable identifier, unique within a notebook, e.g. "lyapunov-top". */
  id: string;
  /** The claim in words. */
  claim: string;
  /** What the verdict shows (required): a source's claim, our derivation, or a check of the code. */
  kind: VerdictKind;
}

/** The `kind` field of a constructor's options, validated, for spreading into the verdict. */
function kindOf(o: { id: string; kind?: VerdictKind }): { kind: VerdictKind } {
  if (o.kind === undefined)
    throw new RangeError(`${o.id}: every verdict says what it shows: kind must be one of ${VERDICT_KINDS.join(", ")}`);
  if (!VERDICT_KINDS.includes(o.kind))
    throw new RangeError(`${o.id}: kind must be one of ${VERDICT_KINDS.join(", ")}, got "${o.kind}"`);
  return { kind: o.kind };
}

/**
 * A verdict: one claim of a notebook checked against a measurement.
 *
 * The tolerance of every check is derived from the measurement's own uncertainty (a standard
 * error, a confidence level, a rounding-error bound), never chosen to make the check pass.
 * Each constructor below states the rule by which `pass` is decided.
 */
export interface Verdict {
  /** Short stable identifier, unique within a notebook, e.g. "lyapunov-top". */
  id: string;
  /** The claim in words. */
  claim: string;
  /** What the verdict shows: a source's claim, our derivation, or a check of the code (VerdictKind). */
  kind?: VerdictKind;
  /**
   * Set for a band verdict (`band`): the range a source states, which the measurement must fall
   * in. A band's width is the source's, not a statistical tolerance, so it reports no level.
   */
  band?: { lo: number; hi: number; source: string };
  /** The prediction, formatted for the table. */
  prediction: string;
  /** The measurement, formatted. */
  measurement: string;
  /** The measurement's uncertainty and the rule that turns it into a tolerance, formatted. */
  uncertainty: string;
  pass: boolean;
  /**
   * True when pass/fail depends on sampling noise. Such a verdict fails by chance, when its claim
   * is true, with probability at most `level`; the runner adds these up over the run (family-wise
   * error, lib/params). Deterministic checks (rounding bounds, classifications) are not stochastic.
   */
  stochastic: boolean;
  /** The chance of a false failure of a stochastic verdict (its significance level). */
  level?: number;
  /** How far the measurement is from the pass/fail line, e.g. "1.2σ ≤ 3.9σ" or "p = 0.31 ≥ 1e-4". */
  margin?: string;
  /** The wrong alternative the verdict rejects (a negative control), by name. */
  alternative?: string;
  /**
   * For a verdict that rejects an alternative: the plug-in power, the probability that a repeat of
   * the measurement would reject it too (the distance measured taken as the true one).
   */
  power?: number;
  /** Numeric values, when the claim is numeric (for machine-readable reports). */
  predicted?: number;
  measured?: number;
  tolerance?: number;
}

/**
 * Default confidence level of a two-sided agreement check: 1 − VERDICT_LEVEL = 1 − 1e-4 (z ≈ 3.89),
 * the Bonferroni share of the run's family-wise error (lib/params).
 */
export const DEFAULT_CONFIDENCE = 1 - VERDICT_LEVEL;

/**
 * The measurement an `agree` or `reject` verdict tests: either `measured` with its statistical
 * standard error `standardError`, or the same as one `Estimate` (`estimate: meanWithError(x)`,
 * `estimate: richardson(coarse, fine)`), whose `value` is the measurement and `se` its standard
 * error. Give one form, not both.
 */
export type Measurement =
  | {
      measured: number;
      /** Statistical standard error of `measured`. */
      standardError: number;
      estimate?: undefined;
    }
  | {
      /** The measurement and its statistical standard error. */
      estimate: Estimate;
      measured?: undefined;
      standardError?: undefined;
    };

/** Options of `agree` and `reject`: the prediction and the `Measurement`, with these settings. */
export type AgreeOptions = AgreeSettings & Measurement;

/** The settings of `agree` and `reject` besides the measurement (`AgreeOptions`). */
export interface AgreeSettings extends VerdictBase {
  predicted: number;
  /**
   * A bound on systematic error (discretisation bias, finite time), combined in quadrature with
   * the standard error. Default 0.
   */
  systematic?: number;
  /** Two-sided confidence level; the tolerance is z·√(se² + sys²). Default 0.999. */
  confidence?: number;
  /**
   * Degrees of freedom of the standard error when it is estimated from few replicates (n − 1):
   * the multiplier is then Student's t quantile instead of the normal z. Omit for large samples.
   */
  dof?: number;
  /** Label for the prediction, e.g. "a + σ²(d−2)/2". */
  predictionLabel?: string;
  /**
   * A named wrong alternative (agree only): the verdict then also requires that the alternative
   * be rejected at the same tolerance, and reports the power of that rejection.
   */
  alternative?: { value: number; label: string };
}

/** P(|X| > z) for X = d + noise, noise standard normal (or Student t with dof): the plug-in power of a rejection at distance d (in σ). */
function rejectionPower(d: number, z: number, dof?: number): number {
  const cdf = (x: number) => (dof === undefined ? normalCdf(x) : studentTCdf(x, dof));
  return cdf(d - z) + cdf(-d - z);
}

function sigmaText(x: number): string {
  return `${formatNumber(x, 2)}σ`;
}

/** `AgreeOptions` with the measurement as `measured` and `standardError`, whichever form it came in. */
type Measured = AgreeSettings & { measured: number; standardError: number };

function measuredOf(o: AgreeOptions): Measured {
  const id = o.id;
  if (o.estimate === undefined) {
    if (o.measured === undefined || o.standardError === undefined)
      throw new TypeError(`verdict '${id}': give measured and standardError, or estimate`);
    // a cast, not narrowing: tslab compiles lib/ without strictNullChecks, where it does not narrow
    return o as Measured;
  }
  if (o.measured !== undefined || o.standardError !== undefined)
    throw new TypeError(`verdict '${id}': give estimate or measured and standardError, not both`);
  return { ...o, measured: o.estimate.value, standardError: o.estimate.se };
}

function tolerance(o: Measured): { tol: number; z: number; sigma: number } {
  requireFinite("predicted", o.predicted);
  requireFinite("measured", o.measured);
  requireNonNegative("standardError", o.standardError);
  requireNonNegative("systematic", o.systematic ?? 0);
  const confidence = o.confidence ?? DEFAULT_CONFIDENCE;
  requireInRange("confidence", confidence, 0, 1, "a confidence level in (0, 1)");
  if (o.dof !== undefined && !(o.dof >= 1)) throw new RangeError(`dof must be >= 1, got ${o.dof}`);
  const z = o.dof === undefined ? zForConfidence(confidence) : studentTQuantile(0.5 + confidence / 2, o.dof);
  const sigma = Math.hypot(o.standardError, o.systematic ?? 0);
  return { tol: z * sigma, z, sigma };
}

function uncertaintyText(o: Measured, tol: number, z: number): string {
  const parts = [`se ${formatNumber(o.standardError, 2)}`];
  if (o.systematic) parts.push(`sys ${formatNumber(o.systematic, 2)}`);
  const conf = (o.confidence ?? DEFAULT_CONFIDENCE) * 100;
  const mult = o.dof === undefined ? `z=${formatNumber(z, 3)}` : `t${o.dof}=${formatNumber(z, 3)}`;
  return `${parts.join(", ")}; ±${formatNumber(tol, 2)} at ${formatNumber(conf, 4)}% (${mult})`;
}

/**
 * Pass when |measured − predicted| ≤ z·√(se² + sys²): the measurement agrees with the prediction.
 * The measurement is `measured` with `standardError`, or one `estimate` (`Measurement`).
 * @throws RangeError for a non-finite prediction or measurement, a negative error or a confidence
 *   outside (0, 1); TypeError when the measurement is given in both forms or in neither
 */
export function agree(options: AgreeOptions): Verdict {
  const o = measuredOf(options);
  const { tol, z, sigma } = tolerance(o);
  const level = 1 - (o.confidence ?? DEFAULT_CONFIDENCE);
  const v: Verdict = {
    id: o.id,
    ...kindOf(o),
    claim: o.claim,
    prediction: (o.predictionLabel ? `${o.predictionLabel} = ` : "") + formatNumber(o.predicted, 5),
    measurement: formatNumber(o.measured, 5),
    uncertainty: uncertaintyText(o, tol, z),
    pass: Math.abs(o.measured - o.predicted) <= tol,
    stochastic: true,
    level,
    margin: sigma > 0 ? `${sigmaText(Math.abs(o.measured - o.predicted) / sigma)} ≤ ${sigmaText(z)}` : undefined,
    predicted: o.predicted,
    measured: o.measured,
    tolerance: tol,
  };
  if (o.alternative) {
    requireFinite("alternative.value", o.alternative.value);
    const d = sigma > 0 ? Math.abs(o.measured - o.alternative.value) / sigma : Infinity;
    v.alternative = `${o.alternative.label} = ${formatNumber(o.alternative.value, 5)}`;
    v.power = rejectionPower(d, z, o.dof);
    v.margin += `; ${o.alternative.label} at ${sigmaText(d)}`;
    v.pass = v.pass && Math.abs(o.measured - o.alternative.value) > tol;
  }
  return v;
}

/**
 * Pass when |measured − predicted| > z·√(se² + sys²): the measurement rejects the (wrong)
 * prediction. Used to show that a competing formula, e.g. another stochastic calculus convention,
 * is excluded by the same data at the same confidence.
 */
export function reject(options: AgreeOptions): Verdict {
  const o = measuredOf(options);
  const { tol, z, sigma } = tolerance(o);
  const d = sigma > 0 ? Math.abs(o.measured - o.predicted) / sigma : Infinity;
  const power = rejectionPower(d, z, o.dof);
  return {
    stochastic: true,
    level: 1 - power,
    margin: `${sigmaText(d)} > ${sigmaText(z)}`,
    alternative: (o.predictionLabel ? `${o.predictionLabel} = ` : "") + formatNumber(o.predicted, 5),
    power,
    id: o.id,
    ...kindOf(o),
    claim: o.claim,
    prediction: `≠ ${(o.predictionLabel ? `${o.predictionLabel} = ` : "") + formatNumber(o.predicted, 5)}`,
    measurement: formatNumber(o.measured, 5),
    uncertainty: uncertaintyText(o, tol, z),
    pass: Math.abs(o.measured - o.predicted) > tol,
    predicted: o.predicted,
    measured: o.measured,
    tolerance: tol,
  };
}

/** Options of `atMost` and `exceeds`. */
export interface AtMostOptions extends VerdictBase {
  measured: number;
  /** The bound: the largest value atMost allows, the value exceeds must pass. */
  bound: number;
  /** How the bound is derived, shown in the uncertainty column. */
  boundRule: string;
  predictionLabel?: string;
  /**
   * Set when the bound is a statistical one (a quantile, a confidence bound) rather than a
   * deterministic bound such as accumulated rounding error: the chance that the check fails when
   * the claim is true. The verdict then counts as stochastic.
   */
  level?: number;
  /**
   * The named wrong alternative, with the value it would give: a passing check rejects it. The
   * value must lie on the failing side of the bound; otherwise the check cannot tell the claim from
   * the alternative, and the verdict fails (it says so in its margin).
   */
  alternative?: { value: number; label: string };
}

/** Pass when measured ≤ bound (a deterministic bound such as accumulated rounding error). */
export function atMost(o: AtMostOptions): Verdict {
  return boundCheck(o, o.measured <= o.bound, "≤");
}

/** The options of `exceeds`: the same fields as `atMost`. */
export type ExceedsOptions = AtMostOptions;

/** Pass when measured > bound (the converse of atMost: an effect must be larger than a floor). */
export function exceeds(o: ExceedsOptions): Verdict {
  return boundCheck(o, o.measured > o.bound, ">");
}

function boundCheck(o: AtMostOptions, pass: boolean, relation: string): Verdict {
  requireFinite("measured", o.measured);
  requireFinite("bound", o.bound);
  // An alternative on the passing side of the bound cannot be told apart from the claim: the
  // verdict then fails (never throws), so that a notebook run in a falsified setting, where the
  // alternative is what happens, reaches its verdict table.
  let altPasses = false;
  if (o.alternative) {
    requireFinite("alternative.value", o.alternative.value);
    altPasses = relation === ">" ? o.alternative.value > o.bound : o.alternative.value <= o.bound;
  }
  return {
    ...(altPasses
      ? {
          margin: `the alternative ${o.alternative!.label} = ${formatNumber(o.alternative!.value, 3)} passes the bound too: the check cannot reject it`,
        }
      : {}),
    ...(o.alternative ? { alternative: `${o.alternative.label} = ${formatNumber(o.alternative.value, 3)}` } : {}),
    id: o.id,
    ...kindOf(o),
    claim: o.claim,
    prediction: `${o.predictionLabel ?? relation} ${formatNumber(o.bound, 3)}`,
    measurement: formatNumber(o.measured, 3),
    uncertainty: o.boundRule,
    pass: pass && !altPasses,
    stochastic: o.level !== undefined,
    level: o.level,
    predicted: o.bound,
    measured: o.measured,
    tolerance: 0,
  };
}

/** Options of `ksAccept` and `ksReject`. */
export interface KsVerdictOptions extends VerdictBase {
  result: KsResult;
  /** Significance level: the claim fails when p < alpha. Default VERDICT_LEVEL (1e-4). */
  alpha?: number;
  /** The law tested against, e.g. "N(0,1)". */
  law: string;
  /**
   * A named wrong law and the same sample's KS test against it (ksAccept only): the verdict then
   * also requires that this law be rejected at the same level, and shows its p-value.
   */
  alternative?: { law: string; result: KsResult };
}

/** Pass when a Kolmogorov–Smirnov test does not reject the law at level alpha. */
export function ksAccept(o: KsVerdictOptions): Verdict {
  const alpha = o.alpha ?? VERDICT_LEVEL;
  requireInRange("alpha", alpha, 0, 1);
  return {
    id: o.id,
    ...kindOf(o),
    claim: o.claim,
    prediction: `sample ~ ${o.law}`,
    measurement: `D = ${formatNumber(o.result.statistic, 3)}, p = ${formatNumber(o.result.pValue, 3)}`,
    uncertainty: `KS, n = ${formatNumber(o.result.n, 6)}; reject if p < ${formatNumber(alpha, 2)}`,
    pass: o.result.pValue >= alpha && (!o.alternative || o.alternative.result.pValue < alpha),
    stochastic: true,
    level: alpha,
    margin:
      `p = ${formatNumber(o.result.pValue, 2)} ≥ ${formatNumber(alpha, 2)}` +
      (o.alternative ? `; ${o.alternative.law} at p = ${formatNumber(o.alternative.result.pValue, 2)}` : ""),
    alternative: o.alternative?.law,
    measured: o.result.statistic,
  };
}

/** Pass when a Kolmogorov–Smirnov test rejects a competing (wrong) law at level alpha (p < alpha). */
export function ksReject(o: KsVerdictOptions): Verdict {
  const v = ksAccept({ ...o, alternative: undefined });
  // The power of a KS rejection has no closed form; the margin says by how many decades p is below α.
  return {
    ...v,
    prediction: `sample ≁ ${o.law} (rejected)`,
    pass: !v.pass,
    level: undefined,
    alternative: o.law,
    margin: `p = ${formatNumber(o.result.pValue, 2)} < ${formatNumber(v.level!, 2)}`,
  };
}

/** Options of `chiSquareAccept`. */
export interface ChiSquareVerdictOptions extends VerdictBase {
  /** Standardised residuals (measured − predicted)/standard error of independent measurements. */
  residuals: ArrayLike<number>;
  /** Number of fitted parameters to subtract from the degrees of freedom (default 0). */
  fitted?: number;
  /**
   * Degrees of freedom of each residual's standard error when it is estimated from few
   * replicates. Such a residual follows Student's t, not N(0,1); it is mapped to the normal
   * quantile of the same probability before squaring, so that the χ² test keeps its level.
   */
  dof?: number;
  /** Significance level: the claim fails when p < alpha. Default VERDICT_LEVEL (1e-4). */
  alpha?: number;
  predictionLabel: string;
  /**
   * Set when the model is a competing (wrong) one that the data should exclude: the verdict then
   * passes when p < alpha.
   */
  expectReject?: boolean;
  /**
   * A named wrong model and the same points' standardised residuals from it (accepting verdicts
   * only): the verdict then also requires that this model be excluded at the same level.
   */
  alternative?: { label: string; residuals: ArrayLike<number>; fitted?: number };
}

/**
 * Pass when χ² = Σ r_i² of independent standardised residuals is compatible with the χ²
 * distribution at level alpha: the model describes every point within its uncertainty.
 */
export function chiSquareAccept(o: ChiSquareVerdictOptions): Verdict {
  const alpha = o.alpha ?? VERDICT_LEVEL;
  requireInRange("alpha", alpha, 0, 1);
  if (o.dof !== undefined && !(o.dof >= 1)) throw new RangeError(`dof must be >= 1, got ${o.dof}`);
  let chi2 = 0;
  for (let i = 0; i < o.residuals.length; i++) {
    requireFinite(`residuals[${i}]`, o.residuals[i]);
    const r = o.residuals[i];
    const z = o.dof === undefined ? r : tToNormal(r, o.dof);
    chi2 += z * z;
  }
  const dof = o.residuals.length - (o.fitted ?? 0);
  if (!(dof >= 1)) throw new RangeError(`chiSquareAccept needs at least one degree of freedom, got ${dof}`);
  const p = chiSquareSurvival(chi2, dof);
  const alt =
    o.alternative && !o.expectReject
      ? chiSquareAccept({
          ...o,
          residuals: o.alternative.residuals,
          fitted: o.alternative.fitted,
          alternative: undefined,
          expectReject: true,
          predictionLabel: o.alternative.label,
        })
      : undefined;
  return {
    id: o.id,
    ...kindOf(o),
    claim: o.claim,
    prediction: o.expectReject ? `≠ ${o.predictionLabel}` : o.predictionLabel,
    measurement: `χ² = ${formatNumber(chi2, 4)} on ${dof} dof, p = ${formatNumber(p, 3)}`,
    uncertainty: `standard errors of ${o.residuals.length} independent points; ${o.expectReject ? "excluded" : "rejected"} if p < ${formatNumber(alpha, 2)}`,
    pass: (o.expectReject ? p < alpha : p >= alpha) && (!alt || alt.pass),
    stochastic: true,
    level: o.expectReject ? undefined : alpha,
    margin:
      `p = ${formatNumber(p, 2)} ${o.expectReject ? "<" : "≥"} ${formatNumber(alpha, 2)}` +
      (alt ? `; ${o.alternative!.label} at ${alt.margin!.split(" <")[0]}` : ""),
    alternative: o.expectReject ? o.predictionLabel : o.alternative?.label,
    measured: chi2,
  };
}

/** The normal quantile with the same tail probability as t under Student's t(ν). */
function tToNormal(t: number, nu: number): number {
  // Work in the smaller tail for accuracy, then restore the sign.
  const tail = studentTCdf(-Math.abs(t), nu);
  if (tail <= 0) return Math.sign(t) * 40; // beyond any quantile we can resolve: a decisive outlier
  return -Math.sign(t) * normalQuantile(tail);
}

/** Pass when a categorical result equals the prediction (e.g. a boundary classification). */
export function equals(
  o: VerdictBase & { predicted: string; measured: string; method: string; level?: number; alternative?: string },
): Verdict {
  if (o.alternative !== undefined && o.alternative === o.predicted)
    throw new RangeError(`${o.id}: the alternative equals the prediction`);
  return {
    id: o.id,
    ...kindOf(o),
    claim: o.claim,
    prediction: o.predicted,
    measurement: o.measured,
    uncertainty: o.method,
    pass: o.predicted === o.measured,
    stochastic: o.level !== undefined,
    level: o.level,
    ...(o.alternative !== undefined ? { alternative: o.alternative } : {}),
  };
}

/**
 * The edge of a support: pass when the predicted edge lies in the data's confidence interval
 * [X_(n) − slack, X_(n) + q S̄] for the upper endpoint (stats/endpoint), where `slack` is how far
 * beyond the true edge a finite-time run can still be classified as converged (0 if none). With an
 * `alternative`, the named wrong edge must lie outside the same interval.
 */
export function edgeAgree(
  o: VerdictBase & {
    predicted: number;
    interval: EndpointInterval;
    slack?: number;
    predictionLabel?: string;
    alternative?: { value: number; label: string };
  },
): Verdict {
  requireFinite("predicted", o.predicted);
  const slack = o.slack ?? 0;
  requireNonNegative("slack", slack);
  const { lo, hi } = edgeBracket(o.interval, slack);
  return {
    id: o.id,
    ...kindOf(o),
    claim: o.claim,
    prediction: (o.predictionLabel ? `${o.predictionLabel} = ` : "") + formatNumber(o.predicted, 4),
    measurement: `max ${formatNumber(o.interval.max, 4)}`,
    uncertainty: `edge ∈ [${formatNumber(lo, 4)}, ${formatNumber(hi, 4)}] at ${formatNumber(o.interval.confidence * 100, 4)}% (top ${o.interval.k} spacings, mean ${formatNumber(o.interval.meanSpacing, 2)}${o.interval.shape ? `; density ∝ (θ − x)^${formatNumber(o.interval.shape, 2)} at most` : ""}${slack ? `; finite-time slack ${formatNumber(slack, 2)}` : ""})`,
    pass:
      o.predicted >= lo &&
      o.predicted <= hi &&
      (!o.alternative || o.alternative.value < lo || o.alternative.value > hi),
    stochastic: true,
    level: 1 - o.interval.confidence,
    margin: o.alternative
      ? `${o.alternative.label} = ${formatNumber(o.alternative.value, 4)} ${o.alternative.value < lo || o.alternative.value > hi ? "outside" : "INSIDE"} the interval`
      : undefined,
    alternative: o.alternative ? `${o.alternative.label} = ${formatNumber(o.alternative.value, 4)}` : undefined,
    predicted: o.predicted,
    measured: o.interval.max,
    tolerance: hi - o.interval.max,
  };
}

/**
 * A count of events that the claim says have probability zero: pass when none is observed. The
 * uncertainty column gives the exact (Clopper–Pearson) upper confidence bound 1 − α^{1/n} on the
 * probability when the count is 0. Pass `level` when the trials are classified by a statistical
 * threshold (the verdict is then stochastic, with that chance of a false failure).
 */
export function noneObserved(
  o: VerdictBase & { count: number; trials: number; what: string; confidence?: number; level?: number },
): Verdict {
  requireNonNegative("count", o.count);
  requireNonNegative("trials", o.trials);
  const c = o.confidence ?? DEFAULT_CONFIDENCE;
  const bound = o.trials > 0 ? 1 - Math.pow(1 - c, 1 / o.trials) : 1;
  return {
    id: o.id,
    ...kindOf(o),
    claim: o.claim,
    prediction: `0 of ${o.trials} ${o.what}`,
    measurement: `${o.count} of ${o.trials}`,
    uncertainty:
      o.count === 0
        ? `rate ≤ ${formatNumber(bound, 2)} at ${formatNumber(c * 100, 4)}% (exact binomial)`
        : "a count > 0 contradicts a probability-zero claim",
    pass: o.count === 0,
    // A probability-zero claim cannot fail by chance, unless each trial is itself classified by a
    // statistical threshold: then `level` is the chance that any trial is misclassified.
    stochastic: o.level !== undefined,
    level: o.level,
    predicted: 0,
    measured: o.count,
    tolerance: 0,
  };
}

/** Options of `band`. */
export interface BandOptions extends VerdictBase {
  measured: number;
  /** The measurement's standard error, shown beside the band (it does not widen it). */
  se?: number;
  /** The band's ends, as the source states them. */
  lo: number;
  hi: number;
  /** Where the band comes from, e.g. "the talk: 15–25 %". */
  source: string;
  predictionLabel?: string;
  /** A named wrong alternative: its value must lie outside the band, or the verdict fails. */
  alternative?: { value: number; label: string };
}

/**
 * A band: pass when lo ≤ measured ≤ hi, where the band is the range a source states (a magnitude
 * such as "15–25 %"), not a tolerance derived from the data. A band is therefore not a test at a
 * level: the verdict is not stochastic, reports no level, and is labelled a band everywhere. Use
 * it only for a range a source gives; a statistical statement is an `agree`/`exceeds`.
 */
export function band(o: BandOptions): Verdict {
  requireFinite("measured", o.measured);
  requireFinite("lo", o.lo);
  requireFinite("hi", o.hi);
  if (!(o.lo <= o.hi)) throw new RangeError(`${o.id}: band needs lo <= hi, got [${o.lo}, ${o.hi}]`);
  if (o.se !== undefined) requireNonNegative("se", o.se);
  const inside = (x: number) => x >= o.lo && x <= o.hi;
  let altInside = false;
  if (o.alternative) {
    requireFinite("alternative.value", o.alternative.value);
    altInside = inside(o.alternative.value);
  }
  const range = `[${formatNumber(o.lo, 3)}, ${formatNumber(o.hi, 3)}]`;
  return {
    id: o.id,
    ...kindOf(o),
    claim: o.claim,
    band: { lo: o.lo, hi: o.hi, source: o.source },
    prediction: `${o.predictionLabel ? `${o.predictionLabel} ∈ ` : "∈ "}${range} (band)`,
    measurement: formatNumber(o.measured, 4) + (o.se !== undefined ? ` ± ${formatNumber(o.se, 2)}` : ""),
    uncertainty: `band from ${o.source}; not a statistical tolerance${o.se !== undefined ? ` (the measurement's se ${formatNumber(o.se, 2)} is shown, not added)` : ""}`,
    pass: inside(o.measured) && !altInside,
    stochastic: false,
    margin:
      `band: ${inside(o.measured) ? "inside" : "OUTSIDE"} ${range}` +
      (o.alternative
        ? `; ${o.alternative.label} = ${formatNumber(o.alternative.value, 4)} ${altInside ? "INSIDE" : "outside"}`
        : ""),
    ...(o.alternative ? { alternative: `${o.alternative.label} = ${formatNumber(o.alternative.value, 4)}` } : {}),
    predicted: (o.lo + o.hi) / 2,
    measured: o.measured,
    tolerance: (o.hi - o.lo) / 2,
  };
}
