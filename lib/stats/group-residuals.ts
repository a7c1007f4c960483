import { requireFinite, requirePositive } from "../util/validate";

/**
 * Residuals for a test that measurements within each group agree (e.g. runs with equal α/|B|):
 * for each group g of two or more points (value s_i, standard error se_i), the weighted mean
 * m_g = Σ w_i s_i / Σ w_i with w_i = 1/se_i², and the residuals r_i = (s_i − m_g)/se_i. Their squares
 * sum to the within-group χ² = Σ_g Σ_i w_i (s_i − m_g)², which for independent normal
 * measurements of one value per group is χ² with (points − groups) degrees of freedom: pass the
 * residuals to `chiSquareAccept` with `fitted: groups`. Groups of one point are left out.
 *
 * Note why not (s_i − m_g)/√(se_i² − 1/W_g): each of those has unit variance, but within a group
 * they are correlated (they sum to zero with weights), so the sum of their squares is *not* χ²
 * with points − groups degrees of freedom (for two equal errors it is 2·χ²₁ counted as one degree
 * of freedom), and the test rejects a true claim far too often. (Notebook 09 had that bug; the
 * unit tests show both.)
 *
 * @throws RangeError for a non-finite value or a standard error ≤ 0
 */
export function groupResiduals(points: ReadonlyArray<{ key: number | string; value: number; se: number }>): {
  residuals: number[];
  groups: number;
} {
  const byKey = new Map<number | string, { value: number; se: number }[]>();
  points.forEach((p, i) => {
    requireFinite(`points[${i}].value`, p.value);
    requirePositive(`points[${i}].se`, p.se);
    const g = byKey.get(p.key) ?? [];
    g.push(p);
    byKey.set(p.key, g);
  });
  const residuals: number[] = [];
  let groups = 0;
  for (const g of byKey.values()) {
    if (g.length < 2) continue;
    groups++;
    let W = 0,
      S = 0;
    for (const p of g) {
      W += 1 / p.se ** 2;
      S += p.value / p.se ** 2;
    }
    const m = S / W;
    for (const p of g) residuals.push((p.value - m) / p.se);
  }
  return { residuals, groups };
}
