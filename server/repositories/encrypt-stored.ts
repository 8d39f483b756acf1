// Rows stored before encryption at rest (migration 011) are encrypted at start, in batches, by
// whichever process starts first; a value already in the `j1.` form is left alone, and each
// update only applies if the row still holds the plaintext it read, so processes starting
// together on one PostgreSQL neither clash nor encrypt twice. Plain copies of the old values may
// linger in free database pages until the database is vacuumed (see docs/operations.md).
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { derivedColumns, newRecordId, openRecord, readRecordsPage, voterAad } from './voter-records.ts';
import { sealSubmission } from './submission-fields.ts';
import { FIELD_PREFIX, votersScope, type DataKeys } from '../crypto/data-keys.ts';
import { smsNumbersOf, type SmsNumbers } from '../crypto/sms-numbers.ts';

const BATCH = 500;

export interface EncryptedCounts {
  submissions: number;
  voters: number;
  /** SMS rows whose phone number was stored in the clear (before migration 020). */
  smsNumbers: number;
  /** Voter records stored before migration 050, given their blind NIK, sex and disability flag. */
  voterIndex: number;
}

/** Fills the clear columns of voter records stored before migration 050 (the migration has no key). */
async function indexStoredVoters(db: Kysely<Database>, keys: DataKeys): Promise<number> {
  let done = 0;
  for (;;) {
    const rows = await readRecordsPage(db, { limit: BATCH, missingIndex: true });
    if (rows.length === 0) return done;
    const derived = await Promise.all(rows.map(async (r) => ({ r, columns: derivedColumns(keys, await openRecord(keys, r)) })));
    let batch = 0;
    await db.transaction().execute(async (trx) => {
      for (const { r, columns } of derived) {
        // By the row's place, not its record_id: a row written without one (by hand, an old tool) gets one here.
        const updated = await trx
          .updateTable('assignment_voters')
          .set({ ...columns, ...(r.recordId ? {} : { record_id: newRecordId() }) })
          .where('village_code', '=', r.village)
          .where('tps', '=', r.tps)
          .where('position', '=', r.position)
          .where('nik_hash', 'is', null)
          .executeTakeFirst();
        batch += Number(updated.numUpdatedRows);
      }
    });
    done += batch;
    // Nothing of this page changed (another process did it meanwhile, or it cannot be): stop rather than spin.
    if (batch === 0) return done;
  }
}

function notEncrypted(column: 'payload_json' | 'voter_json') {
  return sql<boolean>`substr(${sql.ref(column)}, 1, ${FIELD_PREFIX.length}) <> ${FIELD_PREFIX}`;
}

export async function encryptStoredRows(db: Kysely<Database>, keys: DataKeys): Promise<EncryptedCounts> {
  const counts: EncryptedCounts = { submissions: 0, voters: 0, smsNumbers: 0, voterIndex: 0 };
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
  counts.voterIndex = await indexStoredVoters(db, keys);
  counts.smsNumbers = await encryptSmsNumbers(db, await smsNumbersOf(keys));
  return counts;
}

/** The tables holding a phone number, the column it is in, and the rest of each row's key. */
const NUMBER_TABLES = [
  { table: 'sms_parts', number: 'sender', sealed: 'sender_sealed', key: ['message_id', 'part_index'] },
  { table: 'sms_messages', number: 'sender', sealed: 'sender_sealed', key: ['message_id'] },
  { table: 'sms_outbox', number: 'recipient', sealed: 'recipient_sealed', key: ['submission_id', 'status'] },
] as const;

/**
 * Rows stored before migration 020 hold the number itself in their key column and no sealed copy:
 * the key column gets the number's blind index and the number is sealed beside it. A row whose
 * converted twin already exists (the same part delivered again meanwhile) is dropped instead.
 */
async function encryptSmsNumbers(db: Kysely<Database>, numbers: SmsNumbers): Promise<number> {
  let converted = 0;
  for (const { table, number, sealed, key } of NUMBER_TABLES) {
    for (;;) {
      const rows = await sql<Record<string, string | number>>`select ${sql.join([number, ...key].map((c) => sql.ref(c)))} from ${sql.table(table)}
        where ${sql.ref(sealed)} is null limit ${BATCH}`.execute(db);
      if (rows.rows.length === 0) break;
      await db.transaction().execute(async (trx) => {
        for (const row of rows.rows) {
          const plain = String(row[number]);
          const index = numbers.indexOf(plain);
          const sameKey = sql.join(key.map((c) => sql`${sql.ref(c)} = ${row[c]}`), sql` and `);
          const twin = await sql`select 1 as one from ${sql.table(table)} where ${sql.ref(number)} = ${index} and ${sameKey}`.execute(trx);
          const done =
            twin.rows.length > 0
              ? await sql`delete from ${sql.table(table)} where ${sql.ref(number)} = ${plain} and ${sql.ref(sealed)} is null and ${sameKey}`.execute(trx)
              : await sql`update ${sql.table(table)} set ${sql.ref(number)} = ${index}, ${sql.ref(sealed)} = ${numbers.seal(plain)}
                  where ${sql.ref(number)} = ${plain} and ${sql.ref(sealed)} is null and ${sameKey}`.execute(trx);
          converted += Number(done.numAffectedRows ?? 0);
        }
      });
    }
  }
  return converted;
}
