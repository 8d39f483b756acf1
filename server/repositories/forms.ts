// Form versions the province has published. The table is the server's memory of every version it
// ever offered, so submissions made against an old one are still accepted (invariant 6).
import type { Kysely } from 'kysely';
import type { FormDef } from '../../core/forms/definition.ts';
import type { Database } from '../db/schema.ts';

export interface StoredForm {
  definition: FormDef;
  publishedAt: string;
  retiredAt: string | null;
}

/** Inserts the versions the database does not know yet; a stored version is never rewritten. */
export async function seedPublishedForms(db: Kysely<Database>, forms: readonly FormDef[], now: string): Promise<number> {
  if (forms.length === 0) return 0;
  const result = await db
    .insertInto('form_versions')
    .values(
      forms.map((f) => ({
        form_id: f.formId,
        version: f.version,
        definition_json: JSON.stringify(f),
        published_at: now,
        retired_at: null,
      })),
    )
    .onConflict((oc) => oc.columns(['form_id', 'version']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

export async function loadForms(db: Kysely<Database>): Promise<StoredForm[]> {
  const rows = await db
    .selectFrom('form_versions')
    .select(['definition_json', 'published_at', 'retired_at'])
    .orderBy('form_id')
    .orderBy('version')
    .execute();
  return rows.map((r) => ({
    definition: JSON.parse(r.definition_json) as FormDef,
    publishedAt: r.published_at,
    retiredAt: r.retired_at,
  }));
}

/** How a form version is named in maps: `formId@version`. */
export function formKey(formId: string, version: number): string {
  return `${formId}@${version}`;
}

/**
 * An in-memory view of form_versions. Versions are only ever added, so a cached hit is always
 * right; a miss reloads once, in case another process published a version since.
 */
export class FormCatalog {
  private byKey = new Map<string, StoredForm>();
  private loadedAt = -Infinity;

  /** `missReloadMs` bounds how often unknown versions can make the catalog hit the database. */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly missReloadMs = 5_000,
    private readonly clock: () => number = Date.now,
  ) {}

  async reload(): Promise<StoredForm[]> {
    const forms = await loadForms(this.db);
    this.byKey = new Map(forms.map((f) => [formKey(f.definition.formId, f.definition.version), f]));
    this.loadedAt = this.clock();
    return forms;
  }

  private get loaded(): boolean {
    return this.loadedAt !== -Infinity;
  }

  async all(): Promise<StoredForm[]> {
    if (!this.loaded) await this.reload();
    return [...this.byKey.values()];
  }

  /** Finds many versions with at most one reload for the whole batch. */
  async findMany(keys: readonly { formId: string; version: number }[]): Promise<Map<string, FormDef>> {
    if (!this.loaded) await this.reload();
    const missing = keys.some((k) => !this.byKey.has(formKey(k.formId, k.version)));
    if (missing && this.clock() - this.loadedAt >= this.missReloadMs) await this.reload();
    const found = new Map<string, FormDef>();
    for (const k of keys) {
      const stored = this.byKey.get(formKey(k.formId, k.version));
      if (stored) found.set(formKey(k.formId, k.version), stored.definition);
    }
    return found;
  }
}
