// Which forms' first-run tips this device has shown (core/forms/form-tips.ts): kept in the home
// database's meta, so practice mode and real work share it and a reload does not show them again.
import { markTipsSeen } from '../../core/forms/form-tips.ts';
import { getMeta, setMeta } from './meta.ts';
import type { JangkauDb } from './schema.ts';

export async function tipsSeen(db: JangkauDb, formId: string): Promise<boolean> {
  return (await getMeta(db, 'formTipsSeen'))?.includes(formId) ?? false;
}

export async function rememberTipsSeen(db: JangkauDb, formId: string): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    await setMeta(db, 'formTipsSeen', markTipsSeen(await getMeta(db, 'formTipsSeen'), formId));
  });
}
