// Loads generated submissions (generator.ts) straight into the server's tables, as the push route
// and the inbox would have left them: the region each one concerns and its due date (extension
// included), the current status, and one change-log row per status event. Multi-row inserts in
// one transaction, so a year of province-wide data loads in seconds (bench/kpi.ts).
import type { Kysely } from 'kysely';
import { submissionRegion } from '../../../core/auth/submission-scope.ts';
import { dueDate } from '../../../core/calendar/working-days.ts';
import { findForm, PUBLISHED_FORMS } from '../../../core/forms/catalog/index.ts';
import type { FormDef } from '../../../core/forms/definition.ts';
import type { Database } from '../../../server/db/schema.ts';
import type { DataKeys } from '../../../server/crypto/data-keys.ts';
import { sealSubmission, type SealedSubmissionColumns } from '../../../server/repositories/submission-fields.ts';
import type { SeedSubmission } from './generator.ts';

export const SEED_DEVICE_ID = 'seed-device';

/** The region the server stores for a submission (whose inbox and KPIs it counts in). */
export function storedRegion(r: Pick<SeedSubmission, 'formId' | 'formVersion' | 'data'>): string {
  return submissionRegion(formOf(r), r.data);
}

/** The due date the server stores: the SLA from receipt, plus the extension once used. */
export function storedDueOn(r: Pick<SeedSubmission, 'formId' | 'formVersion' | 'receivedAt' | 'extended'>): string | null {
  const form = formOf(r);
  return form.sla ? dueDate(r.receivedAt, form.sla, r.extended) : null;
}

function formOf(r: Pick<SeedSubmission, 'formId' | 'formVersion'>): FormDef {
  const form = findForm(PUBLISHED_FORMS, r.formId, r.formVersion);
  if (!form) throw new Error(`no form ${r.formId}@${r.formVersion}`);
  return form;
}

/**
 * With `keys` the answers are stored encrypted, as the push route stores them; without, in the
 * clear, as a database from before encryption at rest (the server encrypts them at its next start).
 */
export async function loadSeed(db: Kysely<Database>, records: readonly SeedSubmission[], rowsPerInsert = 500, keys?: DataKeys): Promise<void> {
  // Sealed before the transaction: loading a key inside it would wait on SQLite's one connection.
  const sealed = new Map<string, SealedSubmissionColumns>();
  if (keys) {
    for (const r of records) {
      sealed.set(r.id, await sealSubmission(keys, { id: r.id, formId: r.formId, receivedAt: r.receivedAt, data: r.data, payloadJson: JSON.stringify(r.data) }));
    }
  }
  await db.transaction().execute(async (trx) => {
    const now = new Date().toISOString();
    await trx
      .insertInto('devices')
      .values({ id: SEED_DEVICE_ID, secret_hash: 'seed', created_at: now, last_seen_at: now })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    for (let i = 0; i < records.length; i += rowsPerInsert) {
      const chunk = records.slice(i, i + rowsPerInsert);
      await trx
        .insertInto('submissions')
        .values(
          chunk.map((r) => {
            const last = r.statusHistory[r.statusHistory.length - 1];
            const extendedAt = r.extended ? r.statusHistory.find((e) => e.status === 'diproses')?.at ?? r.receivedAt : null;
            return {
              id: r.id,
              form_id: r.formId,
              form_version: r.formVersion,
              created_at: r.createdAt,
              received_at: r.receivedAt,
              ...(sealed.get(r.id) ?? { payload_json: JSON.stringify(r.data) }),
              payload_hash: 'seed',
              secret_hash: 'seed',
              device_id: SEED_DEVICE_ID,
              status: last?.status ?? 'diterima',
              answer: last?.answer ?? null,
              status_at: last?.at ?? r.receivedAt,
              region_code: storedRegion(r),
              due_on: storedDueOn(r),
              extended_at: extendedAt,
            };
          }),
        )
        .execute();
      const changes = chunk.flatMap((r) =>
        r.statusHistory.map((e) => ({ submission_id: r.id, status: e.status, answer: e.answer ?? null, at: e.at })),
      );
      for (let j = 0; j < changes.length; j += rowsPerInsert) {
        await trx.insertInto('changes').values(changes.slice(j, j + rowsPerInsert)).execute();
      }
    }
  });
}
