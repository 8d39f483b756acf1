// Updates of one voter record (issue #13): a coklit visit, a resident's tanggapan DPS, a staff
// correction; and the Konflik queue they open when their base version is not the record's current
// one. The rule is core/voters/merge.ts; this module stores what it decides. Every state a record
// takes is kept sealed in its history (voter_record_events), so an update on an older version is
// judged against what the officer actually saw. The record row is written with a compare-and-set
// on its version: two updates racing on one version cannot both apply.
import { sql, type Kysely } from 'kysely';
import { canonicalJson, canonicalJsonWith } from '../../core/hash.ts';
import type { VoterConflict, VoterHistoryEntry } from '../../core/voters/conflicts.ts';
import { decideUpdate, diffStates, resolveConflict, updateFromCoklit, type RecordUpdate, type Resolution } from '../../core/voters/merge.ts';
import type { Outcome, RecordState, VoterData } from '../../core/voters/record.ts';
import type { Database, DialectName, VoterRecordEventsTable } from '../db/schema.ts';
import { votersScope, type DataKeys } from '../crypto/data-keys.ts';
import { appendAudit, type AuditInput } from './audit-log.ts';
import { derivedColumns, eventAad, hasDisability, newEventId, newRecordId, openRecord, readRecord, readRecords, voterAad, type VoterRecordRow } from './voter-records.ts';
import { inChunks } from './chunks.ts';
import { updateSubmissionStatus } from './status.ts';

type Actor = Pick<AuditInput, 'actorId' | 'actorRole'>;

export type UpdateResult =
  | { status: 'applied'; version: number }
  | { status: 'same' }
  | { status: 'conflict'; conflictId: string }
  | { status: 'not_found' }
  /** The actor's scope does not cover the record's village. */
  | { status: 'forbidden' }
  /** An update with this submission id was already stored: the first outcome stands. */
  | { status: 'duplicate' };

export interface UpdateInput {
  /** The update itself, or a coklit record's answers to derive it from (against the state at its base version). */
  update: RecordUpdate | { coklit: Readonly<Record<string, unknown>>; recordId: string; baseVersion: number };
  submissionId?: string;
  by: Actor;
  /** The actor's region: the record must lie in it. */
  scope: string;
  now: string;
}

type Dek = Awaited<ReturnType<DataKeys['keyForScope']>>;

/** Writes the record's new state if it still has the version it was read at (compare-and-set); false if another change won. */
async function writeState(trx: Kysely<Database>, keys: DataKeys, dek: Dek, row: VoterRecordRow, next: RecordState, by: string, now: string): Promise<boolean> {
  const done = await trx
    .updateTable('assignment_voters')
    .set({
      version: next.version,
      voter_json: keys.encryptWith(dek, canonicalJson(next.data), voterAad(row.village, row.tps, row.position)),
      outcome: next.outcome,
      tms_code: next.tmsCode,
      updated_at: now,
      updated_by: by,
      ...derivedColumns(keys, next.data),
    })
    .where('record_id', '=', row.recordId)
    .where('version', '=', row.version)
    .executeTakeFirst();
  return Number(done.numUpdatedRows) === 1;
}

const conflictAad = (id: string, side: 'current' | 'incoming') => `voter_conflicts:${id}:${side}`;

function stateOf(row: VoterRecordRow, data: VoterData): RecordState {
  return { recordId: row.recordId, version: row.version, data, outcome: row.outcome, tmsCode: row.tmsCode };
}

const covers = (scope: string, code: string) => code === scope || code.startsWith(`${scope}.`);

/**
 * What an update replaced, sealed inside the event of the version it made when no event keeps the
 * version before it (a record loaded in bulk has no history row for its first version): that
 * version's state is this event's state with these values put back. One sealed event per update
 * instead of a second sealed copy of the state before it.
 */
interface Prior {
  version: number;
  /** The fields the update changed or removed, with their values before it. */
  set: Record<string, unknown>;
  /** The fields the update added. */
  unset: string[];
  outcome: Outcome | null;
  tmsCode: string | null;
}

/** A kept event's sealed state: the state at its version, and what it replaced when no event keeps that (Prior). */
type SealedState = RecordState & { prior?: Prior };

function priorOf(before: RecordState, after: RecordState): Prior {
  const was = before.data as unknown as Record<string, unknown>;
  const now = after.data as unknown as Record<string, unknown>;
  const set: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(was)) if (!(k in now) || (now[k] !== v && canonicalJson(now[k]) !== canonicalJson(v))) set[k] = v;
  const unset = Object.keys(now).filter((k) => !(k in was));
  return { version: before.version, set, unset, outcome: before.outcome, tmsCode: before.tmsCode };
}

/**
 * The record's state at `version` from its kept events, sealed (`sealedAt(v)`: the change_json of
 * its event of version v): that event's state, or the state the next version's event replaced.
 * Undefined when neither is kept.
 */
async function keptState(keys: DataKeys, recordId: string, version: number, sealedAt: (v: number) => string | null | undefined): Promise<RecordState | undefined> {
  const own = sealedAt(version);
  if (own) {
    const { prior: _p, ...state } = JSON.parse(await keys.decryptField(own, eventAad(recordId, version))) as SealedState;
    return state;
  }
  const after = sealedAt(version + 1);
  if (!after) return undefined;
  const { prior, ...state } = JSON.parse(await keys.decryptField(after, eventAad(recordId, version + 1))) as SealedState;
  if (prior?.version !== version) return undefined;
  const data = { ...(state.data as unknown as Record<string, unknown>) };
  for (const k of prior.unset) delete data[k];
  Object.assign(data, prior.set);
  return { recordId, version, data: data as unknown as VoterData, outcome: prior.outcome, tmsCode: prior.tmsCode };
}

/** The record's state at `version`, from its history; the current state when that is the version asked. */
async function stateAt(db: Kysely<Database>, keys: DataKeys, row: VoterRecordRow, current: RecordState, version: number): Promise<RecordState | undefined> {
  if (version === row.version) return current;
  const evs = await db
    .selectFrom('voter_record_events')
    .select(['change_json', 'version'])
    .where('record_id', '=', row.recordId)
    .where('version', 'in', [version, version + 1])
    .execute();
  const sealed = new Map(evs.map((e) => [Number(e.version), e.change_json]));
  return keptState(keys, row.recordId, version, (v) => sealed.get(v));
}

/** The submission whose coklit set the record's current version, if one did (its officer hears of a conflict too). */
async function currentSubmission(db: Kysely<Database>, recordId: string, version: number): Promise<string | null> {
  const ev = await db.selectFrom('voter_record_events').select('submission_id').where('record_id', '=', recordId).where('version', '=', version).executeTakeFirst();
  return ev?.submission_id ?? null;
}

/**
 * Applies one update to one record, or keeps it beside the record as a conflict. Idempotent by
 * submission id. Retries itself when another update moved the record between its read and write.
 */
export async function applyRecordUpdate(db: Kysely<Database>, dialect: DialectName, keys: DataKeys, input: UpdateInput): Promise<UpdateResult> {
  const recordId = 'coklit' in input.update ? input.update.recordId : input.update.recordId;
  const seen = async () =>
    input.submissionId !== undefined &&
    (await db.selectFrom('voter_record_events').select('id').where('submission_id', '=', input.submissionId).where('record_id', '=', recordId).executeTakeFirst()) !== undefined;
  if (await seen()) return { status: 'duplicate' };
  try {
    return await applyOnce(db, dialect, keys, input, recordId);
  } catch (e) {
    // The same submission applied by another caller meanwhile (the live push and a sweep, two
    // sweeps): its event is unique per (submission, record) (migration 061), so this one's
    // transaction failed as a whole. The first outcome stands.
    if (await seen()) return { status: 'duplicate' };
    throw e;
  }
}

async function applyOnce(db: Kysely<Database>, dialect: DialectName, keys: DataKeys, input: UpdateInput, recordId: string): Promise<UpdateResult> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const row = await readRecord(db, recordId);
    if (!row) return { status: 'not_found' };
    if (!covers(input.scope, row.village)) return { status: 'forbidden' };
    const dek = await keys.keyForScope(votersScope(row.village));
    const current = stateOf(row, await openRecord(keys, row));
    let update: RecordUpdate;
    if ('coklit' in input.update) {
      const base = (await stateAt(db, keys, row, current, input.update.baseVersion)) ?? current;
      update = updateFromCoklit(recordId, input.update.baseVersion, base.data, input.update.coklit);
    } else update = input.update;
    // Place and list are where the row lives; a change of TPS is a PPS's move, not a field edit.
    if (update.changes) {
      const { desa: _d, tps: _t, ...rest } = update.changes;
      update = { ...update, changes: rest };
    }
    const decision = decideUpdate(current, update);
    const kind = update.kind;
    const event = (version: number | null, state: RecordState | null) => ({
      id: newEventId(),
      record_id: recordId,
      village_code: row.village,
      version,
      kind,
      submission_id: input.submissionId ?? null,
      outcome: update.outcome ?? null,
      change_json: state && version !== null ? keys.encryptWith(dek, canonicalJson(state), eventAad(recordId, version)) : null,
      actor_id: input.by.actorId,
      actor_role: input.by.actorRole,
      at: input.now,
    });
    // The state the record had before this update is kept once, so later stale updates are judged
    // against it: inside the new version's event (Prior) when this update changes the record, as its
    // own event when a conflict is opened (a resolution then moves the record on).
    const hasSnapshot = (await db.selectFrom('voter_record_events').select('id').where('record_id', '=', recordId).where('version', '=', row.version).executeTakeFirst()) !== undefined;
    const snapshot = () => (hasSnapshot ? undefined : { ...event(row.version, current), kind: 'upload', submission_id: null, outcome: current.outcome, actor_id: 'system', actor_role: 'system' });

    if (decision.kind === 'apply') {
      const next = decision.next;
      const written = await db.transaction().execute(async (trx) => {
        if (!(await writeState(trx, keys, dek, row, next, input.by.actorId, input.now))) return false;
        const sealed: SealedState = hasSnapshot ? next : { ...next, prior: priorOf(current, next) };
        await trx.insertInto('voter_record_events').values(event(next.version, sealed)).execute();
        if (kind === 'staff') {
          await appendAudit(trx, dialect, { ...input.by, action: 'voters.correct', subject: recordId, regionCode: row.village, detail: { version: next.version, outcome: next.outcome ?? null }, at: input.now });
        }
        return true;
      });
      if (!written) continue;
      return { status: 'applied', version: next.version };
    }
    if (decision.kind === 'same') {
      // The record stays as it is: its current state needs no keeping yet.
      await db.insertInto('voter_record_events').values(event(null, null)).execute();
      return { status: 'same' };
    }
    const conflictId = newRecordId();
    const currentSub = await currentSubmission(db, recordId, row.version);
    const opened = await db.transaction().execute(async (trx) => {
      // Still the version the sides were read at: else read again (the conflict is then judged anew).
      const still = await trx.selectFrom('assignment_voters').select('version').where('record_id', '=', recordId).executeTakeFirst();
      if (Number(still?.version) !== row.version) return false;
      const kept = snapshot();
      if (kept) await trx.insertInto('voter_record_events').values(kept).execute();
      await trx
        .insertInto('voter_conflicts')
        .values({
          id: conflictId,
          record_id: recordId,
          village_code: row.village,
          tps: row.tps,
          base_version: update.baseVersion,
          current_version: row.version,
          current_json: keys.encryptWith(dek, canonicalJson(current), conflictAad(conflictId, 'current')),
          incoming_json: keys.encryptWith(dek, canonicalJson(decision.incoming), conflictAad(conflictId, 'incoming')),
          incoming_kind: kind,
          incoming_submission_id: input.submissionId ?? null,
          current_submission_id: currentSub,
          incoming_by: input.by.actorId,
          status: 'open',
          resolution: null,
          resolved_by: null,
          resolved_at: null,
          created_at: input.now,
        })
        .execute();
      await trx.insertInto('voter_record_events').values({ ...event(null, null), kind: kind === 'tanggapan' ? 'tanggapan' : 'conflict' }).execute();
      return true;
    });
    if (!opened) continue;
    // The officers on both sides hear of it at their next pull (the status of their own records).
    for (const id of [input.submissionId, currentSub]) {
      if (id && kind !== 'tanggapan') await tellSubmission(db, dialect, id, 'diproses', PENDING_TEXT, input.now);
    }
    if (currentSub && kind === 'tanggapan') await tellSubmission(db, dialect, currentSub, 'diproses', PENDING_TEXT, input.now);
    return { status: 'conflict', conflictId };
  }
  throw new Error('voter record kept changing under the update');
}

/** One coklit update of a push, for the batch path. */
export interface CoklitBatchItem {
  submissionId: string;
  recordId: string;
  baseVersion: number;
  coklit: Readonly<Record<string, unknown>>;
  by: Actor;
  scope: string;
}

/** A record's next state as one row of the batch's compare-and-set, its personal data sealed already. */
interface CasRow {
  recordId: string;
  /** The version the state was read at: the write lands only if the record still has it. */
  base: number;
  version: number;
  voterJson: string;
  outcome: string | null;
  tmsCode: string | null;
  by: string;
  /** The NIK's blind index, only when the NIK changed (else the column and its index are left alone). */
  nikHash?: string;
  sex: string;
  disabled: number;
}

/** One update the batch settles: its compare-and-set (none when it says what the record already says) and its events, sealed. */
interface PlannedUpdate {
  item: CoklitBatchItem;
  cas?: CasRow;
  events: VoterRecordEventsTable[];
}

/**
 * What a push's coklit updates do, decided before any transaction opens (reads, decryption, the
 * merge rule and the sealing of the new states and events all happen here, so a transaction holds
 * its locks, and SQLite's one writer, only for the writes).
 */
export interface CoklitPlan {
  /** Updates already stored (by submission id): the first outcome stands. */
  done: string[];
  /** Updates written by writeCoklitPlan if each record still has the version they were decided on. */
  planned: PlannedUpdate[];
  /** What the batch does not settle: a conflict, a record named twice, not found or out of scope. */
  rest: CoklitBatchItem[];
}

/**
 * Decides a push's coklit updates, the common case in one go: each made on the record's current
 * version that applies, and each (on any version up to the current) that says what the record
 * already says against the state its officer saw, is planned with its sealed events; every other (a
 * conflict, a base version the record never had, a record named twice, not found or out of scope)
 * goes to `rest`, for the one-by-one path (applyRecordUpdate), which decides it exactly as it would
 * have alone. The records are read and opened once each (their keys are cached per
 * village by DataKeys).
 */
export async function planCoklitBatch(db: Kysely<Database>, keys: DataKeys, items: readonly CoklitBatchItem[], now: string): Promise<CoklitPlan> {
  const plan: CoklitPlan = { done: [], planned: [], rest: [] };
  if (items.length === 0) return plan;
  const rows = new Map((await readRecords(db, [...new Set(items.map((i) => i.recordId))])).map((r) => [r.recordId, r]));
  // One read of the records' history: which of these updates are stored already (an event per
  // submission and record), and each record's kept states by version (sealed), for an update made
  // on an older version (what its officer saw) and to tell whether the current version is kept.
  const seen = new Set<string>();
  const kept = new Map<string, string | null>();
  for (const chunk of inChunks([...rows.keys()], 500)) {
    const evs = await db.selectFrom('voter_record_events').select(['record_id', 'submission_id', 'version', 'change_json']).where('record_id', 'in', chunk).execute();
    for (const e of evs) {
      if (e.submission_id !== null) seen.add(`${e.submission_id}/${e.record_id}`);
      if (e.version !== null) kept.set(`${e.record_id}/${Number(e.version)}`, e.change_json);
    }
  }
  const named = new Map<string, number>();
  for (const i of items) named.set(i.recordId, (named.get(i.recordId) ?? 0) + 1);
  for (const item of items) {
    if (seen.has(`${item.submissionId}/${item.recordId}`)) {
      plan.done.push(item.submissionId);
      continue;
    }
    const row = rows.get(item.recordId);
    if (!row || !covers(item.scope, row.village) || named.get(item.recordId)! > 1 || row.version < item.baseVersion) {
      plan.rest.push(item);
      continue;
    }
    const dek = await keys.keyForScope(votersScope(row.village));
    const current = stateOf(row, await openRecord(keys, row));
    // An update made on an older version is read against the state the officer saw (as applyRecordUpdate does).
    const seenState =
      row.version === item.baseVersion ? current : ((await keptState(keys, row.recordId, item.baseVersion, (v) => kept.get(`${row.recordId}/${v}`))) ?? current);
    let update = updateFromCoklit(item.recordId, item.baseVersion, seenState.data, item.coklit);
    if (update.changes) {
      const { desa: _d, tps: _t, ...changes } = update.changes;
      update = { ...update, changes };
    }
    const decision = decideUpdate(current, update);
    if (decision.kind !== 'apply' && decision.kind !== 'same') {
      plan.rest.push(item);
      continue;
    }
    const next = decision.kind === 'apply' ? decision.next : undefined;
    // One sealed event: the new state, and, when no event keeps the state it replaced (a record
    // loaded in bulk), what it replaced, so a later update on that version is judged against it.
    // An update that says what the record already says leaves the current state as it is.
    const sealed: SealedState | undefined = next && (kept.has(`${row.recordId}/${row.version}`) ? next : { ...next, prior: priorOf(current, next) });
    // The new data as canonical JSON once: sealed alone as the record's voter_json, and inside the event's state.
    const dataJson = next ? canonicalJson(next.data) : undefined;
    const events: VoterRecordEventsTable[] = [
      {
        id: newEventId(),
        record_id: row.recordId,
        village_code: row.village,
        version: next ? next.version : null,
        kind: 'coklit',
        submission_id: item.submissionId,
        outcome: update.outcome ?? null,
        change_json: next && sealed ? keys.encryptWith(dek, canonicalJsonWith(sealed, { data: dataJson! }), eventAad(row.recordId, next.version)) : null,
        actor_id: item.by.actorId,
        actor_role: item.by.actorRole,
        at: now,
      },
    ];
    let cas: CasRow | undefined;
    if (next) {
      // The NIK's blind index is written only when the NIK changed: its index is left alone otherwise.
      const nikChanged = next.data.nik !== current.data.nik || row.nikHash === null;
      cas = {
        recordId: row.recordId,
        base: row.version,
        version: next.version,
        voterJson: keys.encryptWith(dek, dataJson!, voterAad(row.village, row.tps, row.position)),
        outcome: next.outcome,
        tmsCode: next.tmsCode,
        by: item.by.actorId,
        ...(nikChanged ? { nikHash: derivedColumns(keys, next.data).nik_hash } : {}),
        sex: next.data.jenisKelamin,
        disabled: hasDisability(next.data),
      };
    }
    plan.planned.push({ item, events, ...(cas ? { cas } : {}) });
  }
  return plan;
}

/** Rows per compare-and-set statement: 10 parameters each, far below either database's limit. */
const CAS_ROWS = 200;

/**
 * Writes many records' next states, each only if the record still has the version it was read at
 * (compare-and-set), as one UPDATE … FROM (VALUES …) per 200 records on either database; returns
 * the ids of the records written. The values are cast so PostgreSQL types them as the columns.
 * Records whose NIK did not change keep their blind index: on SQLite, a column named in SET
 * rewrites its index entry even when the value is the same.
 */
async function writeStates(trx: Kysely<Database>, rows: readonly CasRow[], now: string): Promise<Set<string>> {
  const written = new Set<string>();
  const sameNik = rows.filter((r) => r.nikHash === undefined);
  const newNik = rows.filter((r) => r.nikHash !== undefined);
  for (const [group, withNik] of [
    [sameNik, false],
    [newNik, true],
  ] as const) {
    for (const chunk of inChunks(group, CAS_ROWS)) {
      const values = sql.join(
        chunk.map(
          (r) =>
            sql`(CAST(${r.recordId} AS TEXT), CAST(${r.base} AS INTEGER), CAST(${r.version} AS INTEGER), CAST(${r.voterJson} AS TEXT), CAST(${r.outcome} AS TEXT), CAST(${r.tmsCode} AS TEXT), CAST(${r.by} AS TEXT), CAST(${r.sex} AS TEXT), CAST(${r.disabled} AS INTEGER), CAST(${r.nikHash ?? null} AS TEXT))`,
        ),
      );
      // VALUES names its columns column1…column10 on both databases.
      const result = await sql<{ record_id: string }>`
        UPDATE assignment_voters
        SET version = v.column3, voter_json = v.column4, outcome = v.column5, tms_code = v.column6, updated_at = ${now}, updated_by = v.column7,
            sex = v.column8, disabled = v.column9${withNik ? sql`, nik_hash = v.column10` : sql``}
        FROM (VALUES ${values}) AS v
        WHERE assignment_voters.record_id = v.column1 AND assignment_voters.version = v.column2
        RETURNING assignment_voters.record_id`.execute(trx);
      for (const r of result.rows) written.add(r.record_id);
    }
  }
  return written;
}

/**
 * Writes a plan's updates in the caller's transaction: the records' compare-and-sets as one
 * statement, then the events of those that landed (and of those that said what the record already
 * said) in multi-row inserts. `only`: just the updates of these submissions (the ones a push stored
 * now). Returns the submissions settled, and those whose compare-and-set another writer won (for the
 * one-by-one path, which judges them again).
 */
export async function writeCoklitPlan(
  trx: Kysely<Database>,
  planned: readonly PlannedUpdate[],
  now: string,
  only?: ReadonlySet<string>,
): Promise<{ ok: string[]; lost: CoklitBatchItem[] }> {
  const mine = only ? planned.filter((p) => only.has(p.item.submissionId)) : planned;
  const landed = await writeStates(
    trx,
    mine.flatMap((p) => (p.cas ? [p.cas] : [])),
    now,
  );
  const ok: string[] = [];
  const lost: CoklitBatchItem[] = [];
  const events: VoterRecordEventsTable[] = [];
  for (const p of mine) {
    if (p.cas && !landed.has(p.cas.recordId)) {
      lost.push(p.item);
      continue;
    }
    events.push(...p.events);
    ok.push(p.item.submissionId);
  }
  for (const chunk of inChunks(events, 300)) await trx.insertInto('voter_record_events').values(chunk).execute();
  return { ok, lost };
}

/**
 * The coklit updates of one push after it is stored (the sweep's and the fallback's path): planned,
 * then written in one transaction with, with `clearMark`, the clearing of their submissions' pending
 * marks (migration 061), so the records and the marks change together. An update already stored
 * counts as done. What the batch does not settle is returned for the one-by-one path.
 */
export async function applyCoklitBatch(
  db: Kysely<Database>,
  keys: DataKeys,
  items: readonly CoklitBatchItem[],
  o: { now: string; clearMark?: boolean },
): Promise<{ done: string[]; rest: CoklitBatchItem[] }> {
  if (items.length === 0) return { done: [], rest: [] };
  const plan = await planCoklitBatch(db, keys, items, o.now);
  try {
    const written = await db.transaction().execute(async (trx) => {
      const w = await writeCoklitPlan(trx, plan.planned, o.now);
      const cleared = [...plan.done, ...w.ok];
      if (o.clearMark) for (const chunk of inChunks(cleared, 500)) await trx.updateTable('submissions').set({ voter_pending: null }).where('id', 'in', chunk).execute();
      return w;
    });
    return { done: [...plan.done, ...written.ok], rest: [...plan.rest, ...written.lost] };
  } catch {
    // Another writer stored one of these updates meanwhile (the one-event index): each goes alone.
    return { done: plan.done, rest: [...plan.rest, ...plan.planned.map((p) => p.item)] };
  }
}

const PENDING_TEXT = 'Konflik: ada catatan lain tentang pemilih ini. Data Anda disimpan; PPS akan memutuskan.';

async function tellSubmission(db: Kysely<Database>, dialect: DialectName, id: string, status: 'diproses' | 'selesai' | 'ditolak', answer: string, now: string): Promise<void> {
  // A status it already has or cannot take (practice, final) is left as it is: the resolution stays in the record's history.
  await updateSubmissionStatus(db, dialect, { id, status, answer, now });
}

/** Conflicts in scope (open ones by default), oldest first, opened: personal data, so the caller audits. */
export async function listConflicts(db: Kysely<Database>, keys: DataKeys, q: { scope: string; status?: 'open' | 'resolved'; limit?: number }): Promise<VoterConflict[]> {
  const rows = await db
    .selectFrom('voter_conflicts')
    .selectAll()
    .where('status', '=', q.status ?? 'open')
    .where((eb) => eb.or([eb('village_code', '=', q.scope), eb('village_code', 'like', `${q.scope}.%`)]))
    .orderBy('created_at')
    .orderBy('id')
    .limit(Math.min(q.limit ?? 200, 1000))
    .execute();
  const out: VoterConflict[] = [];
  for (const r of rows) {
    const current = JSON.parse(await keys.decryptField(r.current_json, conflictAad(r.id, 'current'))) as RecordState;
    const incoming = JSON.parse(await keys.decryptField(r.incoming_json, conflictAad(r.id, 'incoming'))) as RecordState;
    out.push({
      id: r.id,
      recordId: r.record_id,
      village: r.village_code,
      tps: r.tps,
      baseVersion: r.base_version === null ? null : Number(r.base_version),
      currentVersion: Number(r.current_version),
      incomingKind: r.incoming_kind,
      status: r.status,
      resolution: r.resolution,
      createdAt: r.created_at,
      current,
      incoming,
      fields: diffStates(current, incoming),
    });
  }
  return out;
}

export type ResolveResult = { ok: true; version: number } | { ok: false; error: 'not_found' | 'resolved' };

const RESOLVED_TEXT: Record<Resolution['kind'], string> = {
  current: 'Konflik diselesaikan PPS: data yang sudah tercatat lebih dulu dipakai.',
  incoming: 'Konflik diselesaikan PPS: data catatan yang datang kemudian dipakai.',
  merge: 'Konflik diselesaikan PPS: data kedua catatan digabung per kolom.',
  field: 'Konflik: PPS meminta pemilih ini dikunjungi lagi. Buat catatan coklit baru.',
};

/**
 * Settles one open conflict in scope: the record takes the chosen values (on top of its state now)
 * at a new version, the conflict closes, the audit log says who chose what, and the officers of
 * both sides hear it at their next pull.
 */
export async function resolveVoterConflict(
  db: Kysely<Database>,
  dialect: DialectName,
  keys: DataKeys,
  q: { id: string; scope: string; resolution: Resolution; by: Actor; now: string },
): Promise<ResolveResult> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const c = await db
      .selectFrom('voter_conflicts')
      .selectAll()
      .where('id', '=', q.id)
      .where((eb) => eb.or([eb('village_code', '=', q.scope), eb('village_code', 'like', `${q.scope}.%`)]))
      .executeTakeFirst();
    if (!c) return { ok: false, error: 'not_found' };
    if (c.status !== 'open') return { ok: false, error: 'resolved' };
    const row = await readRecord(db, c.record_id);
    if (!row) return { ok: false, error: 'not_found' };
    const dek = await keys.keyForScope(votersScope(row.village));
    const now = stateOf(row, await openRecord(keys, row));
    const current = JSON.parse(await keys.decryptField(c.current_json, conflictAad(c.id, 'current'))) as RecordState;
    const incoming = JSON.parse(await keys.decryptField(c.incoming_json, conflictAad(c.id, 'incoming'))) as RecordState;
    const next = resolveConflict(now, current, incoming, q.resolution);
    const done = await db.transaction().execute(async (trx) => {
      const closed = await trx
        .updateTable('voter_conflicts')
        .set({ status: 'resolved', resolution: q.resolution.kind, resolved_by: q.by.actorId, resolved_at: q.now })
        .where('id', '=', c.id)
        .where('status', '=', 'open')
        .executeTakeFirst();
      if (Number(closed.numUpdatedRows) !== 1) return 'resolved' as const;
      if (!(await writeState(trx, keys, dek, row, next, q.by.actorId, q.now))) throw new RetryResolve();
      await trx
        .insertInto('voter_record_events')
        .values({
          id: newEventId(),
          record_id: row.recordId,
          village_code: row.village,
          version: next.version,
          kind: 'resolve',
          submission_id: null,
          outcome: next.outcome,
          change_json: keys.encryptWith(dek, canonicalJson(next), eventAad(row.recordId, next.version)),
          actor_id: q.by.actorId,
          actor_role: q.by.actorRole,
          at: q.now,
        })
        .execute();
      await appendAudit(trx, dialect, {
        ...q.by,
        action: 'voters.resolve',
        subject: c.id,
        regionCode: row.village,
        detail: { record: row.recordId, resolution: q.resolution.kind, version: next.version },
        at: q.now,
      });
      return 'ok' as const;
    }).catch((e: unknown) => {
      if (e instanceof RetryResolve) return 'retry' as const;
      throw e;
    });
    if (done === 'retry') continue;
    if (done === 'resolved') return { ok: false, error: 'resolved' };
    const status = q.resolution.kind === 'field' ? 'ditolak' : 'selesai';
    for (const id of new Set([c.incoming_submission_id, c.current_submission_id])) {
      if (id) await tellSubmission(db, dialect, id, status, RESOLVED_TEXT[q.resolution.kind], q.now);
    }
    return { ok: true, version: next.version };
  }
  throw new Error('voter record kept changing under the resolution');
}

class RetryResolve extends Error {}

/** A record's history without personal data: which change, by which role, when; linked tanggapan DPS included. */
export async function recordHistory(db: Kysely<Database>, recordId: string): Promise<VoterHistoryEntry[]> {
  const rows = await db
    .selectFrom('voter_record_events')
    .select(['version', 'kind', 'outcome', 'submission_id', 'actor_role', 'at'])
    .where('record_id', '=', recordId)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    version: r.version === null ? null : Number(r.version),
    kind: r.kind,
    outcome: (r.outcome as Outcome | null) ?? null,
    submissionId: r.submission_id,
    actorRole: r.actor_role,
    at: r.at,
  }));
}
