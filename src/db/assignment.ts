// The coklit assignment on the device: the voter lists of the officer's village as last downloaded,
// each voter linked to the coklit record started from it. Kept offline for the days in the field;
// the voters are sealed at rest by the at-rest middleware like drafts (src/db/crypto-at-rest.ts).
// The list lives in the home database; the records started from it live where the person works
// now (workDb: the practice database in practice mode), each mode with its own link.
import { coklitPrefill, type ListedVoter } from '../../core/assignments/voter-list.ts';
import { saveDraft } from './drafts.ts';
import { isPracticeDb } from './practice.ts';
import type { AssignmentRow, JangkauDb } from './schema.ts';
import type { RecordRef } from '../../core/voters/record.ts';

export interface DownloadedList {
  tps: string;
  voters: (ListedVoter & { record?: RecordRef })[];
}

type Link = 'draftId' | 'practiceDraftId';
const linkIn = (work: JangkauDb): Link => (isPracticeDb(work) ? 'practiceDraftId' : 'draftId');

const keyOf = (village: string, tps: string, place: number) => `${village}/${tps}/${String(place).padStart(5, '0')}`;
const voterId = (tps: string, nik: string) => `${tps}/${nik}`;

/**
 * Replaces the assignment with a new download in one transaction. A voter still on the new list
 * (same TPS and NIK) keeps the records already started from it, so a re-download loses no progress.
 */
export async function saveAssignment(db: JangkauDb, village: string, lists: readonly DownloadedList[], downloadedAt: string): Promise<number> {
  return db.transaction('rw', db.assignment, async () => {
    const started = new Map<string, Pick<AssignmentRow, Link>>();
    for (const row of await db.assignment.toArray()) {
      const links = { ...(row.draftId ? { draftId: row.draftId } : {}), ...(row.practiceDraftId ? { practiceDraftId: row.practiceDraftId } : {}) };
      if (links.draftId || links.practiceDraftId) started.set(voterId(row.tps, row.voter.nik), links);
    }
    const rows: AssignmentRow[] = lists.flatMap((list) =>
      list.voters.map((voter, place) => ({
        key: keyOf(village, list.tps, place),
        village,
        tps: list.tps,
        voter,
        downloadedAt,
        ...started.get(voterId(list.tps, voter.nik)),
      })),
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

/** Forgets the assignment (personal data of others, kept only while needed). */
export async function clearAssignment(db: JangkauDb): Promise<void> {
  await db.assignment.clear();
}

/**
 * Where a voter stands on this phone. A filed record (done) learns at the next pull what the office
 * made of it (the status of its own receipt): a conflict waiting for the PPS (diproses), resolved by
 * the PPS (selesai), or sent back to the field for a new visit (ditolak).
 */
export type VoterState = 'todo' | 'started' | 'done' | 'conflict' | 'resolved' | 'revisit';

const FROM_STATUS: Partial<Record<string, VoterState>> = { diproses: 'conflict', selesai: 'resolved', ditolak: 'revisit' };

/** Voters counted as visited: every filed record but one the PPS sent back to the field. */
export function visitedCount(states: Iterable<VoterState>): number {
  let n = 0;
  for (const s of states) if (s === 'done' || s === 'conflict' || s === 'resolved') n++;
  return n;
}

/**
 * Where each voter stands in `work`: done once its record was filed (a receipt exists), then what
 * the office decided of it; started while a draft does.
 */
export async function voterStates(work: JangkauDb, rows: readonly AssignmentRow[]): Promise<Map<string, VoterState>> {
  const link = linkIn(work);
  const ids = rows.flatMap((r) => (r[link] ? [r[link]] : []));
  const [receipts, drafts] = await Promise.all([work.receipts.bulkGet(ids), work.drafts.bulkGet(ids)]);
  const filed = new Map(receipts.flatMap((r) => (r ? [[r.id, (r.status && FROM_STATUS[r.status]) ?? 'done'] as const] : [])));
  const open = new Set(drafts.flatMap((d) => (d ? [d.id] : [])));
  return new Map(
    rows.map((r) => {
      const id = r[link];
      const state: VoterState = (id && filed.get(id)) || (id && open.has(id) ? 'started' : 'todo');
      return [r.key, state] as const;
    }),
  );
}

export type StartedRecord = { kind: 'draft' | 'filed'; id: string } | { kind: 'quota' };

/**
 * Opens the coklit record of a listed voter in `work`: the one already filed or in progress, else
 * a new draft prefilled from the list (the officer checks each field and records the outcome),
 * linked to the voter in the list's database `db`. A filed record sent back to the field starts a
 * new draft: the new visit, based on the version of the list as last downloaded.
 */
export async function startVoterRecord(
  db: JangkauDb,
  work: JangkauDb,
  row: AssignmentRow,
  form: { formId: string; version: number },
): Promise<StartedRecord> {
  const link = linkIn(work);
  const id = row[link];
  if (id) {
    // A record the PPS sent back to the field (ditolak) gets a new visit: a new draft, linked in its place.
    const filed = await work.receipts.get(id);
    if (filed && filed.status !== 'ditolak') return { kind: 'filed', id };
    if (await work.drafts.get(id)) return { kind: 'draft', id };
  }
  const ref = row.voter.record;
  const saved = await saveDraft(work, {
    formId: form.formId,
    formVersion: form.version,
    data: coklitPrefill(row.voter),
    // The update is based on the version the list showed, or one past this phone's own last filed update of it.
    ...(ref ? { record: { id: ref.id, baseVersion: await baseVersionFor(work, ref) } } : {}),
  });
  if (!saved.ok) return saved.reason === 'submitted' ? { kind: 'filed', id: saved.receipt.id } : { kind: 'quota' };
  await db.assignment.update(row.key, { [link]: saved.draft.id });
  return { kind: 'draft', id: saved.draft.id };
}

/**
 * The version a new update of a record is based on: the downloaded one, raised by one for each
 * update of the same record this phone already filed and the server accepted as applied would be
 * (its own queue), so a record updated offline can be updated again before it syncs.
 */
async function baseVersionFor(work: JangkauDb, ref: RecordRef): Promise<number> {
  const queued = await work.outbox.toArray();
  const mine = queued.filter((q) => q.envelope.record?.id === ref.id).length;
  return ref.version + mine;
}
