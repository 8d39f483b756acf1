// What a stored submission does to the voter records (issue #13): a coklit record naming a record
// and its base version updates that record; a resident's tanggapan DPS naming the NIK of a listed
// voter is linked to that record (and opens a conflict when it says otherwise). Each update is
// idempotent by submission id. The push marks each submission that owes an update
// (submissions.voter_pending, in its own transaction). The common case, an officer's coklit on the
// record's current version, is decided before the push's transaction and written inside it
// (coklitStepForPush), so the record, its events and the submission commit together and no mark
// is left. What that does not settle (a conflict, a stale base, a lost compare-and-set, a tanggapan,
// any failure of the voter part, which never fails the push) keeps its mark and is applied after
// the commit (applyToVoterRecords); an update lost there (a crash, a failure) is applied by
// sweepVoterUpdates, at start and on a timer.
import { sql, type Kysely } from 'kysely';
import type { SubmissionEnvelope } from '../../core/protocol.ts';
import type { RecordUpdate } from '../../core/voters/merge.ts';
import type { PushingOfficer } from '../auth/submission-access.ts';
import type { DataKeys } from '../crypto/data-keys.ts';
import type { Database, DialectName } from '../db/schema.ts';
import { applyCoklitBatch, applyRecordUpdate, planCoklitBatch, writeCoklitPlan, type CoklitBatchItem } from '../repositories/voter-updates.ts';
import type { InTransactionStep } from '../repositories/submissions.ts';
import { readRecordsByNikHash } from '../repositories/voter-records.ts';
import { PROVINCE_CODE } from '../../core/regions.ts';
import type { Role } from '../../core/auth/roles.ts';
import { payloadCodec } from './payload-codec.ts';

export const COKLIT_FORMS: ReadonlySet<string> = new Set(['coklit-pilkada']);
export const TANGGAPAN_FORM = 'tanggapan-dps';

/** What a tanggapan DPS claims about a listed voter, as a record update; undefined for "not listed yet". */
export function tanggapanUpdate(recordId: string, data: Readonly<Record<string, unknown>>): RecordUpdate | undefined {
  const tms: Record<string, string> = { meninggal: '1', ganda: '2', belum_cukup_umur: '3', pindah: '4', tni_polri: '6' };
  const kind = data.jenisTanggapan;
  if (typeof kind !== 'string') return undefined;
  if (kind in tms) return { recordId, baseVersion: null, kind: 'tanggapan', outcome: 'tms', tmsCode: tms[kind]! };
  if (kind === 'data_salah') return { recordId, baseVersion: null, kind: 'tanggapan', outcome: 'ubah' };
  return undefined;
}

/**
 * What a submission owes the voter records, as the push stores it beside it: a coklit naming its
 * record (pushed by an officer) its record key and base version, a tanggapan DPS naming a NIK
 * 'tanggapan'; null when it owes nothing (practice included). No personal data: the NIK stays sealed.
 */
export function voterPendingMark(e: SubmissionEnvelope, officer: PushingOfficer | undefined): string | null {
  if (e.practice === true) return null;
  if (COKLIT_FORMS.has(e.formId) && e.record && officer) return JSON.stringify({ id: e.record.id, baseVersion: e.record.baseVersion });
  if (e.formId === TANGGAPAN_FORM && typeof e.data.nikBersangkutan === 'string') return 'tanggapan';
  return null;
}

/** The coklit records among `items` (each naming its record and base version), as updates by `officer` in its scope. */
function coklitBatchItems(items: readonly SubmissionEnvelope[], officer: PushingOfficer): CoklitBatchItem[] {
  const by = { actorId: officer.accountId, actorRole: officer.role };
  return items.flatMap((e) =>
    COKLIT_FORMS.has(e.formId) && e.record ? [{ submissionId: e.id, recordId: e.record.id, baseVersion: e.record.baseVersion, coklit: e.data, by, scope: officer.scope }] : [],
  );
}

/**
 * The push's coklit updates that its own transaction can settle: decided now (records read and
 * opened, states sealed), written by the returned step inside the transaction for the submissions
 * it inserted. Undefined when there is nothing to write there.
 */
export async function coklitStepForPush(
  db: Kysely<Database>,
  keys: DataKeys,
  items: readonly SubmissionEnvelope[],
  officer: PushingOfficer | undefined,
  now: string,
): Promise<InTransactionStep | undefined> {
  if (!officer) return undefined;
  const coklit = coklitBatchItems(items.filter((e) => e.practice !== true), officer);
  if (coklit.length === 0) return undefined;
  const plan = await planCoklitBatch(db, keys, coklit, now);
  if (plan.planned.length === 0) return undefined;
  const step: InTransactionStep = async (trx, inserted) => (await writeCoklitPlan(trx, plan.planned, now, inserted)).ok;
  // What it settles is stored unmarked; what it then does not is marked in the same transaction.
  step.covers = new Set(plan.planned.map((p) => p.item.submissionId));
  return step;
}

type Applicable = Pick<SubmissionEnvelope, 'id' | 'formId' | 'data' | 'record' | 'practice'>;

async function applyOne(db: Kysely<Database>, dialect: DialectName, keys: DataKeys, e: Applicable, officer: PushingOfficer | undefined, now: string): Promise<void> {
  if (e.practice === true) return;
  if (COKLIT_FORMS.has(e.formId) && e.record && officer) {
    // Only an officer whose region covers the record's village updates it (checked in applyRecordUpdate).
    await applyRecordUpdate(db, dialect, keys, {
      update: { coklit: e.data, recordId: e.record.id, baseVersion: e.record.baseVersion },
      submissionId: e.id,
      by: { actorId: officer.accountId, actorRole: officer.role },
      scope: officer.scope,
      now,
    });
  } else if (e.formId === TANGGAPAN_FORM && typeof e.data.nikBersangkutan === 'string') {
    const records = await readRecordsByNikHash(db, [keys.blindIndex(e.data.nikBersangkutan)]);
    for (const r of records) {
      const update = tanggapanUpdate(r.recordId, e.data);
      await applyRecordUpdate(db, dialect, keys, {
        update: update ?? { recordId: r.recordId, baseVersion: null, kind: 'tanggapan' },
        submissionId: e.id,
        by: { actorId: `submission:${e.id}`, actorRole: 'warga' },
        scope: PROVINCE_CODE,
        now,
      });
    }
  }
}

async function clearMark(db: Kysely<Database>, id: string): Promise<void> {
  await db.updateTable('submissions').set({ voter_pending: null }).where('id', '=', id).where('voter_pending', 'is not', null).execute();
}

/**
 * Applies what the newly accepted submissions of a push owe the voter records, clearing each one's
 * mark once done. One that fails keeps its mark (the sweep takes it again); the others still run,
 * and the first failure is thrown at the end for the caller to log.
 */
export async function applyToVoterRecords(
  db: Kysely<Database>,
  dialect: DialectName,
  keys: DataKeys,
  accepted: readonly SubmissionEnvelope[],
  officer: PushingOfficer | undefined,
  now: string,
): Promise<void> {
  let failure: unknown;
  const owing = accepted.filter((e) => voterPendingMark(e, officer) !== null);
  // The push's coklit updates in one transaction with their marks; what that does not settle goes one by one.
  const coklit = officer ? coklitBatchItems(owing, officer) : [];
  let settled = new Set<string>();
  if (coklit.length > 0) {
    try {
      const batch = await applyCoklitBatch(db, keys, coklit, { now, clearMark: true });
      settled = new Set(batch.done);
    } catch (err) {
      failure ??= err;
    }
  }
  for (const e of owing) {
    if (settled.has(e.id)) continue;
    try {
      await applyOne(db, dialect, keys, e, officer, now);
      await clearMark(db, e.id);
    } catch (err) {
      failure ??= err;
    }
  }
  if (failure !== undefined) throw failure;
}

export interface SweepResult {
  /** Marked submissions whose update was done now (or found done already) and unmarked. */
  applied: number;
  /** Marked submissions whose update failed again: they keep their mark. */
  failed: number;
}

const SWEEP_PAGE = 200;

/**
 * Applies the voter record updates that pushes stored but did not finish (a crash between the
 * commit and the update, an update that failed), oldest first, and clears their marks. Safe to run
 * beside live pushes and other sweeps: each update is idempotent by submission id, and a second
 * one racing the first fails on the one-event-per-(submission, record) index and counts as done.
 * `before`: only submissions received before this time (the live path's own updates are left to it).
 */
export async function sweepVoterUpdates(
  db: Kysely<Database>,
  dialect: DialectName,
  keys: DataKeys,
  q: { now: string; before?: string; limit?: number },
): Promise<SweepResult> {
  const codec = payloadCodec(keys);
  const result: SweepResult = { applied: 0, failed: 0 };
  const failed = new Set<string>();
  const limit = q.limit ?? 10_000;
  let after = '';
  while (result.applied + result.failed < limit) {
    const rows = await db
      .selectFrom('submissions')
      .leftJoin('accounts', 'accounts.id', 'submissions.account_id')
      .select(['submissions.id', 'submissions.form_id', 'submissions.payload_json', 'submissions.voter_pending', 'submissions.practice', 'submissions.account_id', 'accounts.role', 'accounts.scope', 'submissions.received_at'])
      .where(sql<boolean>`submissions.voter_pending is not null`)
      .$if(q.before !== undefined, (b) => b.where('submissions.received_at', '<', q.before!))
      .where('submissions.id', '>', after)
      .orderBy('submissions.id')
      .limit(SWEEP_PAGE)
      .execute();
    if (rows.length === 0) break;
    after = rows.at(-1)!.id;
    for (const r of rows) {
      if (failed.has(r.id)) continue;
      try {
        const data = JSON.parse(await codec.read(r.id, r.payload_json)) as SubmissionEnvelope['data'];
        const mark = r.voter_pending!;
        const record = mark === 'tanggapan' ? undefined : (JSON.parse(mark) as { id: string; baseVersion: number });
        const officer: PushingOfficer | undefined =
          r.account_id && r.role && r.scope ? { accountId: r.account_id, role: r.role as Role, scope: r.scope } : undefined;
        await applyOne(db, dialect, keys, { id: r.id, formId: r.form_id, data, ...(Number(r.practice) === 1 ? { practice: true as const } : {}), ...(record ? { record } : {}) }, officer, q.now);
        await clearMark(db, r.id);
        result.applied += 1;
      } catch {
        failed.add(r.id);
        result.failed += 1;
      }
    }
  }
  return result;
}
