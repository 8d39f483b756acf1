// The inbox as officers read it: each request with its form's name, and — for roles that may read
// requests — its subject and the requester's name, opened from the sealed answers here (never from
// a plaintext column) by the one rule the screens use (core/forms/answer-rows.ts requestSummary).
import { requestSummary } from '../../core/forms/answer-rows.ts';
import type { FormDef } from '../../core/forms/definition.ts';
import { REGIONS } from '../../core/forms/full-context.ts';
import type { InboxEntry, InboxItem, InboxListItem } from '../../core/inbox.ts';
import type { DataKeys } from '../crypto/data-keys.ts';
import type { FormCatalog } from '../repositories/forms.ts';
import type { SealedEntry } from '../repositories/inbox.ts';
import { openPayload } from '../repositories/submission-fields.ts';

const key = (e: { formId: string; formVersion: number }) => `${e.formId}@${e.formVersion}`;

async function definitions(forms: FormCatalog, entries: readonly InboxEntry[]): Promise<Map<string, FormDef>> {
  const wanted = new Map(entries.map((e) => [key(e), { formId: e.formId, version: e.formVersion }]));
  const found = await forms.findMany([...wanted.values()]);
  return new Map([...found.values()].map((f) => [key({ formId: f.formId, formVersion: f.version }), f]));
}

/** Entries with their form's name. */
export async function withTitles<T extends InboxEntry>(forms: FormCatalog, entries: readonly T[]): Promise<(T & InboxItem)[]> {
  const defs = await definitions(forms, entries);
  return entries.map((e) => ({ ...e, formTitle: defs.get(key(e))?.title ?? null }));
}

const places = { region: (code: string) => REGIONS.nameOf(code), island: (code: string) => REGIONS.nameOf(code) };

/** A row that cannot be opened (not yet sealed by the backfill, a lost key) lists without a summary, never fails the page. */
async function summaryOf(form: FormDef, keys: DataKeys, id: string, payload: string) {
  try {
    return requestSummary(form, await openPayload(keys, id, payload), places);
  } catch {
    return undefined;
  }
}

/** Entries with their form's name, subject and requester's name; the sealed answers stay here. */
export async function withSummaries(forms: FormCatalog, keys: DataKeys, entries: readonly SealedEntry[]): Promise<InboxListItem[]> {
  const defs = await definitions(forms, entries);
  const out: InboxListItem[] = [];
  for (const { payload, ...entry } of entries) {
    const form = defs.get(key(entry));
    const summary = (form && payload && (await summaryOf(form, keys, entry.id, payload))) || { subject: null, name: null };
    out.push({ ...entry, formTitle: form?.title ?? null, subject: summary.subject, requester: summary.name });
  }
  return out;
}
