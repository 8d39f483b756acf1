// Form definitions the device can render offline (invariant 9): the versions bundled with the app,
// plus whatever the province published since. Old versions are kept, never deleted: queued and
// rejected submissions made against them still need their definition.
import type { FormDef } from '../../core/forms/definition.ts';
import { formsTagOf } from '../../core/forms/forms-tag.ts';
import { currentFormVersions, encodeHeld, sopItem } from '../../core/forms/held-versions.ts';
import type { FormsResponse } from '../lib/api-client.ts';
import type { FormRow, JangkauDb, SopRow } from './schema.ts';

const keyOf = (formId: string, version: number) => `${formId}@${version}`;

/**
 * Stores the province's list of forms and SOPs. A version listed as retired stays cached (for
 * rendering old submissions) but is no longer offered; the server's list is the truth for the
 * versions it names. The SOP list replaces the one held: only current versions are kept. A form or
 * SOP version the device did not hold yet keeps its change notes pending for the officer's
 * "Apa yang berubah" notice (change-notes.ts); a version already held keeps its own flag.
 */
export async function cacheForms(db: JangkauDb, response: FormsResponse): Promise<void> {
  const retired = new Set(response.retired.map((r) => keyOf(r.formId, r.version)));
  await db.transaction('rw', db.forms, db.sops, async () => {
    const held = new Map((await db.forms.toArray()).map((r) => [keyOf(r.formId, r.version), r]));
    const rows: FormRow[] = response.forms.map((definition) => {
      const key = keyOf(definition.formId, definition.version);
      const before = held.get(key);
      const notesPending = before ? before.notesPending : held.size > 0 && definition.changeNotes !== undefined;
      return { formId: definition.formId, version: definition.version, definition, retired: retired.has(key), ...(notesPending && { notesPending }) };
    });
    const listed = new Set(rows.map((r) => keyOf(r.formId, r.version)));
    for (const r of response.retired) {
      if (listed.has(keyOf(r.formId, r.version))) continue;
      const cached = held.get(keyOf(r.formId, r.version));
      if (cached && !cached.retired) rows.push({ ...cached, retired: true });
    }
    if (rows.length > 0) await db.forms.bulkPut(rows);
    if (response.sops) {
      const sopsBefore = new Map((await db.sops.toArray()).map((r) => [r.sopId, r]));
      const sops = response.sops.map((doc): SopRow => {
        const before = sopsBefore.get(doc.sopId);
        const notesPending = before?.version === doc.version ? before.notesPending : true;
        return { sopId: doc.sopId, version: doc.version, doc, ...(notesPending && { notesPending }) };
      });
      await db.sops.clear();
      await db.sops.bulkPut(sops);
    }
  });
}

/**
 * Adds the forms bundled in the app, so a fresh install can file requests before its first pull.
 * A version already cached is left alone: published versions never change, and its retired flag
 * comes from the server. On an update of the app (forms already held), a new bundled version's
 * change notes wait to be shown, as if it had been pulled.
 */
export async function seedForms(db: JangkauDb, forms: readonly FormDef[]): Promise<void> {
  await db.transaction('rw', db.forms, async () => {
    const existing = new Set((await db.forms.toArray()).map((r) => keyOf(r.formId, r.version)));
    const missing = forms
      .filter((f) => !existing.has(keyOf(f.formId, f.version)))
      .map((definition): FormRow => ({
        formId: definition.formId,
        version: definition.version,
        definition,
        retired: false,
        ...(existing.size > 0 && definition.changeNotes !== undefined && { notesPending: true }),
      }));
    if (missing.length > 0) await db.forms.bulkAdd(missing);
  });
}

/**
 * The forms tag of what the device holds (the bundled forms and the SOPs included), computed as
 * the server computes its own: equal tags mean the server offers nothing the device lacks.
 */
export async function heldFormsTag(db: JangkauDb): Promise<string> {
  const [rows, sops] = await Promise.all([db.forms.toArray(), db.sops.toArray()]);
  return formsTagOf([
    ...rows.map((r) => ({ formId: r.formId, version: r.version, retired: r.retired })),
    ...sops.map((s) => ({ formId: sopItem(s.sopId), version: s.version, retired: false })),
  ]);
}

/**
 * What the device reports holding on its pull (core/forms/held-versions.ts): the version of each
 * form it offers now (the newest not retired) and each SOP's version.
 */
export async function heldVersionsReport(db: JangkauDb): Promise<string> {
  const [rows, sops] = await Promise.all([db.forms.toArray(), db.sops.toArray()]);
  return encodeHeld([
    ...[...currentFormVersions(rows)].map(([item, version]) => ({ item, version })),
    ...sops.map((s) => ({ item: sopItem(s.sopId), version: s.version })),
  ]);
}

async function getFormRow(db: JangkauDb, formId: string, version: number): Promise<FormRow | undefined> {
  return db.forms.where('[formId+version]').equals([formId, version]).first();
}

/** One exact version, retired or not (for drafts, receipts and fixes made against it). */
export async function getForm(db: JangkauDb, formId: string, version: number): Promise<FormDef | undefined> {
  return (await getFormRow(db, formId, version))?.definition;
}

/**
 * Which forms only an officer files (audience 'officer'), as a test per form version over the cached
 * definitions, read once. Their submissions go, and are followed, under the officer's token; any
 * other form's under the phone's own credential, whoever is logged in (src/sync/send-identities.ts).
 */
export async function officerForms(db: JangkauDb): Promise<(formId: string, version: number) => boolean> {
  const officers = new Set<string>();
  for (const row of await db.forms.toArray()) if (row.definition.audience === 'officer') officers.add(keyOf(row.formId, row.version));
  return (formId, version) => officers.has(keyOf(formId, version));
}

/** What the device offers: the newest version of each form that is not retired, by formId. */
/** The newest offered version of one form (listOfferedForms' entry for it), reading only its rows. */
export async function newestOfferedForm(db: JangkauDb, formId: string): Promise<FormDef | undefined> {
  let newest: FormRow | undefined;
  for (const row of await db.forms.where('formId').equals(formId).toArray()) {
    if (!row.retired && (!newest || row.version > newest.version)) newest = row;
  }
  return newest?.definition;
}

export async function listOfferedForms(db: JangkauDb): Promise<FormDef[]> {
  const newest = new Map<string, FormRow>();
  for (const row of await db.forms.toArray()) {
    if (row.retired) continue;
    const seen = newest.get(row.formId);
    if (!seen || row.version > seen.version) newest.set(row.formId, row);
  }
  return [...newest.values()].sort((a, b) => (a.formId < b.formId ? -1 : 1)).map((r) => r.definition);
}
