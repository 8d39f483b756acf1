// The "Apa yang berubah" notice: form and SOP versions the device received (pulled, or bundled
// with an update of the app) whose change notes the officer has not dismissed yet. forms-cache.ts
// sets the flags; only the officer screens read them, so this module stays out of the first load.
import type { FormDef } from '../../core/forms/definition.ts';
import { currentFormVersions } from '../../core/forms/held-versions.ts';
import type { SopDoc } from '../../core/forms/sop.ts';
import type { JangkauDb } from './schema.ts';

export interface PendingNotes {
  forms: FormDef[];
  sops: SopDoc[];
}

/** Flagged versions with notes to show; a form only at the version the device offers. */
export async function pendingNotes(db: JangkauDb): Promise<PendingNotes> {
  const [forms, sops] = await Promise.all([db.forms.toArray(), db.sops.toArray()]);
  const newest = currentFormVersions(forms);
  return {
    forms: forms
      .filter((f) => f.notesPending && f.definition.changeNotes && newest.get(f.formId) === f.version)
      .map((f) => f.definition)
      .sort((a, b) => (a.formId < b.formId ? -1 : 1)),
    sops: sops.filter((s) => s.notesPending).map((s) => s.doc),
  };
}

/** The officer closed the notice: none of these notes is shown again. */
export async function dismissNotes(db: JangkauDb): Promise<void> {
  await db.transaction('rw', db.forms, db.sops, async () => {
    await db.forms.toCollection().modify((r) => {
      delete r.notesPending;
    });
    await db.sops.toCollection().modify((r) => {
      delete r.notesPending;
    });
  });
}
