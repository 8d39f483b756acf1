// What a form screen opens (a form, a draft, a refused request to fix, a returned one to complete)
// read from the device, without React: the entry module (src/app/screen-chunks.ts) starts these
// reads for the page's opening form before React DOM and the form's chunk are loaded, and the form
// screen (form-screen.tsx) takes them, or reads the same way itself.
import type { FormData, FormDef } from '../../../core/forms/definition.ts';
import { db, workDb } from '../../db/open-db.ts';
import { getForm, newestOfferedForm } from '../../db/forms-cache.ts';
import { answersToFix } from '../../db/outbox.ts';
import { awaitsCompletion, completionForm } from '../../db/completion.ts';
import type { DraftRow, Rejection } from '../../db/schema.ts';

/** A refused submission being corrected. */
export interface Fix {
  id: string;
  data: FormData;
  rejection?: Rejection;
}

/** A returned request being completed: only the fields the office named, and its reason. */
export interface Completion {
  id: string;
  reason: string;
}

/** `earlier`: on "Isi formulir", the newest draft of this form already on the device. */
export type Loaded = { form: FormDef; draft?: DraftRow; fix?: Fix; completion?: Completion; earlier?: DraftRow } | 'missing';

async function newestForm(formId: string): Promise<FormDef | undefined> {
  return newestOfferedForm(db, formId);
}

/** What a form screen opens: a form (a new draft of it), a draft, a refused request to fix, or a returned one to complete. */
export interface FormOpening {
  formId?: string;
  draftId?: string;
  fixId?: string;
  completeId?: string;
}

/**
 * What the screen opens: the form and its draft, refused request or returned request. `formRead`:
 * the opened form's definition, already being read (prefetchOpening).
 */
export async function readOpening({ formId, draftId, fixId, completeId }: FormOpening, formRead?: Promise<FormDef | undefined>): Promise<Loaded> {
  if (completeId) {
    const receipt = await workDb().receipts.get(completeId);
    if (!receipt?.returned || !awaitsCompletion(receipt)) return 'missing';
    const form = await getForm(db, receipt.formId, receipt.formVersion);
    return form ? { form: completionForm(form, receipt.returned.fields), completion: { id: completeId, reason: receipt.returned.reason } } : 'missing';
  }
  if (fixId) {
    const row = await workDb().outbox.get(fixId);
    if (!row || row.state !== 'needs_fix') return 'missing';
    const { formId: id, formVersion } = row.envelope;
    // Corrected on the version it was made with, or the newest if the device no longer has it.
    const form = (await getForm(db, id, formVersion)) ?? (await newestForm(id));
    // An envelope sealed to the server's key carries no answers: the device's kept copy does.
    const fix: Fix = { id: fixId, data: answersToFix(row), rejection: row.rejection };
    return form ? { form, fix } : 'missing';
  }
  if (draftId) {
    const draft = await workDb().drafts.get(draftId);
    const form = draft && (await getForm(db, draft.formId, draft.formVersion));
    return draft && form ? { form, draft } : 'missing';
  }
  const form = formId ? await (formRead ?? newestForm(formId)) : undefined;
  if (!form) return 'missing';
  const drafts = await workDb().drafts.where('formId').equals(form.formId).toArray();
  const earlier = drafts.sort((a, b) => b.updatedAt - a.updatedAt)[0];
  return earlier ? { form, earlier } : { form };
}

export const openingKey = (o: FormOpening) => JSON.stringify([o.formId, o.draftId, o.fixId, o.completeId]);
/** Read at start for the screen the page opens on (prefetchOpening), taken once by that screen. */
const prefetched = new Map<string, { read: Promise<Loaded | undefined>; loaded?: Exclude<Loaded, 'missing'> }>();

/**
 * Called at start when the page opens on a form (src/app/screen-chunks.ts, preloadScreen, from the
 * entry module, before React DOM and the form's chunk have loaded): its reads go while they load
 * and the officer state is read, so the screen draws the form as soon
 * as they are done instead of a render, a read and another render later (bench:slow-phone). The
 * form's definition is read at once (it is in the home database in either mode); the drafts,
 * queue and receipts are read in the database the officer state selects (practice or not), once
 * that is known.
 */
export function prefetchOpening(opening: FormOpening, stateRead: Promise<void>): void {
  const formRead = opening.formId ? newestForm(opening.formId) : undefined;
  formRead?.catch(() => undefined);
  const entry: { read: Promise<Loaded | undefined>; loaded?: Exclude<Loaded, 'missing'> } = {
    read: stateRead
      .then(() => readOpening(opening, formRead))
      .then((loaded) => {
        if (loaded !== 'missing') entry.loaded = loaded;
        return loaded;
      })
      .catch(() => undefined),
  };
  prefetched.set(openingKey(opening), entry);
}

/** The start's reads for this opening, if any: taken once, by the screen that opens it. */
export function takePrefetched(key: string): { read: Promise<Loaded | undefined>; loaded?: Exclude<Loaded, 'missing'> } | undefined {
  const hit = prefetched.get(key);
  prefetched.delete(key);
  return hit;
}
