// The upgrade path people's phones take: a database written by the first release (v1) opened by
// the current schema. Every queued submission and every receipt must survive, with the state
// that v1 did not record filled in.
import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { ulid } from '../../../core/ids.ts';
import { JangkauDb, type OutboxRow } from '../../../src/db/schema.ts';
import { listQueued } from '../../../src/db/outbox.ts';

/** Exactly the stores of release 1, as a phone still running it has them. */
class ReleaseOneDb extends Dexie {
  constructor(name: string) {
    super(name);
    this.version(1).stores({
      forms: '[formId+version], formId',
      drafts: 'id, formId, updatedAt',
      outbox: 'id, state, queuedAt',
      receipts: 'id, createdAt, state',
      meta: 'key',
    });
  }
}

const opened: Dexie[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

function outboxRow(id: string, queuedAt: number): OutboxRow {
  return {
    id,
    envelope: { id, formId: 'ppid-permohonan', formVersion: 1, createdAt: new Date(queuedAt).toISOString(), data: { nama: 'Siti' }, secret: 's'.repeat(32) },
    bytes: 200,
    state: 'queued',
    queuedAt,
    attempts: 2,
  };
}

describe('schema upgrade from v1', () => {
  it('keeps every queued item and receipt and backfills the receipt state', async () => {
    const name = `upgrade-${ulid()}`;
    const ids = [ulid(1_000), ulid(2_000), ulid(3_000)];
    const [a, b, c] = ids as [string, string, string];
    const old = new ReleaseOneDb(name);
    await old.table('outbox').bulkPut([outboxRow(a, 1_000), outboxRow(b, 2_000)]);
    await old.table('receipts').bulkPut([
      { id: a, formId: 'ppid-permohonan', formVersion: 1, title: 'A', createdAt: 1_000, state: 'queued' },
      // v1 wrote no state for these two: one acknowledged, one still waiting.
      { id: b, formId: 'ppid-permohonan', formVersion: 1, title: 'B', createdAt: 2_000 },
      { id: c, formId: 'ppid-permohonan', formVersion: 1, title: 'C', createdAt: 3_000, receivedAt: '2026-11-01T00:00:00Z' },
    ]);
    await old.table('meta').put({ key: 'pullCursor', value: '41' });
    old.close();

    const db = new JangkauDb(name);
    opened.push(db);
    await db.open();
    expect(db.verno).toBe(2);

    const queued = await listQueued(db);
    expect(queued.map((r) => r.id)).toEqual([a, b]);
    expect(queued[0]).toEqual(outboxRow(a, 1_000));

    const receipts = await db.receipts.orderBy('createdAt').toArray();
    expect(receipts.map((r) => [r.id, r.state, r.title])).toEqual([
      [a, 'queued', 'A'],
      [b, 'queued', 'B'],
      [c, 'sent', 'C'],
    ]);
    expect((await db.meta.get('pullCursor'))?.value).toBe('41');
    // The index v2 added is usable on the carried-over rows.
    await db.receipts.update(c, { status: 'selesai' });
    expect(await db.receipts.where('status').equals('selesai').primaryKeys()).toEqual([c]);
  });

  it('opens a fresh install directly at the current version', async () => {
    const db = new JangkauDb(`fresh-${ulid()}`);
    opened.push(db);
    await db.open();
    expect(db.verno).toBe(2);
    expect(db.tables.map((t) => t.name).sort()).toEqual(['drafts', 'forms', 'meta', 'outbox', 'receipts']);
  });
});
