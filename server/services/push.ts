// One push, item by item: check each on its own, store the good ones in one transaction, and
// answer in the items' order. Storage is passed in, so this reads as the protocol it implements.
import type { FormDef } from '../../core/forms/definition.ts';
import { fileRefsOf } from '../../core/forms/file-refs.ts';
import { canonicalJson } from '../../core/hash.ts';
import type { ItemResult, PushResponse, SubmissionEnvelope } from '../../core/protocol.ts';
import type { OpenSubmissionResult } from '../../core/sealed/sealed-submission.ts';
import { formKey } from '../repositories/forms.ts';
import { placePush, type PushingOfficer } from '../auth/submission-access.ts';
import type { IngestItem, IngestOutcome, IngestResult, InTransactionStep } from '../repositories/submissions.ts';
import { payloadHash, sameHash, secretHash } from './hashing.ts';
import type { SubjectIndex } from '../crypto/subject-index.ts';
import { indexNames, indexSubjects } from './subject-requests.ts';
import { checkEnvelope, isEnvelope, itemLabel, type ItemCheck } from './item-check.ts';
import { voterPendingMark } from './voter-ingest.ts';

export interface PushDeps {
  /** The published versions among those asked for, keyed `formId@version`. */
  findForms(keys: readonly { formId: string; version: number }[]): Promise<Map<string, FormDef>>;
  /** Checks (or registers) the device and stores the items, in one transaction (with `voters`, run in it on what was inserted). */
  ingest(items: readonly IngestItem[], receivedAt: string, voters?: InTransactionStep): Promise<IngestResult>;
  /** The payload hashes of those ids the server already holds. */
  storedHashes(ids: readonly string[]): Promise<Map<string, string>>;
  now(): Date;
  /** The officer whose device token made the push; absent for residents' devices. */
  officer?: PushingOfficer;
  /** Opens an item sealed to the server's key (core/sealed/sealed-submission.ts); absent, such items are refused. */
  openSealed?: (envelope: SubmissionEnvelope) => Promise<OpenSubmissionResult>;
  /** Indexes the NIKs in the answers, so a data subject's request finds them (server/crypto/subject-index.ts). */
  subjectIndex?: SubjectIndex;
  /**
   * Before the batch is stored: what its items that update voter records will write in the push's own
   * transaction (server/services/voter-ingest.ts coklitStepForPush); undefined for nothing.
   */
  planVoters?: (items: readonly SubmissionEnvelope[], receivedAt: string) => Promise<InTransactionStep | undefined>;
  /** After the batch is durable: the newly accepted items the push's transaction did not settle, for what they update (voter records). */
  afterStore?: (accepted: readonly SubmissionEnvelope[]) => Promise<void>;
  /** Stores a completion (an item with `revision`, server/services/completion.ts); absent, such items are refused. */
  complete?: (envelope: SubmissionEnvelope & { revision: number }, receivedAt: string) => Promise<ItemResult | 'device_auth'>;
}

const isCompletion = (o: { envelope: SubmissionEnvelope } | { refused: ItemResult }): o is { envelope: SubmissionEnvelope & { revision: number } } =>
  'envelope' in o && o.envelope.revision !== undefined;

/**
 * The item as an envelope, its sealed answers opened, or why it is refused. A sealed item becomes
 * the envelope it holds, so it is judged, hashed and stored like any other: the payload hash covers
 * the opened answers, which is why resending it (or sealing it again, which gives other bytes) is a
 * duplicate. One that is no envelope, or does not open, is refused on its own (invariant 5).
 */
async function openItem(
  deps: PushDeps,
  item: unknown,
  index: number,
): Promise<{ envelope: SubmissionEnvelope } | { refused: ItemResult }> {
  if (!isEnvelope(item)) return { refused: { id: itemLabel(item, index), outcome: 'rejected', reason: 'invalid_envelope' } };
  if (item.sealed === undefined) return { envelope: item };
  const opened = deps.openSealed ? await deps.openSealed(item) : undefined;
  if (!opened?.ok) return { refused: { id: item.id, outcome: 'rejected', reason: 'invalid_envelope' } };
  // What the seal held is checked as any pushed item is.
  if (!isEnvelope(opened.envelope)) {
    return { refused: { id: itemLabel(opened.envelope, index), outcome: 'rejected', reason: 'invalid_envelope' } };
  }
  return { envelope: opened.envelope };
}

function toResult(id: string, outcome: IngestOutcome): ItemResult {
  if (outcome.outcome === 'id_conflict') return { id, outcome: 'rejected', reason: 'id_conflict' };
  return { id, outcome: outcome.outcome, receivedAt: outcome.receivedAt };
}

/** The answer to a push, or `device_auth` when the device's secret does not match its id. */
export async function processPush(deps: PushDeps, pushed: readonly unknown[]): Promise<PushResponse | 'device_auth'> {
  const opened = await Promise.all(pushed.map((item, index) => openItem(deps, item, index)));
  const hashed = opened.map((o) => {
    if (!('envelope' in o)) return undefined;
    const payloadJson = canonicalJson(o.envelope.data);
    return { payloadJson, payloadHash: payloadHash(o.envelope, payloadJson) };
  });
  const forms = await deps.findForms(opened.flatMap((o) => ('envelope' in o ? [{ formId: o.envelope.formId, version: o.envelope.formVersion }] : [])));
  const receivedAt = deps.now().toISOString();
  type Judged = ItemCheck | { kind: 'store'; check: Extract<ItemCheck, { kind: 'valid' }>; item: IngestItem };
  const judged = opened.map((o, index): Judged => {
    if ('refused' in o) return { kind: 'rejected', result: o.refused };
    // A completion is judged against the request it completes, after the batch's new items.
    if (isCompletion(o)) return { kind: 'rejected', result: { id: o.envelope.id, outcome: 'rejected', reason: 'invalid_envelope' } };
    const { payloadJson, payloadHash: hash } = hashed[index]!;
    const base = { envelope: o.envelope, payloadJson, payloadHash: hash, secretHash: secretHash(o.envelope.secret) };
    const check = checkEnvelope(o.envelope, index, (formId, version) => forms.get(formKey(formId, version)));
    if (check.kind !== 'valid') return check;
    const { envelope } = check;
    const form = forms.get(formKey(envelope.formId, envelope.formVersion));
    if (!form) throw new Error('a valid item has no form');
    // Whose inbox shows it, when its answer is due, which officer pushed it; or not this push's to file.
    const placement = placePush(form, envelope, receivedAt, deps.officer);
    if (!placement) return { kind: 'rejected', result: { id: envelope.id, outcome: 'rejected', reason: 'forbidden' } };
    // The photo and document fields, so the province can tell when the files have all arrived.
    const files = fileRefsOf(form, envelope.data).map(({ path, ref }) => ({ field: path, ...ref }));
    const subjects = deps.subjectIndex ? indexSubjects(deps.subjectIndex, form, envelope.data) : [];
    const names = deps.subjectIndex ? indexNames(deps.subjectIndex, form, envelope.data) : [];
    // The voter record it updates, marked in the same transaction: a lost update is swept later.
    const voterPending = voterPendingMark(envelope, deps.officer);
    return {
      kind: 'store',
      check,
      item: {
        ...base,
        ...placement,
        ...(files.length > 0 ? { files } : {}),
        ...(subjects.length > 0 ? { subjects } : {}),
        ...(names.length > 0 ? { names } : {}),
        ...(voterPending !== null ? { voterPending } : {}),
      },
    };
  });
  // An item refused today that the server already holds with the same answers is a resend whose
  // first answer was lost: it gets the original acknowledgement (from ingest, as a duplicate), not
  // today's verdict. The rules it was judged by (validator, regions, forms, the officer's scope) may
  // have changed since, and a refusal now would strand a stored submission on the phone for ever.
  // A resend judged valid reaches ingest anyway, which answers it as a duplicate: so only the
  // refused are looked up, and a push of valid items costs no extra query.
  const refusedIds = opened.flatMap((o, i) => ('envelope' in o && !isCompletion(o) && judged[i]!.kind === 'rejected' ? [o.envelope.id] : []));
  const held = refusedIds.length > 0 ? await deps.storedHashes(refusedIds) : new Map<string, string>();
  // The valid items and, in the same order, what is stored of each.
  const valid: Extract<ItemCheck, { kind: 'valid' }>[] = [];
  const toStore: IngestItem[] = [];
  const checks = judged.map((j, index): ItemCheck => {
    if (j.kind === 'store') {
      valid.push(j.check);
      toStore.push(j.item);
      return j.check;
    }
    const o = opened[index]!;
    const stored = 'envelope' in o ? held.get(o.envelope.id) : undefined;
    if (j.kind !== 'rejected' || !('envelope' in o) || isCompletion(o) || stored === undefined || !sameHash(stored, hashed[index]!.payloadHash)) return j;
    // Nothing of it is inserted again (ingest compares it with the stored copy and links a device
    // holding its secret), so placement and files are not needed.
    const check = { kind: 'valid' as const, index, envelope: o.envelope };
    valid.push(check);
    toStore.push({ envelope: o.envelope, payloadJson: hashed[index]!.payloadJson, payloadHash: hashed[index]!.payloadHash, secretHash: secretHash(o.envelope.secret) });
    return check;
  });
  // The voter updates are decided before the transaction opens; only their writes run inside it.
  const marked = toStore.filter((i) => i.voterPending).map((i) => i.envelope);
  const voters = deps.planVoters && marked.length > 0 ? await deps.planVoters(marked, receivedAt) : undefined;
  const stored = await deps.ingest(toStore, receivedAt, voters);
  if (!stored.ok) return stored.error;
  const { outcomes } = stored;
  const settled = new Set(stored.voterSettled ?? []);

  const byIndex = new Map<number, ItemResult>();
  const accepted: SubmissionEnvelope[] = [];
  valid.forEach((v, i) => {
    const outcome = outcomes[i];
    if (!outcome) throw new Error('ingest answered fewer items than it was given');
    byIndex.set(v.index, toResult(v.envelope.id, outcome));
    if (outcome.outcome === 'accepted' && !settled.has(v.envelope.id)) accepted.push(v.envelope);
  });
  if (deps.afterStore && accepted.length > 0) await deps.afterStore(accepted);
  const results = checks.map((c, index): ItemResult => {
    if (c.kind === 'rejected') return c.result;
    const result = byIndex.get(index);
    if (!result) throw new Error('a valid item got no outcome');
    return result;
  });
  // Completions one by one, each in its own transaction (they are rare: one per returned request).
  for (const [index, o] of opened.entries()) {
    if (!isCompletion(o) || !deps.complete) continue;
    const done = await deps.complete(o.envelope, receivedAt);
    if (done === 'device_auth') return done;
    results[index] = done;
  }
  return { results, serverTime: deps.now().toISOString() };
}
