// A request's office life cycle (issue #14): return for completion, reasoned refusals, internal
// notes and assignment.
// - submissions.revision: how many completions the request took (0: as first filed);
//   submissions.status_detail: JSON of the current status's details (the fields to complete and
//   the revision asked for; a refusal's ground and keberatan date), restated to newly linked devices;
//   submissions.assigned_to / assigned_at: the staff member in charge.
// - changes.detail: the same JSON on each change row, so the pull carries it.
// - submission_versions: every superseded version of a request's answers (sealed like the
//   submission's), keyed (submission_id, revision): the first filing is kept, never overwritten,
//   and (id, revision) is a completion's idempotency key.
// - request_notes: the office's internal notes (sealed; never pulled by a device).
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../db/schema.ts';

export function requestLifecycleMigration(_dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('submissions').addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('submissions').addColumn('status_detail', 'text').execute();
      await db.schema.alterTable('submissions').addColumn('assigned_to', 'text').execute();
      await db.schema.alterTable('submissions').addColumn('assigned_at', 'text').execute();
      await db.schema.alterTable('changes').addColumn('detail', 'text').execute();
      await db.schema
        .createTable('submission_versions')
        .addColumn('submission_id', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('payload_json', 'text', (c) => c.notNull())
        .addColumn('payload_hash', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('fields', 'text')
        .addPrimaryKeyConstraint('submission_versions_pk', ['submission_id', 'revision'])
        .execute();
      await db.schema
        .createTable('request_notes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('submission_id', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('request_notes_submission_idx').on('request_notes').columns(['submission_id', 'at']).execute();
      await db.schema.createIndex('submissions_assigned_idx').on('submissions').column('assigned_to').execute();
    },
  };
}
