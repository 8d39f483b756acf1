// The resident's completion of a request the office returned (perlu dilengkapi): revision n of the
// same request, pushed with `revision: n` and only the fields the office named. Its idempotency key
// is (id, revision): the same pair with the same payload hash is answered with the original
// acknowledgement, another payload is an id_conflict (docs/sync-protocol.md, "Return for
// completion"). Every version is kept in submission_versions (the first filing as revision 0, copied
// at the first completion); the submission row then holds the latest answers, while its payload
// hash stays the first filing's, so a late resend of the first filing is still a duplicate.
// A returned photo or document field is completed with a new file reference, checked as a
// submission's (validateForm: sha256, type and size as the form says) and recorded as a
// submission's files are (recordSubmissionFiles), so the upload route takes its bytes from a device
// linked to the request; the file it replaces stays named under its kept key (keepReplacedFiles).
import type { Kysely } from 'kysely';
import type { FormDef } from '../../core/forms/definition.ts';
import { validateForm } from '../../core/forms/validate.ts';
import { fullContext } from '../../core/forms/full-context.ts';
import { fileRefsOf } from '../../core/forms/file-refs.ts';
import { canonicalJson } from '../../core/hash.ts';
import { dueAfterCompletion } from '../../core/office/sla-clock.ts';
import { detailJson, parseDetail } from '../../core/office/status-detail.ts';
import type { ItemResult, SubmissionEnvelope } from '../../core/protocol.ts';
import { submissionScope, type DataKeys } from '../crypto/data-keys.ts';
import type { Database, DialectName } from '../db/schema.ts';
import { keepReplacedFiles, recordSubmissionFiles } from '../repositories/attachments.ts';
import { appendAudit } from '../repositories/audit-log.ts';
import { appendChanges } from '../repositories/change-log.ts';
import { registerOrVerifyDevice, type DeviceCredentials } from '../repositories/devices.ts';
import { openPayload, sealSubmission } from '../repositories/submission-fields.ts';
import { payloadHash, sameHash, secretHash } from './hashing.ts';
import type { SubjectIndex } from '../crypto/subject-index.ts';
import { recordNames, recordSubjects } from '../repositories/subjects.ts';
import { indexNames, indexSubjects } from './subject-requests.ts';

export interface CompletionDeps {
  db: Kysely<Database>;
  dialect: DialectName;
  keys: DataKeys;
  findForm(formId: string, version: number): FormDef | undefined;
  /** The NIK and name blind indexes: the completed answers are indexed too (the first filing's rows stay, so either version is found). */
  index?: SubjectIndex;
}

/** Associated data of a kept version: it opens only as that revision of that request. */
export function versionAad(submissionId: string, revision: number): string {
  return `submission_versions.payload_json:${submissionId}:${revision}`;
}

const rejected = (id: string, reason: NonNullable<ItemResult['reason']>, errors?: ItemResult['errors']): ItemResult => ({
  id,
  outcome: 'rejected',
  reason,
  ...(errors ? { errors } : {}),
});

/** A pushed completion, answered as any push item is; or `device_auth` for a wrong device secret. */
export async function completeRequest(
  deps: CompletionDeps,
  device: DeviceCredentials,
  envelope: SubmissionEnvelope & { revision: number },
  receivedAt: string,
): Promise<ItemResult | 'device_auth'> {
  const { db, dialect, keys } = deps;
  const { id, revision } = envelope;
  const patchJson = canonicalJson(envelope.data);
  const hash = payloadHash(envelope, patchJson);
  const owns = (stored: string) => sameHash(stored, secretHash(envelope.secret));

  const seen = await db
    .selectFrom('submission_versions')
    .select(['payload_hash', 'received_at'])
    .where('submission_id', '=', id)
    .where('revision', '=', revision)
    .executeTakeFirst();
  if (seen) return sameHash(seen.payload_hash, hash) ? { id, outcome: 'duplicate', receivedAt: seen.received_at } : rejected(id, 'id_conflict');

  const row = await db
    .selectFrom('submissions')
    .select(['form_id', 'form_version', 'secret_hash', 'status', 'revision', 'status_detail', 'payload_json', 'payload_hash', 'received_at', 'due_on', 'status_at', 'region_code', 'practice'])
    .where('id', '=', id)
    .executeTakeFirst();
  // Not a request this server holds for the same form, or not waiting for this revision.
  if (!row || Number(row.practice) !== 0 || row.form_id !== envelope.formId || Number(row.form_version) !== envelope.formVersion) {
    return rejected(id, 'id_conflict');
  }
  if (!owns(row.secret_hash)) return rejected(id, 'forbidden');
  const asked = parseDetail(row.status_detail);
  if (row.status !== 'perlu_dilengkapi' || asked.revision !== revision) return rejected(id, 'id_conflict');
  const form = deps.findForm(envelope.formId, envelope.formVersion);
  if (!form) return rejected(id, 'unknown_form');

  const allowed = new Set(asked.fields ?? []);
  const outside = Object.keys(envelope.data).filter((k) => !allowed.has(k));
  if (outside.length > 0) return rejected(id, 'invalid_data', outside.map((field) => ({ field, code: 'not_returned' })));
  const previous = await openPayload(keys, id, row.payload_json);
  const merged: Record<string, unknown> = { ...previous, ...envelope.data };
  const { errors } = validateForm(form, merged, fullContext());
  if (errors.length > 0) return rejected(id, 'invalid_data', errors);

  // Sealed before the transaction (a key lookup inside it would wait on SQLite's one connection).
  const mergedJson = canonicalJson(merged);
  const sealed = await sealSubmission(keys, { id, formId: row.form_id, receivedAt: row.received_at, data: merged, payloadJson: mergedJson });
  const scope = submissionScope(row.form_id, row.received_at);
  const first =
    revision === 1
      ? { payload_json: await keys.encryptField(scope, canonicalJson(previous), versionAad(id, 0)), payload_hash: row.payload_hash, received_at: row.received_at }
      : undefined;
  const kept = await keys.encryptField(scope, mergedJson, versionAad(id, revision));
  const dueOn =
    row.due_on !== null && form.sla
      ? dueAfterCompletion({ dueOn: row.due_on, returnedAt: row.status_at, completedAt: receivedAt, workingDays: form.sla.workingDays })
      : row.due_on;
  const fields = [...allowed].filter((f) => f in envelope.data);
  const files = fileRefsOf(form, envelope.data).map(({ path, ref }) => ({ field: path, ...ref }));

  return db.transaction().execute(async (trx): Promise<ItemResult | 'device_auth'> => {
    if ((await registerOrVerifyDevice(trx, device, receivedAt)) !== 'ok') return 'device_auth';
    const detail = { revision };
    const updated = await trx
      .updateTable('submissions')
      .set({ ...sealed, revision, status: 'diproses', answer: null, answer_document: null, status_at: receivedAt, status_detail: detailJson(detail), due_on: dueOn })
      .where('id', '=', id)
      .where('status', '=', 'perlu_dilengkapi')
      .where('revision', '=', revision - 1)
      .returning('id')
      .execute();
    if (updated.length === 0) {
      // Another push of the same completion won the race: judge against what it stored.
      const other = await trx
        .selectFrom('submission_versions')
        .select(['payload_hash', 'received_at'])
        .where('submission_id', '=', id)
        .where('revision', '=', revision)
        .executeTakeFirst();
      return other && sameHash(other.payload_hash, hash) ? { id, outcome: 'duplicate', receivedAt: other.received_at } : rejected(id, 'id_conflict');
    }
    if (deps.index) {
      await recordSubjects(trx, indexSubjects(deps.index, form, merged).map((nikIndex) => ({ nikIndex, submissionId: id })));
      await recordNames(trx, indexNames(deps.index, form, merged).map((wordIndex) => ({ wordIndex, submissionId: id })));
    }
    if (first) await trx.insertInto('submission_versions').values({ submission_id: id, revision: 0, ...first, fields: null }).execute();
    // The completed fields' earlier files stay named, as of the revision they belong to; the new ones become current.
    await keepReplacedFiles(trx, id, fields, revision - 1);
    if (files.length > 0) await recordSubmissionFiles(trx, [{ submissionId: id, files }]);
    await trx
      .insertInto('submission_versions')
      .values({ submission_id: id, revision, payload_json: kept, payload_hash: hash, received_at: receivedAt, fields: JSON.stringify(fields) })
      .execute();
    await trx
      .insertInto('submission_devices')
      .values({ device_id: device.deviceId, submission_id: id })
      .onConflict((oc) => oc.columns(['device_id', 'submission_id']).doNothing())
      .execute();
    await appendAudit(trx, dialect, {
      actorId: device.deviceId,
      actorRole: 'device',
      action: 'submission.complete',
      subject: id,
      regionCode: row.region_code,
      detail: { revision, fields: fields.join(',') },
      at: receivedAt,
    });
    await appendChanges(trx, dialect, [{ submissionId: id, status: 'diproses', answer: null, at: receivedAt, detail }]);
    return { id, outcome: 'accepted', receivedAt };
  });
}
