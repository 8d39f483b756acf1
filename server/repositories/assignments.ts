// The coklit assignments: voter lists per TPS, replaced whole by an upload and read whole by the
// Pantarlih or PPS of the village. Both write an audit entry in the same transaction: an upload
// says who replaced which lists, a download says who took which village's personal data.
import type { Kysely } from 'kysely';
import { groupByTps, type ListedVoter } from '../../core/assignments/voter-list.ts';
import { canonicalJson } from '../../core/hash.ts';
import type { Database, DialectName } from '../db/schema.ts';
import { votersScope, type DataKeys } from '../crypto/data-keys.ts';
import { appendAudit, type AuditInput } from './audit-log.ts';
import { upsertTpsAssignments } from './kpi.ts';

type Actor = Pick<AuditInput, 'actorId' | 'actorRole'>;

export interface TpsListSummary {
  village: string;
  tps: string;
  voters: number;
}

export interface TpsList {
  tps: string;
  uploadedAt: string;
  voters: ListedVoter[];
}

/** Associated data of a voter row: its ciphertext opens only at its own place on its own list. */
export function voterAad(village: string, tps: string, position: number): string {
  return `assignment_voters:${village}:${tps}:${position}`;
}

/** Rows per INSERT: 6 columns × 500 stays far below either database's parameter limit. */
const CHUNK = 500;

/**
 * Replaces the list of every TPS the upload names (other TPSs keep theirs) and sets the voter
 * counts coklit coverage is measured against (tps_assignments), all in one transaction.
 */
export async function replaceTpsLists(
  db: Kysely<Database>,
  dialect: DialectName,
  keys: DataKeys,
  voters: readonly ListedVoter[],
  by: Actor,
  now: string,
): Promise<TpsListSummary[]> {
  const groups = groupByTps(voters);
  const summary = [...groups.values()].map((list) => ({ village: list[0]!.desa, tps: list[0]!.tps, voters: list.length }));
  // Keys are loaded before the transaction: a key lookup inside it would wait on SQLite's one connection.
  const dekOf = new Map<string, Awaited<ReturnType<DataKeys['keyForScope']>>>();
  for (const s of summary) if (!dekOf.has(s.village)) dekOf.set(s.village, await keys.keyForScope(votersScope(s.village)));
  await db.transaction().execute(async (trx) => {
    for (const list of groups.values()) {
      const { desa, tps } = list[0]!;
      await trx.deleteFrom('assignment_voters').where('village_code', '=', desa).where('tps', '=', tps).execute();
      const rows = list.map((v, position) => ({
        village_code: desa,
        tps,
        position,
        voter_json: keys.encryptWith(dekOf.get(desa)!, canonicalJson(v), voterAad(desa, tps, position)),
        uploaded_at: now,
        uploaded_by: by.actorId,
      }));
      for (let i = 0; i < rows.length; i += CHUNK) await trx.insertInto('assignment_voters').values(rows.slice(i, i + CHUNK)).execute();
    }
    await upsertTpsAssignments(
      trx,
      summary.map((s) => ({ villageCode: s.village, tps: s.tps, voters: s.voters })),
      now,
    );
    const byVillage = new Map<string, TpsListSummary[]>();
    for (const s of summary) byVillage.set(s.village, [...(byVillage.get(s.village) ?? []), s]);
    for (const [village, lists] of byVillage) {
      await appendAudit(trx, dialect, {
        ...by,
        action: 'assignment.upload',
        subject: village,
        regionCode: village,
        detail: { tps: lists.map((l) => l.tps).join(','), voters: lists.reduce((n, l) => n + l.voters, 0) },
        at: now,
      });
    }
  });
  return summary;
}

/**
 * The lists of one village (or one of its TPSs), TPS by TPS in list order. A read that returns
 * voters is audited in the same transaction; an empty one returns no personal data and is not.
 */
export async function readVillageLists(
  db: Kysely<Database>,
  dialect: DialectName,
  keys: DataKeys,
  q: { village: string; tps?: string; by: Actor; now: string },
): Promise<TpsList[]> {
  const rows = await db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('assignment_voters')
      .select(['tps', 'position', 'voter_json', 'uploaded_at'])
      .where('village_code', '=', q.village)
      .$if(q.tps !== undefined, (b) => b.where('tps', '=', q.tps ?? ''))
      .orderBy('tps')
      .orderBy('position')
      .execute();
    if (rows.length > 0) {
      await appendAudit(trx, dialect, {
        ...q.by,
        action: 'assignment.download',
        subject: q.tps === undefined ? q.village : `${q.village}/${q.tps}`,
        regionCode: q.village,
        detail: { tps: [...new Set(rows.map((r) => r.tps))].join(','), voters: rows.length },
        at: q.now,
      });
    }
    return rows;
  });
  // Opened after the commit: a key lookup inside the transaction would wait on SQLite's one connection.
  const lists: TpsList[] = [];
  for (const r of rows) {
    let list = lists.at(-1);
    if (list?.tps !== r.tps) {
      list = { tps: r.tps, uploadedAt: r.uploaded_at, voters: [] };
      lists.push(list);
    }
    list.voters.push(JSON.parse(await keys.decryptField(r.voter_json, voterAad(q.village, r.tps, r.position))) as ListedVoter);
  }
  return lists;
}
