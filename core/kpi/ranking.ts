// Ranking of service units (the province office and the seven regency offices) over a period,
// for the reward-and-punishment review. Deliberately simple, so every unit can check its place:
// 1. Each unit is ranked on each KPI on its own: % answered within the SLA (higher is better),
//    median time to first response (lower is better), IKM (higher is better). Equal values share
//    a rank and the next rank is skipped (1, 2, 2, 4). A unit with no value for a KPI gets no rank
//    for it.
// 2. The composite is the mean of the unit's ranks. Lower is better.
// 3. Units are ordered by composite, then by unit code; equal composites share a position. A unit
//    with no KPI at all has no composite and comes last, without a position.

export interface UnitKpis {
  unit: string;
  slaOnTimePct?: number | undefined;
  medianFirstResponseMs?: number | undefined;
  ikm?: number | undefined;
}

export type RankedKpi = 'slaOnTimePct' | 'medianFirstResponseMs' | 'ikm';

/** For each KPI, whether a higher value is better. */
export const HIGHER_IS_BETTER: Readonly<Record<RankedKpi, boolean>> = {
  slaOnTimePct: true,
  medianFirstResponseMs: false,
  ikm: true,
};

const KPIS = Object.keys(HIGHER_IS_BETTER) as RankedKpi[];

export interface UnitRank {
  unit: string;
  ranks: Partial<Record<RankedKpi, number>>;
  composite: number | undefined;
  /** 1 = best; undefined for a unit with no KPI. */
  position: number | undefined;
}

/** Standard competition ranks ("1224") of the values present, best first. */
function competitionRanks(values: readonly (readonly [string, number])[], higherIsBetter: boolean): Map<string, number> {
  const sorted = [...values].sort(([, a], [, b]) => (higherIsBetter ? b - a : a - b));
  const ranks = new Map<string, number>();
  sorted.forEach(([unit, v], i) => {
    const prev = sorted[i - 1];
    ranks.set(unit, prev && prev[1] === v ? (ranks.get(prev[0]) as number) : i + 1);
  });
  return ranks;
}

export function rankUnits(units: readonly UnitKpis[]): UnitRank[] {
  const perKpi = new Map<RankedKpi, Map<string, number>>();
  for (const kpi of KPIS) {
    const present = units.flatMap((u) => {
      const v = u[kpi];
      return typeof v === 'number' && Number.isFinite(v) ? [[u.unit, v] as const] : [];
    });
    perKpi.set(kpi, competitionRanks(present, HIGHER_IS_BETTER[kpi]));
  }
  const rows = units.map((u): UnitRank => {
    const ranks: Partial<Record<RankedKpi, number>> = {};
    for (const kpi of KPIS) {
      const r = perKpi.get(kpi)?.get(u.unit);
      if (r !== undefined) ranks[kpi] = r;
    }
    const list = Object.values(ranks);
    const composite = list.length ? list.reduce((a, b) => a + b, 0) / list.length : undefined;
    return { unit: u.unit, ranks, composite, position: undefined };
  });
  rows.sort((a, b) => {
    if (a.composite === undefined || b.composite === undefined) {
      if (a.composite !== b.composite) return a.composite === undefined ? 1 : -1;
    } else if (a.composite !== b.composite) return a.composite - b.composite;
    return a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0;
  });
  rows.forEach((row, i) => {
    if (row.composite === undefined) return;
    const prev = rows[i - 1];
    row.position = prev && prev.composite === row.composite ? prev.position : i + 1;
  });
  return rows;
}
