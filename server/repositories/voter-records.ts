// Voter records (issue #13, migration 050): the rows of `assignment_voters` read and written as
// records with a stable key and a version. This module is the data contract other code builds on
// (duplicate search, the recap, bench:voters; /work/wt/voters-contract.md during session 6): it
// reads records in pages or as a stream with their personal data still sealed, opens one, and
// loads a whole province at once. Updates of one record (coklit, tanggapan, staff) go through
// voter-updates.ts, which keeps conflicts instead of overwriting.
import type { Kysely, Transaction } from 'kysely';
import type { ListedVoter } from '../../core/assignments/voter-list.ts';
import { canonicalJson } from '../../core/hash.ts';
import type { Outcome, VoterData } from '../../core/voters/record.ts';
import type { Database, DialectName } from '../db/schema.ts';
import { votersScope, type DataKeys } from '../crypto/data-keys.ts';
import { appendAudit, type AuditInput } from './audit-log.ts';
import { upsertTpsAssignments } from './kpi.ts';

type Actor = Pick<AuditInput, 'actorId' | 'actorRole'>;
type Db = Kysely<Database> | Transaction<Database>;

/** One record as stored: personal data still sealed in `voterJson`. */
export interface VoterRecordRow {
  recordId: string;
  village: string;
  tps: string;
  /** Place on the TPS list (0-based); part of the sealed JSON's associated data. */
  position: number;
  version: number;
  /** Sealed VoterData (open with openRecord). */
  voterJson: string;
  /** Blind index of the NIK (DataKeys.blindIndex), null only before the start backfill. */
  nikHash: string | null;
  origin: 'list' | 'baru';
  outcome: Outcome | null;
  tmsCode: string | null;
  sex: 'L' | 'P' | null;
  disabled: boolean;
}

/** Associated data of a record's sealed JSON: it opens only at its own place on its own list. */
export function voterAad(village: string, tps: string, position: number): string {
  return `assignment_voters:${village}:${tps}:${position}`;
}

/** Associated data of an event's or a conflict's sealed JSON. */
export function eventAad(recordId: string, version: number | string): string {
  return `voter_record_events:${recordId}:${version}`;
}

const COLUMNS = [
  'record_id',
  'village_code',
  'tps',
  'position',
  'version',
  'voter_json',
  'nik_hash',
  'origin',
  'outcome',
  'tms_code',
  'sex',
  'disabled',
] as const;

type StoredRow = {
  record_id: string;
  village_code: string;
  tps: string;
  position: number;
  version: number;
  voter_json: string;
  nik_hash: string | null;
  origin: string;
  outcome: string | null;
  tms_code: string | null;
  sex: string | null;
  disabled: number;
};

function toRow(r: StoredRow): VoterRecordRow {
  return {
    recordId: r.record_id,
    village: r.village_code,
    tps: r.tps,
    position: Number(r.position),
    version: Number(r.version),
    voterJson: r.voter_json,
    nikHash: r.nik_hash,
    origin: r.origin === 'baru' ? 'baru' : 'list',
    outcome: (r.outcome as Outcome | null) ?? null,
    tmsCode: r.tms_code,
    sex: r.sex === 'L' || r.sex === 'P' ? r.sex : null,
    disabled: Number(r.disabled) === 1,
  };
}

/** Region filter: `scope` is a dotted Kemendagri code ('19' the province, '19.01', a village). */
export interface RecordQuery {
  scope?: string;
  tps?: string;
  /** Keyset paging: records whose record_id sorts after this one. */
  after?: string;
  /** At most this many rows (default 1000, at most 10,000). */
  limit?: number;
  /** Only records without a blind NIK yet (stored before migration 050). */
  missingIndex?: boolean;
}

/** A page of records in record_id order (keyset paging: pass the last recordId as `after`). */
export async function readRecordsPage(db: Db, q: RecordQuery = {}): Promise<VoterRecordRow[]> {
  const limit = Math.min(Math.max(q.limit ?? 1000, 1), 10_000);
  const rows = await db
    .selectFrom('assignment_voters')
    .select([...COLUMNS])
    .$if(q.scope !== undefined, (b) => b.where((eb) => eb.or([eb('village_code', '=', q.scope!), eb('village_code', 'like', `${q.scope!}.%`)])))
    .$if(q.tps !== undefined, (b) => b.where('tps', '=', q.tps!))
    .$if(q.after !== undefined, (b) => b.where('record_id', '>', q.after!))
    .$if(q.missingIndex === true, (b) => b.where('nik_hash', 'is', null))
    .orderBy('record_id')
    .limit(limit)
    .execute();
  return rows.map((r) => toRow(r as StoredRow));
}

/** Every record in scope, page by page (keyset on record_id, so concurrent writes neither repeat nor skip a stable record). */
export async function* streamRecords(db: Db, q: Omit<RecordQuery, 'after'> = {}): AsyncGenerator<VoterRecordRow[]> {
  let after: string | undefined;
  for (;;) {
    const page = await readRecordsPage(db, { ...q, ...(after !== undefined ? { after } : {}) });
    if (page.length === 0) return;
    yield page;
    after = page.at(-1)!.recordId;
  }
}

/** The records of one TPS list (or a village's lists), in list order. */
export async function readListRecords(db: Db, village: string, tps?: string): Promise<VoterRecordRow[]> {
  const rows = await db
    .selectFrom('assignment_voters')
    .select([...COLUMNS])
    .where('village_code', '=', village)
    .$if(tps !== undefined, (b) => b.where('tps', '=', tps!))
    .orderBy('tps')
    .orderBy('position')
    .execute();
  return rows.map((r) => toRow(r as StoredRow));
}

/** One record by its key. */
export async function readRecord(db: Db, recordId: string): Promise<VoterRecordRow | undefined> {
  const r = await db.selectFrom('assignment_voters').select([...COLUMNS]).where('record_id', '=', recordId).executeTakeFirst();
  return r ? toRow(r as StoredRow) : undefined;
}

/** Several records by their keys (any order; the missing are left out). */
export async function readRecords(db: Db, recordIds: readonly string[]): Promise<VoterRecordRow[]> {
  const out: VoterRecordRow[] = [];
  for (let i = 0; i < recordIds.length; i += CHUNK) {
    const rows = await db.selectFrom('assignment_voters').select([...COLUMNS]).where('record_id', 'in', recordIds.slice(i, i + CHUNK)).execute();
    for (const r of rows) out.push(toRow(r as StoredRow));
  }
  return out;
}

/** The records whose NIK has one of these blind indexes (DataKeys.blindIndex). */
export async function readRecordsByNikHash(db: Db, nikHashes: readonly string[]): Promise<VoterRecordRow[]> {
  if (nikHashes.length === 0) return [];
  const rows = await db.selectFrom('assignment_voters').select([...COLUMNS]).where('nik_hash', 'in', [...nikHashes]).execute();
  return rows.map((r) => toRow(r as StoredRow));
}

/** Opens a record's sealed JSON. Call outside a transaction (a key lookup waits on SQLite's one connection). */
export async function openRecord(keys: DataKeys, row: Pick<VoterRecordRow, 'village' | 'tps' | 'position' | 'voterJson'>): Promise<VoterData> {
  return JSON.parse(await keys.decryptField(row.voterJson, voterAad(row.village, row.tps, row.position))) as VoterData;
}

/** A fresh record key: 32 hex characters, random (no order or meaning to leak). */
export function newRecordId(): string {
  return crypto.randomUUID().replaceAll('-', '');
}

/**
 * A history event's key, shaped like a record key (32 hex digits) but time-ordered: the time in ms
 * (12 hex digits), then the last 20 hex digits of a random UUID (76 random bits). A busy server then
 * appends to the key's index instead of writing into a random page of it for every event.
 * randomUUID draws from a pooled buffer; a ULID's random part took a draw per id (bench:server's
 * profile: 0.6 s of a coklit run's 27 s busy).
 */
export function newEventId(): string {
  return Date.now().toString(16).padStart(12, '0') + crypto.randomUUID().replaceAll('-', '').slice(12);
}

export function hasDisability(v: VoterData): number {
  return v.disabilitas !== undefined && v.disabilitas.length > 0 ? 1 : 0;
}

/** The clear columns derived from a voter's data: blind NIK, sex, disability flag. */
export function derivedColumns(keys: DataKeys, v: VoterData): { nik_hash: string; sex: string; disabled: number } {
  return { nik_hash: keys.blindIndex(v.nik), sex: v.jenisKelamin, disabled: hasDisability(v) };
}

/** Rows per INSERT: 15 columns × 500 stays far below either database's parameter limit. */
const CHUNK = 500;

export interface LoadOptions {
  /** Voters per transaction (default 20,000): a province loads in bounded memory. */
  batch?: number;
}

/**
 * Adds a whole province's (or any set of) voters as new records, version 1, appended to their
 * TPS lists: the bulk path for a first load and for bench:voters. No per-record history and one
 * audit entry per call (not per village): a first load is one act. Voters may come as a stream.
 * Returns the number of records written.
 */
export async function loadRecords(
  db: Kysely<Database>,
  dialect: DialectName,
  keys: DataKeys,
  voters: Iterable<ListedVoter> | AsyncIterable<ListedVoter>,
  by: Actor,
  now: string,
  options: LoadOptions = {},
): Promise<number> {
  const batchSize = options.batch ?? 20_000;
  const nextPosition = new Map<string, number>();
  const perTps = new Map<string, { villageCode: string; tps: string; voters: number }>();
  const dekOf = new Map<string, Awaited<ReturnType<DataKeys['keyForScope']>>>();
  let written = 0;
  let batch: ListedVoter[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    for (const v of batch) if (!dekOf.has(v.desa)) dekOf.set(v.desa, await keys.keyForScope(votersScope(v.desa)));
    const fresh = [...new Set(batch.map((v) => `${v.desa}/${v.tps}`))].filter((k) => !nextPosition.has(k));
    for (const key of fresh) {
      const [village, tps] = key.split('/') as [string, string];
      const top = await db
        .selectFrom('assignment_voters')
        .select((eb) => eb.fn.max('position').as('p'))
        .where('village_code', '=', village)
        .where('tps', '=', tps)
        .executeTakeFirst();
      nextPosition.set(key, top?.p === null || top?.p === undefined ? 0 : Number(top.p) + 1);
    }
    const rows = batch.map((v) => {
      const key = `${v.desa}/${v.tps}`;
      const position = nextPosition.get(key)!;
      nextPosition.set(key, position + 1);
      const t = perTps.get(key) ?? { villageCode: v.desa, tps: v.tps, voters: 0 };
      t.voters += 1;
      perTps.set(key, t);
      return {
        village_code: v.desa,
        tps: v.tps,
        position,
        voter_json: keys.encryptWith(dekOf.get(v.desa)!, canonicalJson(v), voterAad(v.desa, v.tps, position)),
        uploaded_at: now,
        uploaded_by: by.actorId,
        record_id: newRecordId(),
        version: 1,
        origin: 'list',
        outcome: null,
        tms_code: null,
        updated_at: null,
        updated_by: null,
        ...derivedColumns(keys, v),
      };
    });
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += CHUNK) await trx.insertInto('assignment_voters').values(rows.slice(i, i + CHUNK)).execute();
    });
    written += rows.length;
    batch = [];
  };
  for await (const v of voters) {
    batch.push(v);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  await db.transaction().execute(async (trx) => {
    // Coverage counts the whole list of each TPS touched, not only what this call added.
    const counts = await trx
      .selectFrom('assignment_voters')
      .select(['village_code', 'tps', (eb) => eb.fn.countAll<string | number>().as('n')])
      .groupBy(['village_code', 'tps'])
      .execute();
    const touched = counts.filter((c) => perTps.has(`${c.village_code}/${c.tps}`));
    await upsertTpsAssignments(
      trx,
      touched.map((c) => ({ villageCode: c.village_code, tps: c.tps, voters: Number(c.n) })),
      now,
    );
    await appendAudit(trx, dialect, {
      ...by,
      action: 'voters.load',
      subject: 'province',
      regionCode: '19',
      detail: { tps: perTps.size, voters: written },
      at: now,
    });
  });
  return written;
}
