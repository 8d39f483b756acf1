// Form versions the province has published. The table is the server's memory of every version it
// ever offered, so submissions made against an old one are still accepted (invariant 6).
import type { Kysely } from 'kysely';
import type { FormDef } from '../../core/forms/definition.ts';
import { checkDefinition } from '../../core/forms/check-definition.ts';
import { formsTagOf } from '../../core/forms/forms-tag.ts';
import { sopItem } from '../../core/forms/held-versions.ts';
import { canonicalJson } from '../../core/hash.ts';
import { FormDefSchema } from '../../core/forms/definition-schema.ts';
import { Compile } from 'typebox/compile';
import type { Database } from '../db/schema.ts';
import { currentSopVersions } from './sops.ts';

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

const definitionShape = Compile(FormDefSchema);

/** The schema its JSON must match, then the definition's own rules. */
function checkPublishable(form: unknown): string[] {
  if (!definitionShape.Check(form)) {
    return [...definitionShape.Errors(form)].slice(0, 10).map((e) => `${e.instancePath || '/'} ${e.message}`);
  }
  return checkDefinition(form as FormDef);
}

export type PublishResult =
  | { ok: true; published: boolean }
  | { ok: false; error: 'invalid_definition'; problems: string[] }
  | { ok: false; error: 'version_exists' };

/**
 * Publishes one form version. The definition is checked first; a version already published is
 * never rewritten (devices and queued submissions rely on it), so republishing the same text is
 * a no-op and a different text under the same number is refused.
 */
export async function publishForm(db: Kysely<Database>, form: FormDef, now: string): Promise<PublishResult> {
  const problems = checkPublishable(form);
  if (problems.length > 0) return { ok: false, error: 'invalid_definition', problems };
  const inserted = await seedPublishedForms(db, [form], now);
  if (inserted === 1) return { ok: true, published: true };
  const existing = await db
    .selectFrom('form_versions')
    .select('definition_json')
    .where('form_id', '=', form.formId)
    .where('version', '=', form.version)
    .executeTakeFirstOrThrow();
  return canonicalJson(JSON.parse(existing.definition_json)) === canonicalJson(form)
    ? { ok: true, published: false }
    : { ok: false, error: 'version_exists' };
}

/**
 * Stops offering a version to devices. Submissions made against it are still accepted, so an
 * officer's week of queued work is never refused for it (invariant 6).
 */
export async function retireForm(db: Kysely<Database>, formId: string, version: number, now: string): Promise<boolean> {
  const result = await db
    .updateTable('form_versions')
    .set({ retired_at: now })
    .where('form_id', '=', formId)
    .where('version', '=', version)
    .where('retired_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * A short tag that changes whenever a version is published or retired, or an SOP version published
 * (the SOPs travel with the forms, keyed `sop:<sopId>`). The pull carries it, so a device fetches
 * the forms only when there is something new; the device computes the same tag over the forms and
 * SOPs it holds (core/forms/forms-tag.ts), so a fresh install holding the bundled catalogue
 * fetches nothing. Read from the tables on every call: another process may have published.
 */
export async function formsTag(db: Kysely<Database>): Promise<string> {
  const [rows, sops] = await Promise.all([
    db.selectFrom('form_versions').select(['form_id', 'version', 'retired_at']).execute(),
    currentSopVersions(db),
  ]);
  return formsTagOf([
    ...rows.map((r) => ({ formId: r.form_id, version: Number(r.version), retired: r.retired_at !== null })),
    ...[...sops].map(([sopId, version]) => ({ formId: sopItem(sopId), version, retired: false })),
  ]);
}
