// First-run tips for a form: a few short steps shown the first time a person opens it (and again
// with "Petunjuk"). What the form is for and what it asks come from its definition (summary,
// labels, help texts, next steps), so a newly published form explains itself; how drafts, the
// queue and sending work is the same for every form.
import type { LocalText } from '../local-text.ts';
import type { FieldDef, FormDef } from './definition.ts';

export type FormTipKind = 'purpose' | 'required' | 'draft' | 'send';

export interface FormTip {
  kind: FormTipKind;
  heading: LocalText;
  text: LocalText;
  /** One line per required field: its label, with its help text when it has one. */
  items?: LocalText[];
}

/** Past this many required fields the list ends with "and N more": a tip is read on a phone. */
export const MAX_TIP_ITEMS = 8;

const FILE_TYPES = new Set(['photo', 'document']);

function fieldLine(field: FieldDef): LocalText {
  if (!field.help) return field.label;
  return { id: `${field.label.id}: ${field.help.id}`, en: `${field.label.en}: ${field.help.en}` };
}

/** Required whatever else is answered: not conditional, not shown only on some answers. */
function alwaysRequired(field: FieldDef): boolean {
  return field.required === true && field.showIf === undefined && field.requiredIf === undefined;
}

function sometimesRequired(field: FieldDef): boolean {
  return field.requiredIf !== undefined || (field.required === true && field.showIf !== undefined);
}

export function formTips(form: FormDef): FormTip[] {
  const required = form.fields.filter(alwaysRequired);
  const shown = required.slice(0, MAX_TIP_ITEMS).map(fieldLine);
  const more = required.length - shown.length;
  if (more > 0) shown.push({ id: `… dan ${more} isian wajib lainnya.`, en: `… and ${more} more required fields.` });
  const conditional = form.fields.some(sometimesRequired);
  const hasFiles = form.fields.some((f) => FILE_TYPES.has(f.type) || (f.fields ?? []).some((sub) => FILE_TYPES.has(sub.type)));

  const requiredText: LocalText =
    required.length === 0
      ? { id: 'Tidak ada isian yang selalu wajib.', en: 'No field is always required.' }
      : { id: 'Isian berikut wajib diisi:', en: 'These fields are required:' };
  if (conditional) {
    requiredText.id += ' Isian lain bisa menjadi wajib menurut jawaban Anda; pesan di samping isian memberi tahu.';
    requiredText.en += ' Others may become required by your answers; a message beside the field says so.';
  }
  const draftText: LocalText = {
    id: 'Jawaban tersimpan otomatis sebagai draf di perangkat ini, juga tanpa sinyal. Anda boleh menutup aplikasi dan melanjutkannya nanti dari "Permohonan saya".',
    en: 'Answers are saved automatically as a draft on this device, also without signal. You may close the app and carry on later from "My requests".',
  };
  if (hasFiles) {
    draftText.id += ' Foto dan dokumen disimpan di perangkat dan dikirim sesudah isiannya.';
    draftText.en += ' Photos and documents are kept on the device and sent after the answers.';
  }

  return [
    { kind: 'purpose', heading: { id: 'Untuk apa formulir ini', en: 'What this form is for' }, text: form.summary },
    { kind: 'required', heading: { id: 'Yang wajib diisi', en: 'What you must fill in' }, text: requiredText, ...(shown.length > 0 ? { items: shown } : {}) },
    { kind: 'draft', heading: { id: 'Tersimpan tanpa sinyal', en: 'Saved without signal' }, text: draftText },
    {
      kind: 'send',
      heading: { id: 'Saat dikirim', en: 'When you send it' },
      text: {
        id: `Setelah tombol kirim ditekan, isian masuk antrean di perangkat dan terkirim sendiri begitu ada sinyal; nomor tanda terimanya tetap sama. ${form.nextSteps.id}`,
        en: `Once you press send, the entry waits in the device's queue and goes by itself as soon as there is signal; its receipt number stays the same. ${form.nextSteps.en}`,
      },
    },
  ];
}

/** The seen list after `formId` was shown: each id once, in the order first seen. */
export function markTipsSeen(seen: readonly string[] | undefined, formId: string): string[] {
  const list = seen ?? [];
  return list.includes(formId) ? [...list] : [...list, formId];
}
