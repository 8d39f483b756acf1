// Right after the PIN is set: rewrite what the device already holds, so the at-rest middleware
// seals it now rather than at its next change. Files' bytes are read first: the transaction that
// seals them cannot wait for a Blob to be read.
import { readyToStore } from '../../db/crypto-at-rest.ts';
import type { AttachmentRow, JangkauDb } from '../../db/schema.ts';
import { sealStoredSession } from '../../auth/session.ts';

export async function sealExistingRows(db: JangkauDb): Promise<void> {
  // The device token too: a copy of IndexedDB must not let anyone call the API as the officer.
  await sealStoredSession(db);
  const files = new Map<string, Pick<AttachmentRow, 'blob' | 'thumb'>>();
  for (const row of await db.attachments.toArray()) {
    for (const file of [row.blob, row.thumb]) if (file instanceof Blob) await readyToStore(file);
    files.set(row.sha256, { blob: row.blob, thumb: row.thumb });
  }
  await db.transaction('rw', db.drafts, db.outbox, db.receipts, db.attachments, async () => {
    await db.drafts.bulkPut(await db.drafts.toArray());
    await db.outbox.bulkPut(await db.outbox.toArray());
    await db.receipts.bulkPut(await db.receipts.toArray());
    // Read again: an upload may have moved on meanwhile. A file's bytes never change (its key is
    // their sha256), so the ones read above stand in for this read's; a file sent meanwhile has none.
    const now = await db.attachments.toArray();
    await db.attachments.bulkPut(
      now.map((row) => {
        const read = files.get(row.sha256);
        return {
          ...row,
          ...(row.blob && read?.blob ? { blob: read.blob } : {}),
          ...(row.thumb && read?.thumb ? { thumb: read.thumb } : {}),
        };
      }),
    );
  });
}
