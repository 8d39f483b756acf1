// Voter records (issue #13): each row of `assignment_voters` becomes a record with a stable key
// (`record_id`, kept when a re-upload of its TPS list still names the same NIK) and a `version`
// that every accepted change raises by one. A coklit visit, a resident's tanggapan DPS or a staff
// correction is an update of one record against the version it was based on; an update whose base
// is not the record's current version is kept beside it as a conflict, never written over it.
//
// Clear columns hold only what the recap counts and what SQL must match on: the NIK as a keyed
// hash (blind index, data-keys.ts), sex, a disability flag, the outcome and its TMS code. The
// personal data stays sealed in `voter_json` (and in the event and conflict rows). Rows stored
// before this migration get a random record_id here; their nik_hash and sex are filled at start
// (encrypt-stored.ts), since a migration runs without the key-encryption key.
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../db/schema.ts';

export function voterRecordsMigration(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const add = (column: string, type: 'text' | 'integer', notNullDefault?: string | number) =>
        db.schema
          .alterTable('assignment_voters')
          .addColumn(column, type, (c) => (notNullDefault === undefined ? c : c.notNull().defaultTo(notNullDefault)))
          .execute();
      await add('record_id', 'text');
      await add('version', 'integer', 1);
      await add('nik_hash', 'text');
      // 'list' (from an upload) or 'baru' (a new voter found in the field).
      await add('origin', 'text', 'list');
      // The coklit outcome so far: null (not visited), 'sesuai', 'ubah', 'baru', 'tms'; tms_code from the election's list.
      await add('outcome', 'text');
      await add('tms_code', 'text');
      await add('sex', 'text');
      await add('disabled', 'integer', 0);
      await add('updated_at', 'text');
      await add('updated_by', 'text');
      const random = dialect === 'postgres' ? sql`md5(random()::text || clock_timestamp()::text)` : sql`lower(hex(randomblob(16)))`;
      await sql`update assignment_voters set record_id = ${random} where record_id is null`.execute(db);
      await db.schema.createIndex('assignment_voters_record').on('assignment_voters').column('record_id').unique().execute();
      await db.schema.createIndex('assignment_voters_nik').on('assignment_voters').column('nik_hash').execute();

      // A record's history: every accepted change (and every tanggapan DPS linked to it), oldest first.
      await db.schema
        .createTable('voter_record_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('record_id', 'text', (c) => c.notNull())
        .addColumn('village_code', 'text', (c) => c.notNull())
        // The version this event produced; null when it changed nothing (a linked tanggapan, a conflict opened).
        .addColumn('version', 'integer')
        // 'upload' | 'coklit' | 'tanggapan' | 'staff' | 'resolve' | 'conflict'
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('submission_id', 'text')
        .addColumn('outcome', 'text')
        // The fields the event set (personal data): sealed like voter_json.
        .addColumn('change_json', 'text')
        .addColumn('actor_id', 'text', (c) => c.notNull())
        .addColumn('actor_role', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('voter_record_events_record').on('voter_record_events').columns(['record_id', 'at']).execute();
      await db.schema.createIndex('voter_record_events_submission').on('voter_record_events').column('submission_id').execute();

      // Two sides that could not both be the record: the record as it stood ('current') and the
      // update that arrived on a stale base ('incoming'), both sealed, until staff in scope resolve it.
      await db.schema
        .createTable('voter_conflicts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('record_id', 'text', (c) => c.notNull())
        .addColumn('village_code', 'text', (c) => c.notNull())
        .addColumn('tps', 'text', (c) => c.notNull())
        .addColumn('base_version', 'integer')
        .addColumn('current_version', 'integer', (c) => c.notNull())
        .addColumn('current_json', 'text', (c) => c.notNull())
        .addColumn('incoming_json', 'text', (c) => c.notNull())
        // 'coklit' | 'tanggapan' | 'staff'
        .addColumn('incoming_kind', 'text', (c) => c.notNull())
        .addColumn('incoming_submission_id', 'text')
        // The submission that set the current version, when one did: its officer learns the resolution too.
        .addColumn('current_submission_id', 'text')
        .addColumn('incoming_by', 'text', (c) => c.notNull())
        // 'open' | 'resolved'
        .addColumn('status', 'text', (c) => c.notNull())
        // 'current' | 'incoming' | 'merge' | 'field'
        .addColumn('resolution', 'text')
        .addColumn('resolved_by', 'text')
        .addColumn('resolved_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('voter_conflicts_open').on('voter_conflicts').columns(['status', 'village_code']).execute();
      await db.schema.createIndex('voter_conflicts_record').on('voter_conflicts').column('record_id').execute();
    },
  };
}
