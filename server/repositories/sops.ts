// SOP documents the province has published (migration 007). Like form versions, a published
// version is never rewritten: republishing the same text is a no-op, another text under the same
// number is refused, and so is a number below the newest (devices hold only the newest).
import type { Kysely } from 'kysely';
import { canonicalJson } from '../../core/hash.ts';
import { checkSop, currentSops, type SopDoc } from '../../core/forms/sop.ts';
import type { Database } from '../db/schema.ts';

export type SopPublishResult =
  | { ok: true; published: boolean }
  | { ok: false; error: 'invalid_sop'; problems: string[] }
  | { ok: false; error: 'version_exists' | 'version_behind' };

/** Only the fields of the format, in its order: the stored text is exactly what devices get. */
function normalised(doc: SopDoc): SopDoc {
  return {
    sopId: doc.sopId,
    version: doc.version,
    title: { id: doc.title.id, en: doc.title.en },
    effectiveDate: doc.effectiveDate,
    changeNotes: { id: doc.changeNotes.id, en: doc.changeNotes.en },
    body: doc.body,
  };
}

export async function publishSop(db: Kysely<Database>, input: SopDoc, publishedBy: string, now: string): Promise<SopPublishResult> {
  const doc = normalised(input);
  const problems = checkSop(doc);
  if (problems.length > 0) return { ok: false, error: 'invalid_sop', problems };
  return db.transaction().execute(async (trx) => {
    const versions = await trx.selectFrom('sop_documents').select(['version', 'doc_json']).where('sop_id', '=', doc.sopId).execute();
    const same = versions.find((v) => Number(v.version) === doc.version);
    if (same) return canonicalJson(JSON.parse(same.doc_json)) === canonicalJson(doc) ? { ok: true, published: false } : { ok: false, error: 'version_exists' };
    if (versions.some((v) => Number(v.version) > doc.version)) return { ok: false, error: 'version_behind' };
    // Two admins publishing the same number at once: the primary key lets one insert win.
    const inserted = await trx
      .insertInto('sop_documents')
      .values({ sop_id: doc.sopId, version: doc.version, doc_json: JSON.stringify(doc), published_at: now, published_by: publishedBy })
      .onConflict((oc) => oc.columns(['sop_id', 'version']).doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1 ? { ok: true, published: true } : { ok: false, error: 'version_exists' };
  });
}

/** The newest version of each SOP, as devices receive them. */
export async function loadCurrentSops(db: Kysely<Database>): Promise<SopDoc[]> {
  const rows = await db.selectFrom('sop_documents').select('doc_json').execute();
  return currentSops(rows.map((r) => JSON.parse(r.doc_json) as SopDoc));
}

/** sopId → newest version, without reading the texts (for the forms tag and the KPI table). */
export async function currentSopVersions(db: Kysely<Database>): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('sop_documents')
    .select((eb) => ['sop_id', eb.fn.max('version').as('version')])
    .groupBy('sop_id')
    .execute();
  return new Map(rows.map((r) => [r.sop_id, Number(r.version)]));
}
