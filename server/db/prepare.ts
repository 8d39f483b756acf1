// Everything a database needs before it serves: the latest schema, and every published form
// version recorded (missing ones only; a recorded version is never rewritten).
import { PUBLISHED_FORMS } from '../../core/forms/catalog/index.ts';
import type { FormDef } from '../../core/forms/definition.ts';
import { migrateToLatest } from '../migrations/index.ts';
import { seedPublishedForms } from '../repositories/forms.ts';
import { openDatabase, type DatabaseConfig } from './open.ts';
import type { OpenedDatabase } from './schema.ts';

export interface PrepareOptions {
  schema?: string;
  forms?: readonly FormDef[];
}

export async function prepareDatabase(opened: OpenedDatabase, options: PrepareOptions = {}): Promise<void> {
  await migrateToLatest(opened.db, opened.dialect, { schema: options.schema });
  await seedPublishedForms(opened.db, options.forms ?? PUBLISHED_FORMS, new Date().toISOString());
}

/** Opens and prepares; closes again if preparing fails. */
export async function openPreparedDatabase(config: DatabaseConfig): Promise<OpenedDatabase> {
  const opened = await openDatabase(config);
  try {
    await prepareDatabase(opened, { schema: config.schema });
  } catch (err) {
    await opened.close();
    throw err;
  }
  return opened;
}
