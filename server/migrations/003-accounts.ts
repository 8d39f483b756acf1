// Officers and accountability: accounts scoped to a region, their device tokens, the hash-chained
// audit log, and on each submission the region it concerns (whose inbox shows it), the officer
// who pushed it, its due date and its extension, and the document an answer refers to.
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { submissionRegion } from '../../core/auth/submission-scope.ts';
import { dueDate } from '../../core/calendar/working-days.ts';
import type { FormDef } from '../../core/forms/definition.ts';
import type { DialectName } from '../db/schema.ts';

export function accountsMigration(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('disabled_at', 'text')
        .execute();
      await db.schema.createIndex('accounts_scope_idx').on('accounts').column('scope').execute();

      // Only the token's sha256 is kept: a copy of the database lets nobody act as a device.
      await db.schema
        .createTable('device_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .addColumn('revoked_by', 'text')
        .execute();
      await db.schema.createIndex('device_tokens_account_idx').on('device_tokens').column('account_id').execute();

      // seq is assigned by the writer (last + 1, under a lock) because it is part of what each
      // row's hash covers: a deleted or reordered row breaks the chain.
      await db.schema
        .createTable('audit_log')
        .addColumn('seq', dialect === 'sqlite' ? 'integer' : 'bigint', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text', (c) => c.notNull())
        .addColumn('actor_role', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('region_code', 'text')
        .addColumn('detail_json', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();

      await db.schema.alterTable('submissions').addColumn('region_code', 'text', (c) => c.notNull().defaultTo('19')).execute();
      await db.schema.alterTable('submissions').addColumn('account_id', 'text').execute();
      await db.schema.alterTable('submissions').addColumn('due_on', 'text').execute();
      await db.schema.alterTable('submissions').addColumn('extended_at', 'text').execute();
      await db.schema.alterTable('submissions').addColumn('answer_document', 'text').execute();
      await db.schema
        .createIndex('submissions_region_received_idx')
        .on('submissions')
        .columns(['region_code', 'received_at'])
        .execute();

      await backfill(db);
    },
  };
}

/** Requests that arrived before this migration get their region and due date as new ones will. */
async function backfill(db: Kysely<unknown>): Promise<void> {
  const forms = await sql<{ form_id: string; version: number; definition_json: string }>`
    select form_id, version, definition_json from form_versions`.execute(db);
  const byKey = new Map(forms.rows.map((f) => [`${f.form_id}@${Number(f.version)}`, JSON.parse(f.definition_json) as FormDef]));
  const rows = await sql<{ id: string; form_id: string; form_version: number; payload_json: string; received_at: string }>`
    select id, form_id, form_version, payload_json, received_at from submissions`.execute(db);
  for (const row of rows.rows) {
    const form = byKey.get(`${row.form_id}@${Number(row.form_version)}`);
    if (!form) continue;
    const region = submissionRegion(form, JSON.parse(row.payload_json) as Record<string, unknown>);
    const due = form.sla ? dueDate(row.received_at, form.sla, false) : null;
    await sql`update submissions set region_code = ${region}, due_on = ${due} where id = ${row.id}`.execute(db);
  }
}
