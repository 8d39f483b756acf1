// Pemilih ganda (issue #13): the blind keys of every voter record, written with the record, and
// the pairs the duplicate search finds. Personal data stays sealed: the keys are keyed hashes
// (server/crypto/match-keys.ts), so SQL groups equal NIKs, equal name + birth date and the
// comparison blocks (birth date + village, birth date + KK) without holding any of them; the
// record's card (name, NIK, birth date, KK, village, TPS) is sealed under its village's voters key
// and opened only for the records of a small block or a pair shown to staff.
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../db/schema.ts';

export function voterDuplicatesMigration(_dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('voter_match_keys')
        .addColumn('record_key', 'text', (c) => c.primaryKey())
        .addColumn('village_code', 'text', (c) => c.notNull())
        .addColumn('tps', 'text', (c) => c.notNull())
        .addColumn('nik_key', 'text', (c) => c.notNull())
        .addColumn('name_birth_key', 'text', (c) => c.notNull())
        .addColumn('birth_village_key', 'text', (c) => c.notNull())
        .addColumn('birth_kk_key', 'text', (c) => c.notNull())
        // The record's version (assignment_voters.version, migration 050) these keys were made from.
        .addColumn('record_version', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('card', 'text', (c) => c.notNull())
        // 0 once the record left the list (TMS, removed): no new pair is opened for it.
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      for (const column of ['nik_key', 'name_birth_key', 'birth_village_key', 'birth_kk_key'] as const) {
        // The key first, then the record: the grouping reads the index alone.
        await db.schema.createIndex(`voter_match_keys_${column}_idx`).on('voter_match_keys').columns([column, 'record_key']).execute();
      }
      await db.schema
        .createTable('voter_duplicate_pairs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        // key_a < key_b: one row per pair whichever way it was found.
        .addColumn('key_a', 'text', (c) => c.notNull())
        .addColumn('key_b', 'text', (c) => c.notNull())
        .addColumn('village_a', 'text', (c) => c.notNull())
        .addColumn('village_b', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('score', 'integer', (c) => c.notNull())
        // terbuka (open) | ganda | bukan_ganda: a decided pair is never reopened by a later search.
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('found_at', 'text', (c) => c.notNull())
        .addColumn('seen_at', 'text', (c) => c.notNull())
        .addColumn('decided_at', 'text')
        .addColumn('decided_by', 'text')
        // The record given the TMS-ganda outcome when the pair was decided ganda.
        .addColumn('tms_key', 'text')
        .addUniqueConstraint('voter_duplicate_pairs_keys_uq', ['key_a', 'key_b'])
        .execute();
      await db.schema.createIndex('voter_duplicate_pairs_status_idx').on('voter_duplicate_pairs').columns(['status', 'score', 'id']).execute();
      await db.schema.createIndex('voter_duplicate_pairs_village_a_idx').on('voter_duplicate_pairs').columns(['village_a']).execute();
      await db.schema.createIndex('voter_duplicate_pairs_village_b_idx').on('voter_duplicate_pairs').columns(['village_b']).execute();
    },
  };
}
