// Counts for the coklit recap (issue #13), per TPS, from the clear columns of the voter records and
// the open conflicts: no personal data is opened. core/voters/recap.ts sums them to each level.
import { sql, type Kysely } from 'kysely';
import { emptyCounts, type RecapCounts } from '../../core/voters/recap.ts';
import type { Database } from '../db/schema.ts';

export type TpsCounts = RecapCounts & { village: string; tps: string };

/** Open duplicate pairs per TPS ('village/tps'), from the duplicate search when it is built in (branch h4). */
export type DuplicateCounts = (db: Kysely<Database>, scope: string) => Promise<Map<string, number>>;
let duplicateCounts: DuplicateCounts | undefined;
/** The hook the duplicate search registers at start; until then the recap shows duplicates as "—". */
export function registerDuplicateCounts(fn: DuplicateCounts | undefined): void {
  duplicateCounts = fn;
}

const inScope = (scope: string) => sql<boolean>`(village_code = ${scope} or village_code like ${`${scope}.%`})`;

export async function recapPerTps(db: Kysely<Database>, scope: string): Promise<TpsCounts[]> {
  const base = await db
    .selectFrom('assignment_voters')
    .select([
      'village_code',
      'tps',
      sql<number>`count(*)`.as('listed'),
      sql<number>`sum(case when outcome is not null then 1 else 0 end)`.as('visited'),
      sql<number>`sum(case when outcome = 'sesuai' then 1 else 0 end)`.as('sesuai'),
      sql<number>`sum(case when outcome = 'ubah' then 1 else 0 end)`.as('ubah'),
      sql<number>`sum(case when outcome = 'baru' then 1 else 0 end)`.as('baru'),
      sql<number>`sum(case when outcome = 'tms' then 1 else 0 end)`.as('tms'),
      sql<number>`sum(case when sex = 'L' then 1 else 0 end)`.as('male'),
      sql<number>`sum(case when sex = 'P' then 1 else 0 end)`.as('female'),
      sql<number>`sum(disabled)`.as('disabled'),
    ])
    .where(inScope(scope))
    .groupBy(['village_code', 'tps'])
    .execute();
  const tms = await db
    .selectFrom('assignment_voters')
    .select(['village_code', 'tps', 'tms_code', sql<number>`count(*)`.as('n')])
    .where(inScope(scope))
    .where('outcome', '=', 'tms')
    .groupBy(['village_code', 'tps', 'tms_code'])
    .execute();
  const conflicts = await db
    .selectFrom('voter_conflicts')
    .select(['village_code', 'tps', sql<number>`count(*)`.as('n')])
    .where(inScope(scope))
    .where('status', '=', 'open')
    .groupBy(['village_code', 'tps'])
    .execute();
  const dupes = duplicateCounts ? await duplicateCounts(db, scope) : undefined;
  const out = new Map<string, TpsCounts>();
  for (const r of base) {
    out.set(`${r.village_code}/${r.tps}`, {
      village: r.village_code,
      tps: r.tps,
      ...emptyCounts(),
      listed: Number(r.listed),
      visited: Number(r.visited),
      sesuai: Number(r.sesuai),
      ubah: Number(r.ubah),
      baru: Number(r.baru),
      tms: Number(r.tms),
      male: Number(r.male),
      female: Number(r.female),
      disabled: Number(r.disabled),
      openDuplicates: dupes ? (dupes.get(`${r.village_code}/${r.tps}`) ?? 0) : null,
    });
  }
  for (const r of tms) {
    const t = out.get(`${r.village_code}/${r.tps}`);
    if (t) t.tmsByCode[r.tms_code ?? '?'] = Number(r.n);
  }
  for (const r of conflicts) {
    const t = out.get(`${r.village_code}/${r.tps}`);
    if (t) t.openConflicts = Number(r.n);
  }
  return [...out.values()];
}
