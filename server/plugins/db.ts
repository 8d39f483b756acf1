// Puts the database on the app. The app borrows it: whoever opened it closes it.
import type { Kysely } from 'kysely';
import type { Database, DialectName } from '../db/schema.ts';
import { sharedPlugin } from './shared-plugin.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<Database>;
    dialect: DialectName;
  }
}

export interface DbPluginOptions {
  db: Kysely<Database>;
  dialect: DialectName;
}

export const dbPlugin = sharedPlugin<DbPluginOptions>('jangkau-db', async (app, { db, dialect }) => {
  app.decorate('db', db);
  app.decorate('dialect', dialect);
});
