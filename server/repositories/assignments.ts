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
import type { RecordRef, VoterData } from '../../core/voters/record.ts';
import { derivedColumns, eventAad, newRecordId, openRecord, readListRecords, voterAad, type VoterRecordRow } from './voter-records.ts';

export { voterAad };

/** Rows per INSERT: 18 columns × 500 stays far below either database's parameter limit. */
const CHUNK = 500;

type Actor = Pick<AuditInput, 'actorId' | 'actorRole'>;

export interface TpsListSummary {
  village: string;
  tps: string;
  voters: number;
}

export interface TpsList {
  tps: string;
  uploadedAt: string;
  /** Each voter as listed now, with its record's key and version (what a coklit update is based on). */
  voters: (ListedVoter & { record: RecordRef })[];
}

/**
 * Replaces the list of every TPS the upload names (other TPSs keep theirs) and sets the voter
 * counts coklit coverage is measured against (tps_assignments), all in one transaction. A voter
 * already on a list of the same village (same NIK) keeps its record: its key, its outcome and its
 * history; its version rises only when the upload changed its data. New voters get new records;
 * list records the upload no longer names are removed from the TPSs it replaces, while the
 * voters found in the field (origin 'baru') stay on their list.
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
  // Keys and the records being kept are opened before the transaction: a key lookup inside it
  // would wait on SQLite's one connection.
  const dekOf = new Map<string, Awaited<ReturnType<DataKeys['keyForScope']>>>();
  for (const s of summary) if (!dekOf.has(s.village)) dekOf.set(s.village, await keys.keyForScope(votersScope(s.village)));
  const villages = [...dekOf.keys()];
  const uploadedNiks = new Set(voters.map((v) => keys.blindIndex(v.nik)));
  const replaced = new Set(summary.map((s) => `${s.village}/${s.tps}`));
  const existing = new Map<string, { row: VoterRecordRow; data: VoterData }>();
  const keptBaru: { row: VoterRecordRow; data: VoterData }[] = [];
  for (const village of villages) {
    for (const row of await readListRecords(db, village)) {
      const listed = row.nikHash !== null && uploadedNiks.has(row.nikHash);
      const inReplaced = replaced.has(`${row.village}/${row.tps}`);
      if (listed) existing.set(`${row.village}|${row.nikHash}`, { row, data: await openRecord(keys, row) });
      else if (inReplaced && row.origin === 'baru') keptBaru.push({ row, data: await openRecord(keys, row) });
    }
  }
  await db.transaction().execute(async (trx) => {
    // Every row that moves or is rewritten is deleted first, then written at its new place.
    for (const key of replaced) {
      const [village, tps] = key.split('/') as [string, string];
      await trx.deleteFrom('assignment_voters').where('village_code', '=', village).where('tps', '=', tps).execute();
    }
    const moved = [...existing.values()].map((e) => e.row.recordId);
    for (let i = 0; i < moved.length; i += CHUNK) await trx.deleteFrom('assignment_voters').where('record_id', 'in', moved.slice(i, i + CHUNK)).execute();
    const events: { id: string; record_id: string; village_code: string; version: number; kind: string; submission_id: null; outcome: null; change_json: string; actor_id: string; actor_role: string; at: string }[] = [];
    for (const list of groups.values()) {
      const { desa, tps } = list[0]!;
      const dek = dekOf.get(desa)!;
      const baru = keptBaru.filter((b) => b.row.village === desa && b.row.tps === tps);
      const entries: { v: VoterData; kept?: VoterRecordRow; changed: boolean }[] = [
        ...list.map((v) => {
          const found = existing.get(`${desa}|${keys.blindIndex(v.nik)}`);
          if (!found) return { v: v as VoterData, changed: true };
          const merged: VoterData = { ...found.data, ...v };
          if (v.rw === undefined) delete merged.rw;
          return { v: merged, kept: found.row, changed: canonicalJson(merged) !== canonicalJson(found.data) };
        }),
        ...baru.map((b) => ({ v: b.data, kept: b.row, changed: false })),
      ];
      const rows = entries.map(({ v, kept, changed }, position) => {
        const recordId = kept?.recordId ?? newRecordId();
        const version = kept ? kept.version + (changed ? 1 : 0) : 1;
        if (changed) {
          events.push({
            id: newRecordId(),
            record_id: recordId,
            village_code: desa,
            version,
            kind: 'upload',
            submission_id: null,
            outcome: null,
            // The whole state at this version (RecordState), so a later update based on it is judged against it.
            change_json: keys.encryptWith(
              dek,
              canonicalJson({ recordId, version, data: v, outcome: kept?.outcome ?? null, tmsCode: kept?.tmsCode ?? null }),
              eventAad(recordId, version),
            ),
            actor_id: by.actorId,
            actor_role: by.actorRole,
            at: now,
          });
        }
        return {
          village_code: desa,
          tps,
          position,
          voter_json: keys.encryptWith(dek, canonicalJson(v), voterAad(desa, tps, position)),
          uploaded_at: now,
          uploaded_by: by.actorId,
          record_id: recordId,
          version,
          origin: kept?.origin ?? 'list',
          outcome: kept?.outcome ?? null,
          tms_code: kept?.tmsCode ?? null,
          updated_at: changed ? now : null,
          updated_by: changed ? by.actorId : null,
          ...derivedColumns(keys, v),
        };
      });
      for (let i = 0; i < rows.length; i += CHUNK) await trx.insertInto('assignment_voters').values(rows.slice(i, i + CHUNK)).execute();
    }
    for (let i = 0; i < events.length; i += CHUNK) await trx.insertInto('voter_record_events').values(events.slice(i, i + CHUNK)).execute();
    // Coverage counts every list touched, the lists a moved voter left included.
    const touched = new Set([...replaced, ...[...existing.values()].map((e) => `${e.row.village}/${e.row.tps}`)]);
    const counts: { villageCode: string; tps: string; voters: number }[] = [];
    for (const key of touched) {
      const [village, tps] = key.split('/') as [string, string];
      const n = await trx
        .selectFrom('assignment_voters')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('village_code', '=', village)
        .where('tps', '=', tps)
        .executeTakeFirstOrThrow();
      counts.push({ villageCode: village, tps, voters: Number(n.n) });
    }
    await upsertTpsAssignments(trx, counts, now);
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
      .select(['tps', 'position', 'voter_json', 'uploaded_at', 'record_id', 'version', 'outcome', 'tms_code'])
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
    const voter = JSON.parse(await keys.decryptField(r.voter_json, voterAad(q.village, r.tps, r.position))) as ListedVoter;
    const record: RecordRef = { id: r.record_id, version: Number(r.version), outcome: (r.outcome as RecordRef['outcome']) ?? null, tmsCode: r.tms_code };
    list.voters.push({ ...voter, record });
  }
  return lists;
}
