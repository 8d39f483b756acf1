// One push, item by item: check each on its own, store the good ones in one transaction, and
// answer in the items' order. Storage is passed in, so this reads as the protocol it implements.
import type { FormDef } from '../../core/forms/definition.ts';
import { fileRefsOf } from '../../core/forms/file-refs.ts';
import type { ItemResult, PushResponse } from '../../core/protocol.ts';
import { formKey } from '../repositories/forms.ts';
import { placePush, type PushingOfficer } from '../auth/submission-access.ts';
import type { IngestItem, IngestOutcome, IngestResult } from '../repositories/submissions.ts';
import { payloadHash, secretHash } from './hashing.ts';
import { checkItem, isEnvelope, type ItemCheck } from './item-check.ts';

export interface PushDeps {
  /** The published versions among those asked for, keyed `formId@version`. */
  findForms(keys: readonly { formId: string; version: number }[]): Promise<Map<string, FormDef>>;
  /** Checks (or registers) the device and stores the items, in one transaction. */
  ingest(items: readonly IngestItem[], receivedAt: string): Promise<IngestResult>;
  now(): Date;
  /** The officer whose device token made the push; absent for residents' devices. */
  officer?: PushingOfficer;
}

function toResult(id: string, outcome: IngestOutcome): ItemResult {
  if (outcome.outcome === 'id_conflict') return { id, outcome: 'rejected', reason: 'id_conflict' };
  return { id, outcome: outcome.outcome, receivedAt: outcome.receivedAt };
}

/** The answer to a push, or `device_auth` when the device's secret does not match its id. */
export async function processPush(deps: PushDeps, items: readonly unknown[]): Promise<PushResponse | 'device_auth'> {
  const wanted = items.filter(isEnvelope).map((e) => ({ formId: e.formId, version: e.formVersion }));
  const forms = await deps.findForms(wanted);
  const receivedAt = deps.now().toISOString();
  // The valid items and, in the same order, what is stored of each.
  const valid: Extract<ItemCheck, { kind: 'valid' }>[] = [];
  const toStore: IngestItem[] = [];
  const checks = items.map((item, index): ItemCheck => {
    const check = checkItem(item, index, (formId, version) => forms.get(formKey(formId, version)));
    if (check.kind !== 'valid') return check;
    const { envelope } = check;
    const form = forms.get(formKey(envelope.formId, envelope.formVersion));
    if (!form) throw new Error('a valid item has no form');
    // Whose inbox shows it, when its answer is due, which officer pushed it; or not this push's to file.
    const placement = placePush(form, envelope, receivedAt, deps.officer);
    if (!placement) return { kind: 'rejected', result: { id: envelope.id, outcome: 'rejected', reason: 'forbidden' } };
    // The photo and document fields, so the province can tell when the files have all arrived.
    const files = fileRefsOf(form, envelope.data).map(({ path, ref }) => ({ field: path, ...ref }));
    valid.push(check);
    toStore.push({
      envelope,
      payloadHash: payloadHash(envelope),
      secretHash: secretHash(envelope.secret),
      ...placement,
      ...(files.length > 0 ? { files } : {}),
    });
    return check;
  });
  const stored = await deps.ingest(toStore, receivedAt);
  if (!stored.ok) return stored.error;
  const { outcomes } = stored;

  const byIndex = new Map<number, ItemResult>();
  valid.forEach((v, i) => {
    const outcome = outcomes[i];
    if (!outcome) throw new Error('ingest answered fewer items than it was given');
    byIndex.set(v.index, toResult(v.envelope.id, outcome));
  });
  const results = checks.map((c, index): ItemResult => {
    if (c.kind === 'rejected') return c.result;
    const result = byIndex.get(index);
    if (!result) throw new Error('a valid item got no outcome');
    return result;
  });
  return { results, serverTime: deps.now().toISOString() };
}
