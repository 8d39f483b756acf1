// Right after the PIN is set: rewrite what the device already holds, so the at-rest middleware
// seals it now rather than at its next change.
import type { JangkauDb } from '../../db/schema.ts';

export async function sealExistingRows(db: JangkauDb): Promise<void> {
  await db.transaction('rw', db.drafts, db.outbox, db.receipts, async () => {
    await db.drafts.bulkPut(await db.drafts.toArray());
    await db.outbox.bulkPut(await db.outbox.toArray());
    await db.receipts.bulkPut(await db.receipts.toArray());
  });
}
