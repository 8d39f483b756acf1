// What a stored submission does to the voter records (issue #13): a coklit record naming a record
// and its base version updates that record; a resident's tanggapan DPS naming the NIK of a listed
// voter is linked to that record (and opens a conflict when it says otherwise). Runs after the
// push is durable; each update is idempotent by submission id.
import type { Kysely } from 'kysely';
import type { SubmissionEnvelope } from '../../core/protocol.ts';
import type { RecordUpdate } from '../../core/voters/merge.ts';
import type { PushingOfficer } from '../auth/submission-access.ts';
import type { DataKeys } from '../crypto/data-keys.ts';
import type { Database, DialectName } from '../db/schema.ts';
import { applyRecordUpdate } from '../repositories/voter-updates.ts';
import { readRecordsByNikHash } from '../repositories/voter-records.ts';
import { PROVINCE_CODE } from '../../core/regions.ts';

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

export async function applyToVoterRecords(
  db: Kysely<Database>,
  dialect: DialectName,
  keys: DataKeys,
  accepted: readonly SubmissionEnvelope[],
  officer: PushingOfficer | undefined,
  now: string,
): Promise<void> {
  for (const e of accepted) {
    if (e.practice === true) continue;
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
}
