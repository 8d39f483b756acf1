// Every form version the province has published, oldest first. A version once published stays
// here for ever: the server accepts submissions made against any of them (invariant 6).
import type { FormDef } from '../definition.ts';
import { ppidPermohonanV1 } from './ppid-permohonan.ts';

export const PUBLISHED_FORMS: readonly FormDef[] = [ppidPermohonanV1];

export function findForm(forms: readonly FormDef[], formId: string, version: number): FormDef | undefined {
  return forms.find((f) => f.formId === formId && f.version === version);
}

/** The newest version of each form, for the list of services a device offers. */
export function latestForms(forms: readonly FormDef[]): FormDef[] {
  const newest = new Map<string, FormDef>();
  for (const f of forms) {
    const seen = newest.get(f.formId);
    if (!seen || f.version > seen.version) newest.set(f.formId, f);
  }
  return [...newest.values()];
}
