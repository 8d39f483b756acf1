// QR hand-offs on the device, both ends.
//  - Officer's phone: the sealed bundles it scanned and carries until it finds signal. They live in
//    one `meta` record (an officer carries tens, not thousands), so no new store is needed; every
//    change is a read-modify-write inside one transaction.
//  - Resident's phone: the receipt notes "diserahkan ke petugas <name>". The outbox row stays: the
//    phone still sends the request itself when it finds signal (exactly once holds by its id) and
//    learns the final status on that sync.
import { toBase64Url } from '../lib/base64.ts';
import type { JangkauDb, ReceiptRow } from './schema.ts';

export const CARRIED_KEY = 'handoffsCarried';

export type CarriedState = 'carried' | 'delivered' | 'refused';

export interface CarriedHandoff {
  /** The submission id the bundle carries in clear (its receipt number). */
  id: string;
  /** The reassembled bundle, base64url, as POST /api/v1/handoff takes it. */
  bundle: string;
  scannedAt: number;
  state: CarriedState;
  /** When the server answered accepted or duplicate. */
  deliveredAt?: number;
  /** The server's reason when it refused the bundle. */
  reason?: string;
}

export async function listCarried(db: JangkauDb): Promise<CarriedHandoff[]> {
  const row = await db.meta.get(CARRIED_KEY);
  return Array.isArray(row?.value) ? (row.value as CarriedHandoff[]) : [];
}

async function updateCarried(db: JangkauDb, change: (items: CarriedHandoff[]) => CarriedHandoff[]): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    await db.meta.put({ key: CARRIED_KEY, value: change(await listCarried(db)) });
  });
}

/**
 * Keeps a scanned hand-off. Scanning the same request again is harmless: a bundle still carried is
 * replaced (a fresh scan is as good), one already delivered stays delivered.
 */
export async function addCarried(db: JangkauDb, id: string, bundle: Uint8Array, now: number = Date.now()): Promise<void> {
  const text = toBase64Url(bundle);
  await updateCarried(db, (items) => {
    const existing = items.find((item) => item.id === id);
    if (existing?.state === 'delivered') return items;
    const fresh: CarriedHandoff = { id, bundle: text, scannedAt: now, state: 'carried' };
    return [...items.filter((item) => item.id !== id), fresh];
  });
}

/** The hand-offs still to deliver, oldest first. */
export async function pendingCarried(db: JangkauDb): Promise<CarriedHandoff[]> {
  return (await listCarried(db)).filter((item) => item.state === 'carried').sort((a, b) => a.scannedAt - b.scannedAt);
}

/** Records the server's answers: delivered (accepted or duplicate) or refused, by id. */
export async function markCarried(
  db: JangkauDb,
  outcomes: readonly { id: string; delivered: boolean; reason?: string }[],
  now: number = Date.now(),
): Promise<void> {
  const byId = new Map(outcomes.map((o) => [o.id, o]));
  await updateCarried(db, (items) =>
    items.map((item) => {
      const outcome = item.state === 'carried' ? byId.get(item.id) : undefined;
      if (!outcome) return item;
      return outcome.delivered
        ? { id: item.id, bundle: item.bundle, scannedAt: item.scannedAt, state: 'delivered', deliveredAt: now }
        : { ...item, state: 'refused', ...(outcome.reason ? { reason: outcome.reason } : {}) };
    }),
  );
}

/** The resident's side: the receipt notes the hand-off; the queued item stays in the outbox. */
export async function markHandedOver(db: JangkauDb, id: string, officerName: string, now: number = Date.now()): Promise<boolean> {
  const name = officerName.trim().slice(0, 80);
  return db.transaction('rw', db.receipts, async () => {
    const receipt = await db.receipts.get(id);
    if (!receipt) return false;
    const handedOver: NonNullable<ReceiptRow['handedOver']> = { at: now, ...(name ? { to: name } : {}) };
    await db.receipts.put({ ...receipt, handedOver });
    return true;
  });
}
