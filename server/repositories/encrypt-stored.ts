// Rows stored before encryption at rest (migration 011) are encrypted at start, in batches, by
// whichever process starts first; a value already in the `j1.` form is left alone, and each
// update only applies if the row still holds the plaintext it read, so processes starting
// together on one PostgreSQL neither clash nor encrypt twice. Plain copies of the old values may
// linger in free database pages until the database is vacuumed (see docs/operations.md).
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { voterAad } from './assignments.ts';
import { sealSubmission } from './submission-fields.ts';
import { FIELD_PREFIX, votersScope, type DataKeys } from '../crypto/data-keys.ts';

const BATCH = 500;

export interface EncryptedCounts {
  submissions: number;
  voters: number;
}

function notEncrypted(column: 'payload_json' | 'voter_json') {
  return sql<boolean>`substr(${sql.ref(column)}, 1, ${FIELD_PREFIX.length}) <> ${FIELD_PREFIX}`;
}

export async function encryptStoredRows(db: Kysely<Database>, keys: DataKeys): Promise<EncryptedCounts> {
  const counts: EncryptedCounts = { submissions: 0, voters: 0 };
  for (;;) {
    const rows = await db
      .selectFrom('submissions')
      .select(['id', 'form_id', 'received_at', 'payload_json'])
      .where(notEncrypted('payload_json'))
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) break;
    const sealed = await Promise.all(
      rows.map(async (r) => ({
        r,
        columns: await sealSubmission(keys, {
          id: r.id,
          formId: r.form_id,
          receivedAt: r.received_at,
          data: JSON.parse(r.payload_json) as Record<string, unknown>,
          payloadJson: r.payload_json,
        }),
      })),
    );
    await db.transaction().execute(async (trx) => {
      for (const { r, columns } of sealed) {
        const done = await trx.updateTable('submissions').set(columns).where('id', '=', r.id).where('payload_json', '=', r.payload_json).executeTakeFirst();
        counts.submissions += Number(done.numUpdatedRows);
      }
    });
  }
  for (;;) {
    const rows = await db
      .selectFrom('assignment_voters')
      .select(['village_code', 'tps', 'position', 'voter_json'])
      .where(notEncrypted('voter_json'))
      .limit(BATCH)
      .execute();
    if (rows.length === 0) break;
    const sealed = await Promise.all(
      rows.map(async (r) => ({
        r,
        stored: await keys.encryptField(votersScope(r.village_code), r.voter_json, voterAad(r.village_code, r.tps, r.position)),
      })),
    );
    await db.transaction().execute(async (trx) => {
      for (const { r, stored } of sealed) {
        const done = await trx
          .updateTable('assignment_voters')
          .set({ voter_json: stored })
          .where('village_code', '=', r.village_code)
          .where('tps', '=', r.tps)
          .where('position', '=', r.position)
          .where('voter_json', '=', r.voter_json)
          .executeTakeFirst();
        counts.voters += Number(done.numUpdatedRows);
      }
    });
  }
  return counts;
}
