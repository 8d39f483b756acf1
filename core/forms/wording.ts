// Words the form screens build from a form rather than from the catalogue of UI strings: a draft's
// name, the send button's label, one line of the error summary (issue #17).
import type { Lang, LocalText } from '../local-text.ts';
import type { FormDef } from './definition.ts';

export interface DraftNaming {
  formId: string;
  updatedAt: number;
}

/**
 * A draft's name in "Permohonan saya" and in the offer to continue it: its form and the day it was
 * last saved. Never an answer: the first thing typed is often a NIK or a name, and the list is
 * read over shoulders at a counter. `formTitle` is absent when the device no longer holds the form.
 */
export function draftTitle(draft: DraftNaming, formTitle: LocalText | undefined, lang: Lang, day: (ms: number) => string): string {
  return `${formTitle ? formTitle[lang] : draft.formId} · ${day(draft.updatedAt)}`;
}

/** What the send button says, by what the form is; a form not listed gets its audience's word. */
const SUBMIT_LABELS: Readonly<Record<string, LocalText>> = {
  'ppid-permohonan': { id: 'Kirim permohonan', en: 'Send request' },
  'pindah-memilih': { id: 'Kirim permohonan', en: 'Send request' },
  'keberatan-informasi': { id: 'Kirim keberatan', en: 'Send objection' },
  pengaduan: { id: 'Kirim pengaduan', en: 'Send complaint' },
  'tanggapan-dps': { id: 'Kirim tanggapan', en: 'Send response' },
  'akreditasi-pemantau': { id: 'Kirim pendaftaran', en: 'Send registration' },
  skm: { id: 'Kirim survei', en: 'Send survey' },
  'coklit-pilkada': { id: 'Simpan hasil coklit', en: 'Save coklit result' },
  'survei-tps': { id: 'Simpan hasil survei', en: 'Save survey result' },
};

const BY_AUDIENCE: Readonly<Record<FormDef['audience'], LocalText>> = {
  public: { id: 'Kirim permohonan', en: 'Send request' },
  officer: { id: 'Simpan isian', en: 'Save entry' },
};

export function submitLabel(form: Pick<FormDef, 'formId' | 'audience'>): LocalText {
  return SUBMIT_LABELS[form.formId] ?? BY_AUDIENCE[form.audience];
}

/**
 * One line of the error summary: "Label: message", unless the message already opens with the
 * label ("NIK harus 16 angka.", not "NIK: NIK harus 16 angka.").
 */
export function issueLine(label: string, message: string): string {
  const head = message.slice(0, label.length);
  const next = message.charAt(label.length);
  const repeats = head.toLocaleLowerCase() === label.toLocaleLowerCase() && (next === '' || /[\s.,:;!?]/.test(next));
  return repeats ? message : `${label}: ${message}`;
}
