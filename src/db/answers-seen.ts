// Which of the province's answers the person has opened, so "Permohonan saya" marks a new one as
// new. Kept in the home database's meta (receipt ids and times, nothing personal) rather than on
// the receipt row, which a pull rewrites and whose store would need a new schema version.
import type { ReceiptRow } from './schema.ts';
import type { JangkauDb } from './schema.ts';
import { getMeta, setMeta } from './meta.ts';

/** What identifies one answer: the time of its status change (a later answer has a new one). */
export function answerStamp(receipt: Pick<ReceiptRow, 'answer' | 'statusAt'>): string | undefined {
  if (!receipt.answer) return undefined;
  return receipt.statusAt ?? 'answered';
}

export async function seenAnswers(db: JangkauDb): Promise<Record<string, string>> {
  return (await getMeta(db, 'answersSeen')) ?? {};
}

export function isNewAnswer(receipt: Pick<ReceiptRow, 'id' | 'answer' | 'statusAt'>, seen: Readonly<Record<string, string>>): boolean {
  const stamp = answerStamp(receipt);
  return stamp !== undefined && seen[receipt.id] !== stamp;
}

export async function markAnswerSeen(db: JangkauDb, receipt: Pick<ReceiptRow, 'id' | 'answer' | 'statusAt'>): Promise<void> {
  const stamp = answerStamp(receipt);
  if (stamp === undefined) return;
  await db.transaction('rw', db.meta, async () => {
    const seen = await seenAnswers(db);
    if (seen[receipt.id] !== stamp) await setMeta(db, 'answersSeen', { ...seen, [receipt.id]: stamp });
  });
}
