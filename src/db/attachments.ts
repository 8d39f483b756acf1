// Photos and documents on the device, keyed by sha256. A file chosen in a form is stored here at
// once (state 'draft'); filing the submission makes it 'waiting'; the upload phase of the sync
// sends it after the submission's data and marks it 'done', dropping the bytes but keeping a
// thumbnail. The device never expires a file the server does not have. A file chosen to complete a
// returned request is held by the request and goes the same way after the completion's data.
import { distinctShas, findFileRefs } from '../../core/forms/file-refs.ts';
import { canOpenFile, isSealedObject, storingFiles } from './crypto-at-rest.ts';
import { isQuotaError } from './errors.ts';
import type { AttachmentRow, JangkauDb } from './schema.ts';

export interface NewAttachment {
  sha256: string;
  type: string;
  blob: Blob;
  thumb?: Blob;
  width?: number;
  height?: number;
}

export type StoreAttachmentResult = { ok: true; row: AttachmentRow } | { ok: false; reason: 'quota' };

/** A chosen file not referred to by any draft after this long was replaced or abandoned. */
export const DRAFT_FILE_GRACE_MS = 60 * 60_000;
/** A file claimed by a form that was never saved, queued or refused (the app closed before its first autosave). */
export const ABANDONED_CLAIM_MS = 30 * 24 * 60 * 60_000;

/**
 * Stores a chosen file. The same bytes already stored keep their row (and state: a file the
 * server already holds is not sent again); only missing bytes or preview are filled in, and a file
 * still unclaimed counts as chosen now, so its grace period (pruneDraftAttachments) starts again.
 * `heldBy`: the form that chose it (the draft's id, which becomes the submission's; on the fix or
 * completion screen, which save no draft, the request's): the file is claimed at once, before any
 * autosave, so no prune takes it whatever the clocks of the page and the worker say
 * (pruneDraftAttachments). The claim stays until the submission is filed with it, or an autosave,
 * "Kirim ulang", "Kirim kelengkapan" or a discard lets it go. A full disk is an answer, and leaves
 * every other row as it was.
 */
export async function storeAttachment(
  db: JangkauDb,
  file: NewAttachment,
  now: number = Date.now(),
  heldBy?: string,
): Promise<StoreAttachmentResult> {
  // On an officer's device the transaction seals the bytes, so they are read before it opens; where
  // the engine refuses a Blob (WebKit, ephemeral) the write is made again with the bytes.
  try {
    const row = await storingFiles([file.blob, file.thumb], () => db.transaction('rw', db.attachments, async () => {
      const existing = await db.attachments.get(file.sha256);
      if (existing) {
        const patched: AttachmentRow = { ...existing };
        if (!patched.blob && patched.state !== 'done') patched.blob = file.blob;
        if (!patched.thumb && file.thumb) patched.thumb = file.thumb;
        if (patched.state === 'draft') patched.createdAt = Math.max(patched.createdAt, now);
        if (heldBy !== undefined && !patched.refs.includes(heldBy)) patched.refs = [...patched.refs, heldBy];
        // A file the server refused may be chosen again only as it is: it stays refused.
        await db.attachments.put(patched);
        return patched;
      }
      const created: AttachmentRow = {
        sha256: file.sha256,
        type: file.type,
        size: file.blob.size,
        blob: file.blob,
        ...(file.thumb ? { thumb: file.thumb } : {}),
        ...(file.width ? { width: file.width, height: file.height } : {}),
        state: 'draft',
        refs: heldBy !== undefined ? [heldBy] : [],
        bytesSent: 0,
        createdAt: now,
      };
      await db.attachments.add(created);
      return created;
    }));
    return { ok: true, row };
  } catch (error) {
    if (isQuotaError(error)) return { ok: false, reason: 'quota' };
    throw error;
  }
}

/**
 * The files `data` refers to that the device holds no row for, inside the transaction that would
 * requeue a fixed submission: it would name files nobody has, so it is not queued (the person is
 * asked to choose them again). Filing a draft checks the same way (src/db/outbox.ts, submitDraft).
 */
export async function missingFiles(db: JangkauDb, data: unknown): Promise<string[]> {
  const wanted = distinctShas(findFileRefs(data));
  const rows = await db.attachments.bulkGet(wanted);
  return wanted.filter((_, i) => rows[i] === undefined);
}

/**
 * Inside the transaction that queues submission `id` (which must include db.attachments): the
 * files its answers refer to become part of it and wait for upload; files it referred to before
 * (a fix replaced a photo) are let go. Files the device does not hold are skipped (a requeue checks
 * missingFiles first). `completion`: the answers are a completion's, only the returned fields; the
 * request's filed files stay (the server keeps them with the first version, and one may still be
 * on its way), and only files chosen for it and not sent (still 'draft') are let go.
 */
export async function attachToSubmission(db: JangkauDb, id: string, data: unknown, completion = false): Promise<void> {
  const wanted = new Set(distinctShas(findFileRefs(data)));
  const before = await db.attachments.where('refs').equals(id).toArray();
  for (const row of before) {
    if (!wanted.has(row.sha256) && (!completion || row.state === 'draft')) await letGo(db, row, id);
  }
  const rows = await db.attachments.bulkGet([...wanted]);
  const updated: AttachmentRow[] = [];
  for (const row of rows) {
    if (!row) continue;
    const refs = row.refs.includes(id) ? row.refs : [...row.refs, id];
    updated.push({ ...row, refs, state: row.state === 'draft' ? 'waiting' : row.state });
  }
  if (updated.length > 0) await db.attachments.bulkPut(updated);
}

/** Inside a transaction that discards submission `id`: its files go unless something else holds them. */
export async function detachFromSubmission(db: JangkauDb, id: string): Promise<void> {
  const rows = await db.attachments.where('refs').equals(id).toArray();
  for (const row of rows) await letGo(db, row, id);
}

async function letGo(db: JangkauDb, row: AttachmentRow, id: string): Promise<void> {
  const refs = row.refs.filter((r) => r !== id);
  // A file the server holds keeps its preview row; one nobody refers to any more is deleted.
  if (refs.length === 0 && row.state !== 'done') await db.attachments.delete(row.sha256);
  else await db.attachments.put({ ...row, refs });
}

/**
 * Deletes files chosen in forms but held by nothing: replaced photos and discarded drafts. A form
 * claims the file it chose at once (storeAttachment's `heldBy`, the draft's id), so no clock decides
 * whether a file the person just chose is kept: a claim stands while its form is a draft, a
 * queued or refused submission, and its autosave or discard lets go of what it no longer names
 * (src/db/drafts.ts); a file chosen on a completion screen is held by the filed request for the
 * month below. The receipts are not read here: a read-write hold on them beside the hand-off's
 * writes stalled the officer's QR scan (tests/e2e/handoff.test.ts, red 4 of 5 with it). Files held by no claim and no saved draft go once older than the grace
 * period; a claim whose form never saved at all (the app closed before its first autosave) goes
 * after a month. Nothing is deleted while a draft reads sealed (the device locked, or the service
 * worker, which never holds the key): it would seem to hold no file at all.
 */
export async function pruneDraftAttachments(db: JangkauDb, now: number = Date.now()): Promise<number> {
  return db.transaction('rw', db.attachments, db.drafts, db.outbox, async () => {
    const candidates = await db.attachments.where('state').equals('draft').toArray();
    const unclaimed = candidates.filter((r) => r.refs.length === 0 && now - r.createdAt >= DRAFT_FILE_GRACE_MS);
    const claimedLongAgo = candidates.filter((r) => r.refs.length > 0 && now - r.createdAt >= ABANDONED_CLAIM_MS);
    if (unclaimed.length === 0 && claimedLongAgo.length === 0) return 0;
    const held = new Set<string>();
    const drafts = new Set<string>();
    let unreadable = false;
    await db.drafts.each((d) => {
      drafts.add(d.id);
      if (isSealedObject(d.data)) unreadable = true;
      else for (const sha of distinctShas(findFileRefs(d.data))) held.add(sha);
    });
    // A draft read sealed (a locked device, or the service worker) may hold any file: keep them all.
    if (unreadable) return 0;
    const claimIds = [...new Set(claimedLongAgo.flatMap((r) => r.refs))];
    const queued = await db.outbox.bulkGet(claimIds);
    const live = new Set(claimIds.filter((id, i) => drafts.has(id) || queued[i] !== undefined));
    const abandoned = claimedLongAgo.filter((r) => !r.refs.some((id) => live.has(id)));
    const gone = [...unclaimed, ...abandoned].filter((r) => !held.has(r.sha256)).map((r) => r.sha256);
    await db.attachments.bulkDelete(gone);
    return gone.length;
  });
}

/**
 * Files to send now, oldest first: waiting or under way, bytes still held, and referred to by at
 * least one submission the server already acknowledged (data first), or by none at all (imported
 * from a safety copy after the data went). A submission still in the outbox holds its files back,
 * and a file sealed with the device key waits, like the officer's queue, until the PIN unlocks it.
 */
export async function listUploadable(db: JangkauDb): Promise<AttachmentRow[]> {
  return db.transaction('r', db.attachments, db.outbox, async () => {
    const rows = await db.attachments.where('state').anyOf(['waiting', 'uploading']).toArray();
    const held = rows.filter((r) => canOpenFile(r.blob));
    const ids = [...new Set(held.flatMap((r) => r.refs))];
    const outbox = await db.outbox.bulkGet(ids);
    const unsent = new Set(ids.filter((_, i) => outbox[i] !== undefined));
    return held.filter((r) => r.refs.length === 0 || r.refs.some((id) => !unsent.has(id))).sort((a, b) => a.createdAt - b.createdAt);
  });
}

export async function recordUploadProgress(
  db: JangkauDb,
  sha256: string,
  patch: { bytesSent?: number; uploadUrl?: string; throughput?: number; cut?: { from: number; sentBytes: number } | null; lossy?: boolean },
): Promise<void> {
  await db.attachments
    .where('sha256')
    .equals(sha256)
    .modify((row) => {
      // Only a file still on its way moves; a finished or refused one is settled.
      if (row.state !== 'waiting' && row.state !== 'uploading') return;
      row.state = 'uploading';
      if (patch.bytesSent !== undefined) row.bytesSent = Math.max(0, Math.min(row.size, patch.bytesSent));
      if (patch.uploadUrl !== undefined) row.uploadUrl = patch.uploadUrl;
      if (patch.throughput !== undefined) row.throughput = patch.throughput;
      if (patch.cut === null) delete row.cut;
      else if (patch.cut !== undefined) row.cut = patch.cut;
      if (patch.lossy) row.lossy = true;
    });
}

/** The server holds the verified file: the bytes go, the preview and the record stay. */
export async function markUploaded(db: JangkauDb, sha256: string, now: number = Date.now()): Promise<void> {
  await db.attachments
    .where('sha256')
    .equals(sha256)
    .modify((row) => {
      row.state = 'done';
      row.bytesSent = row.size;
      row.doneAt = now;
      delete row.blob;
      delete row.error;
    });
}

export async function markRejected(db: JangkauDb, sha256: string, error: string): Promise<void> {
  await db.attachments
    .where('sha256')
    .equals(sha256)
    .modify((row) => {
      row.state = 'rejected';
      row.error = error;
    });
}

/** The files one request refers to, in no particular order. */
export async function attachmentsOf(db: JangkauDb, id: string): Promise<AttachmentRow[]> {
  return db.attachments.where('refs').equals(id).toArray();
}

export interface AttachmentTotals {
  files: number;
  done: number;
  rejected: number;
  bytes: number;
  sentBytes: number;
}

/** Per-request or overall progress, from the rows (pure). */
export function attachmentTotals(rows: readonly Pick<AttachmentRow, 'state' | 'size' | 'bytesSent'>[]): AttachmentTotals {
  const out: AttachmentTotals = { files: 0, done: 0, rejected: 0, bytes: 0, sentBytes: 0 };
  for (const r of rows) {
    out.files++;
    out.bytes += r.size;
    out.sentBytes += r.state === 'done' ? r.size : r.bytesSent;
    if (r.state === 'done') out.done++;
    if (r.state === 'rejected') out.rejected++;
  }
  return out;
}
