// The coklit assignment on the device: the voter lists of the officer's village as last downloaded,
// each voter linked to the coklit record started from it. Kept offline for the days in the field;
// the voters are sealed at rest by the at-rest middleware like drafts (src/db/crypto-at-rest.ts).
import { coklitPrefill, type ListedVoter } from '../../core/assignments/voter-list.ts';
import { saveDraft } from './drafts.ts';
import type { AssignmentRow, JangkauDb } from './schema.ts';

export interface DownloadedList {
  tps: string;
  voters: ListedVoter[];
}

const keyOf = (village: string, tps: string, place: number) => `${village}/${tps}/${String(place).padStart(5, '0')}`;
const voterId = (tps: string, nik: string) => `${tps}/${nik}`;

/**
 * Replaces the assignment with a new download in one transaction. A voter still on the new list
 * (same TPS and NIK) keeps the record already started from it, so a re-download loses no progress.
 */
export async function saveAssignment(db: JangkauDb, village: string, lists: readonly DownloadedList[], downloadedAt: string): Promise<number> {
  return db.transaction('rw', db.assignment, async () => {
    const started = new Map<string, string>();
    for (const row of await db.assignment.toArray()) if (row.draftId) started.set(voterId(row.tps, row.voter.nik), row.draftId);
    const rows: AssignmentRow[] = lists.flatMap((list) =>
      list.voters.map((voter, place) => {
        const draftId = started.get(voterId(list.tps, voter.nik));
        return { key: keyOf(village, list.tps, place), village, tps: list.tps, voter, downloadedAt, ...(draftId ? { draftId } : {}) };
      }),
    );
    await db.assignment.clear();
    await db.assignment.bulkAdd(rows);
    return rows.length;
  });
}

/** The whole assignment in list order (TPS by TPS). */
export function listAssignment(db: JangkauDb): Promise<AssignmentRow[]> {
  return db.assignment.orderBy('key').toArray();
}

/** Links a voter to the coklit draft started from it. */
export async function linkDraft(db: JangkauDb, key: string, draftId: string): Promise<void> {
  await db.assignment.update(key, { draftId });
}

/** Forgets the assignment (personal data of others, kept only while needed). */
export async function clearAssignment(db: JangkauDb): Promise<void> {
  await db.assignment.clear();
}

export type VoterState = 'todo' | 'started' | 'done';

/** Where each voter stands: done once its record was filed (a receipt exists), started while a draft does. */
export async function voterStates(db: JangkauDb, rows: readonly AssignmentRow[]): Promise<Map<string, VoterState>> {
  const ids = rows.flatMap((r) => (r.draftId ? [r.draftId] : []));
  const [receipts, drafts] = await Promise.all([db.receipts.bulkGet(ids), db.drafts.bulkGet(ids)]);
  const filed = new Set(receipts.flatMap((r) => (r ? [r.id] : [])));
  const open = new Set(drafts.flatMap((d) => (d ? [d.id] : [])));
  return new Map(
    rows.map((r) => [r.key, r.draftId && filed.has(r.draftId) ? 'done' : r.draftId && open.has(r.draftId) ? 'started' : 'todo'] as const),
  );
}

export type StartedRecord = { kind: 'draft' | 'filed'; id: string } | { kind: 'quota' };

/**
 * Opens the coklit record of a listed voter: the one already filed or in progress, else a new
 * draft prefilled from the list (the officer checks each field and records the outcome).
 */
export async function startVoterRecord(db: JangkauDb, row: AssignmentRow, form: { formId: string; version: number }): Promise<StartedRecord> {
  if (row.draftId) {
    if (await db.receipts.get(row.draftId)) return { kind: 'filed', id: row.draftId };
    if (await db.drafts.get(row.draftId)) return { kind: 'draft', id: row.draftId };
  }
  const saved = await saveDraft(db, { formId: form.formId, formVersion: form.version, data: coklitPrefill(row.voter) });
  if (!saved.ok) return saved.reason === 'submitted' ? { kind: 'filed', id: saved.receipt.id } : { kind: 'quota' };
  await linkDraft(db, row.key, saved.draft.id);
  return { kind: 'draft', id: saved.draft.id };
}
