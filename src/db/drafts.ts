// Drafts autosave as the person types (invariant 1): each save is one committed put.
import { ulid } from '../../core/ids.ts';
import type { FormData } from '../../core/forms/definition.ts';
import { distinctShas, findFileRefs } from '../../core/forms/file-refs.ts';
import { isQuotaError } from './errors.ts';
import type { DraftRow, JangkauDb, ReceiptRow } from './schema.ts';

export interface DraftInput {
  /** Omit for a new draft; the id made here becomes the submission id and receipt number. */
  id?: string;
  formId: string;
  formVersion: number;
  data: FormData;
  /** The voter record a coklit draft updates (kept across autosaves once set). */
  record?: { id: string; baseVersion: number };
}

export type SaveDraftResult =
  | { ok: true; draft: DraftRow }
  | { ok: false; reason: 'quota'; quota: true }
  /** Already sent from another tab: saving would bring back a draft of a filed request. */
  | { ok: false; reason: 'submitted'; receipt: ReceiptRow };

export async function saveDraft(db: JangkauDb, input: DraftInput, now: number = Date.now()): Promise<SaveDraftResult> {
  const id = input.id ?? ulid(now);
  try {
    return await db.transaction('rw', db.drafts, db.receipts, db.attachments, async (): Promise<SaveDraftResult> => {
      const receipt = await db.receipts.get(id);
      if (receipt) return { ok: false, reason: 'submitted', receipt };
      // A file this form claimed when it was chosen and no longer names was replaced: let it go.
      await releaseClaims(db, id, new Set(distinctShas(findFileRefs(input.data))));
      const existing = await db.drafts.get(id);
      const draft: DraftRow = {
        id,
        formId: input.formId,
        formVersion: input.formVersion,
        data: { ...input.data },
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      const record = input.record ?? existing?.record;
      if (record) draft.record = record;
      await db.drafts.put(draft);
      return { ok: true, draft };
    });
  } catch (error) {
    if (isQuotaError(error)) return { ok: false, reason: 'quota', quota: true };
    throw error;
  }
}

export async function getDraft(db: JangkauDb, id: string): Promise<DraftRow | undefined> {
  return db.drafts.get(id);
}

/** Drafts, most recently edited first; optionally of one form only. */
export async function listDrafts(db: JangkauDb, formId?: string): Promise<DraftRow[]> {
  const rows = formId === undefined ? await db.drafts.toArray() : await db.drafts.where('formId').equals(formId).toArray();
  return rows.sort((a, b) => b.updatedAt - a.updatedAt);
}

/** Deletes a draft and the files chosen only in it (a file another draft holds stays). */
export async function deleteDraft(db: JangkauDb, id: string): Promise<void> {
  await db.transaction('rw', db.drafts, db.attachments, async () => {
    const draft = await db.drafts.get(id);
    await db.drafts.delete(id);
    // The files the form claimed when chosen, and the files its last autosave named.
    const mine = new Set([...(await releaseClaims(db, id, new Set())), ...(draft ? distinctShas(findFileRefs(draft.data)) : [])]);
    if (mine.size === 0) return;
    await db.drafts.each((other) => {
      for (const sha of findFileRefs(other.data)) mine.delete(sha.sha256);
    });
    const rows = await db.attachments.bulkGet([...mine]);
    const gone = rows.filter((r) => r && r.state === 'draft' && r.refs.length === 0).map((r) => r!.sha256);
    await db.attachments.bulkDelete(gone);
  });
}

/**
 * Inside a transaction over db.attachments: files still only chosen ('draft') that form `id`
 * claimed when they were chosen (src/db/attachments.ts, storeAttachment) and that are not in
 * `keep` are no longer held by it; the grace period of pruneDraftAttachments takes them from
 * there. Returns the files let go.
 */
async function releaseClaims(db: JangkauDb, id: string, keep: ReadonlySet<string>): Promise<string[]> {
  const claimed = await db.attachments.where('refs').equals(id).toArray();
  const released = claimed.filter((row) => row.state === 'draft' && !keep.has(row.sha256));
  for (const row of released) await db.attachments.put({ ...row, refs: row.refs.filter((r) => r !== id) });
  return released.map((row) => row.sha256);
}
