// The stores each earlier release of the app created, as phones still running it hold them. The
// app declares only its current schema (src/db/schema.ts); these are what the upgrade tests open
// first, so every release's database is known to upgrade with its data kept.
import { Dexie } from 'dexie';

/** Each release's additions over the one before (Dexie's store syntax), release 1 first. */
export const RELEASE_STORES: readonly Record<string, string>[] = [
  { forms: '[formId+version], formId', drafts: 'id, formId, updatedAt', outbox: 'id, state, queuedAt', receipts: 'id, createdAt, state', meta: 'key' },
  { receipts: 'id, createdAt, state, status' },
  { attachments: 'sha256, state, *refs' },
  { sops: 'sopId' },
  { assignment: 'key, tps' },
];

/** A database exactly as release `release` (1–5) made it. */
export class ReleaseDb extends Dexie {
  constructor(name: string, release: number) {
    super(name);
    for (let v = 1; v <= release; v++) this.version(v).stores(RELEASE_STORES[v - 1]!);
  }
}
