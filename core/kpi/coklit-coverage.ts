// Coklit coverage: per polling station (TPS), how many of the voters assigned to it the
// Pantarlih has visited and how many remain. A TPS is named by its village code and its
// three-digit number, as the coklit form records them ('desa', 'tps').
//
// - visited: distinct voters (by NIK; a record without NIK counts once by its id) recorded with
//   an outcome about a listed voter: sesuai, ubah or tms. Recording the same voter twice counts
//   once.
// - newVoters: distinct voters recorded as 'baru': they were not on the list, so they do not
//   reduce what remains.
// - remaining: assigned − visited, never below 0.
// - coveragePct: min(visited, assigned) / assigned × 100; undefined for an empty assignment.

export interface TpsAssignment {
  villageCode: string;
  tps: string;
  /** Voters on the list handed to the Pantarlih. */
  voters: number;
}

/** The fields of a stored coklit submission this reads. */
export interface CoklitRecord {
  id: string;
  data: Readonly<Record<string, unknown>>;
}

export interface TpsCoverage {
  villageCode: string;
  tps: string;
  assigned: number;
  visited: number;
  newVoters: number;
  remaining: number;
  coveragePct: number | undefined;
}

export function tpsKey(villageCode: string, tps: string): string {
  return `${villageCode}/${tps}`;
}

const LISTED_OUTCOMES = new Set(['sesuai', 'ubah', 'tms']);

/**
 * Coverage of every assigned TPS, in the assignments' order, followed by TPSs that have coklit
 * records but no assignment (assigned 0), sorted by key.
 */
export function coklitCoverage(assignments: readonly TpsAssignment[], records: Iterable<CoklitRecord>): TpsCoverage[] {
  const visited = new Map<string, Set<string>>();
  const fresh = new Map<string, Set<string>>();
  for (const r of records) {
    const desa = r.data.desa;
    const tps = r.data.tps;
    if (typeof desa !== 'string' || typeof tps !== 'string') continue;
    const key = tpsKey(desa, tps);
    const voter = typeof r.data.nik === 'string' && r.data.nik ? `nik:${r.data.nik}` : `id:${r.id}`;
    const outcome = r.data.hasil;
    const target = outcome === 'baru' ? fresh : typeof outcome === 'string' && LISTED_OUTCOMES.has(outcome) ? visited : undefined;
    if (!target) continue;
    let set = target.get(key);
    if (!set) target.set(key, (set = new Set()));
    set.add(voter);
  }
  const row = (villageCode: string, tps: string, assigned: number): TpsCoverage => {
    const key = tpsKey(villageCode, tps);
    const v = visited.get(key)?.size ?? 0;
    return {
      villageCode,
      tps,
      assigned,
      visited: v,
      newVoters: fresh.get(key)?.size ?? 0,
      remaining: Math.max(0, assigned - v),
      coveragePct: assigned > 0 ? (Math.min(v, assigned) / assigned) * 100 : undefined,
    };
  };
  const assignedKeys = new Set(assignments.map((a) => tpsKey(a.villageCode, a.tps)));
  const rows = assignments.map((a) => row(a.villageCode, a.tps, a.voters));
  const extra = [...new Set([...visited.keys(), ...fresh.keys()])].filter((k) => !assignedKeys.has(k)).sort();
  for (const key of extra) {
    const [villageCode, tps] = key.split('/') as [string, string];
    rows.push(row(villageCode, tps, 0));
  }
  return rows;
}

export interface CoverageTotals {
  tps: number;
  assigned: number;
  visited: number;
  newVoters: number;
  remaining: number;
  coveragePct: number | undefined;
}

/** Totals over rows (e.g. a village's, a district's or a regency's TPSs). */
export function coverageTotals(rows: readonly TpsCoverage[]): CoverageTotals {
  let assigned = 0;
  let covered = 0;
  let visited = 0;
  let newVoters = 0;
  let remaining = 0;
  for (const r of rows) {
    assigned += r.assigned;
    covered += Math.min(r.visited, r.assigned);
    visited += r.visited;
    newVoters += r.newVoters;
    remaining += r.remaining;
  }
  return { tps: rows.length, assigned, visited, newVoters, remaining, coveragePct: assigned > 0 ? (covered / assigned) * 100 : undefined };
}
