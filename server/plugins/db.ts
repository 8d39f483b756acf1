// Puts the database on the app, with the data keys personal data is encrypted with at rest. The
// app borrows the database: whoever opened it closes it.
import type { Kysely } from 'kysely';
import { DataKeys } from '../crypto/data-keys.ts';
import { encryptStoredRows } from '../repositories/encrypt-stored.ts';
import type { KeyEncryptionKey } from '../crypto/kek.ts';
import type { Database, DialectName } from '../db/schema.ts';
import { sharedPlugin } from './shared-plugin.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<Database>;
    dialect: DialectName;
    dataKeys: DataKeys;
  }
}

export interface DbPluginOptions {
  db: Kysely<Database>;
  dialect: DialectName;
  kek: KeyEncryptionKey;
}

export const dbPlugin = sharedPlugin<DbPluginOptions>('jangkau-db', async (app, { db, dialect, kek }) => {
  app.decorate('db', db);
  app.decorate('dialect', dialect);
  const keys = await new DataKeys(db, kek).ready();
  app.decorate('dataKeys', keys);
  // Rows from before encryption at rest (or loaded around the API) are encrypted before serving.
  const counts = await encryptStoredRows(db, keys);
  if (counts.submissions + counts.voters + counts.smsNumbers > 0) {
    app.log.info(`encrypted at rest: ${counts.submissions} stored submissions, ${counts.voters} voter rows, ${counts.smsNumbers} SMS phone numbers`);
  }
});
