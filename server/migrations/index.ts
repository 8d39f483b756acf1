// Migrations are a record in code (no files read at run time), so the same list runs from
// tsx, a bundle or a test. Append new entries; never edit one that has shipped.
import type { Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import type { Database, DialectName } from '../db/schema.ts';
import { initialMigration } from './001-initial.ts';
import { attachmentsMigration } from './002-attachments.ts';
import { accountsMigration } from './003-accounts.ts';
import { smsMigration } from './004-sms.ts';
import { kpiIndexesMigration } from './005-kpi-indexes.ts';
import { practiceMigration } from './006-practice.ts';
import { deviceVersionsMigration } from './007-device-versions.ts';
import { assignmentsMigration } from './008-assignments.ts';
import { smsOutboxMigration } from './010-sms-outbox.ts';
import { reservedDevicesMigration } from './011-reserved-devices.ts';
import { auditAppendOnlyMigration } from './014-audit-append-only.ts';
import { retentionMigration } from './016-retention.ts';
import { encryptionMigration } from './017-encryption.ts';
import { subjectIndexOrderMigration } from './018-subject-index-order.ts';
import { revocationReasonMigration } from './019-revocation-reason.ts';
import { smsNumbersMigration } from './020-sms-numbers.ts';
import { revocationCheckMigration } from './021-revocation-check.ts';
import { requestLifecycleMigration } from './030-request-lifecycle.ts';
import { voterRecordsMigration } from './050-voter-records.ts';
import { voterDuplicatesMigration } from './060-voter-duplicates.ts';
import { voterPendingMigration } from './061-voter-pending.ts';
import { nameIndexMigration } from './065-name-index.ts';
import { exportOrderMigration } from './066-export-order.ts';

export function migrationsFor(dialect: DialectName): Record<string, Migration> {
  return {
    '001-initial': initialMigration(dialect),
    '002-attachments': attachmentsMigration(dialect),
    '003-accounts': accountsMigration(dialect),
    '004-sms': smsMigration(dialect),
    '005-kpi-indexes': kpiIndexesMigration(dialect),
    '006-practice': practiceMigration(dialect),
    '007-device-versions': deviceVersionsMigration(dialect),
    '008-assignments': assignmentsMigration(dialect),
    '010-sms-outbox': smsOutboxMigration(dialect),
    '011-reserved-devices': reservedDevicesMigration(dialect),
    '014-audit-append-only': auditAppendOnlyMigration(dialect),
    '016-retention': retentionMigration(dialect),
    '017-encryption': encryptionMigration(dialect),
    '018-subject-index-order': subjectIndexOrderMigration(dialect),
    '019-revocation-reason': revocationReasonMigration(dialect),
    '020-sms-numbers': smsNumbersMigration(dialect),
    '021-revocation-check': revocationCheckMigration(dialect),
    '030-request-lifecycle': requestLifecycleMigration(dialect),
    '050-voter-records': voterRecordsMigration(dialect),
    '060-voter-duplicates': voterDuplicatesMigration(dialect),
    '061-voter-pending': voterPendingMigration(dialect),
    '065-name-index': nameIndexMigration(dialect),
    '066-export-order': exportOrderMigration(dialect),
  };
}

class StaticMigrationProvider implements MigrationProvider {
  constructor(private readonly migrations: Record<string, Migration>) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return this.migrations;
  }
}

export interface MigrateOptions {
  /** The PostgreSQL schema the tables live in, so Kysely's bookkeeping tables go there too. */
  schema?: string;
}

/** Brings the database to the latest schema; throws with the first failure. */
export async function migrateToLatest(
  db: Kysely<Database>,
  dialect: DialectName,
  options: MigrateOptions = {},
): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: new StaticMigrationProvider(migrationsFor(dialect)),
    ...(dialect === 'postgres' && options.schema ? { migrationTableSchema: options.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`Migration ${failed ?? '(setup)'} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
