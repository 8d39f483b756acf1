// Receipts: what the person sees of the requests they filed, kept after the outbox row is gone,
// and updated by the status changes pulled from the province.
import type { Change } from '../../core/protocol.ts';
import { getMeta, setMeta } from './meta.ts';
import type { JangkauDb, ReceiptRow } from './schema.ts';

/** Newest first. */
export async function listReceipts(db: JangkauDb): Promise<ReceiptRow[]> {
  return db.receipts.orderBy('createdAt').reverse().toArray();
}

export async function getReceipt(db: JangkauDb, id: string): Promise<ReceiptRow | undefined> {
  return db.receipts.get(id);
}

/** The pull cursor key of the device's own credential; its cursor is the meta `pullCursor`. */
export const DEVICE_PULL = 'device';

/**
 * Where the pull of one identity stands. Each identity has its own: the server's cursor runs over
 * the changes of every submission, and one identity's cursor passing a change that only another
 * identity may pull would skip it for good.
 */
export async function getPullCursor(db: JangkauDb, key: string = DEVICE_PULL): Promise<string | undefined> {
  if (key === DEVICE_PULL) return getMeta(db, 'pullCursor');
  return (await getMeta(db, 'pullCursors'))?.[key];
}

/**
 * Applies one page of status changes and stores the cursor after it (under the identity `key`),
 * in one transaction: the cursor never moves past a change that was not applied. A change whose
 * seq is not above the receipt's statusSeq is a replay (or arrives out of order) and is ignored,
 * so statuses never move backwards. Changes for ids this device does not hold are skipped.
 * Returns how many applied.
 */
export async function applyChanges(db: JangkauDb, changes: readonly Change[], cursor: string, key: string = DEVICE_PULL): Promise<number> {
  return db.transaction('rw', db.receipts, db.meta, async () => {
    const ids = [...new Set(changes.map((c) => c.submissionId))];
    const rows = await db.receipts.bulkGet(ids);
    const byId = new Map<string, ReceiptRow>();
    rows.forEach((row) => {
      if (row) byId.set(row.id, row);
    });
    const touched = new Set<string>();
    let applied = 0;
    for (const change of changes) {
      const row = byId.get(change.submissionId);
      if (!row || change.seq <= (row.statusSeq ?? -Infinity)) continue;
      const next: ReceiptRow = { ...row, status: change.status, statusAt: change.at, statusSeq: change.seq };
      if (change.status === 'perlu_dilengkapi') {
        // The reason is the change's answer text; the office's answer proper comes later.
        next.returned = { reason: change.answer ?? '', fields: change.fields ?? [], revision: change.revision ?? 1 };
      } else if (change.answer !== undefined) next.answer = change.answer;
      if (change.status === 'ditolak') {
        next.refusal = { ...(change.ground !== undefined ? { ground: change.ground } : {}), ...(change.keberatanBy !== undefined ? { keberatanBy: change.keberatanBy } : {}) };
      }
      byId.set(row.id, next);
      touched.add(row.id);
      applied++;
    }
    if (touched.size > 0) await db.receipts.bulkPut([...touched].map((id) => byId.get(id)!));
    if (key === DEVICE_PULL) await setMeta(db, 'pullCursor', cursor);
    else await setMeta(db, 'pullCursors', { ...(await getMeta(db, 'pullCursors')), [key]: cursor });
    return applied;
  });
}
