// The upgrade path people's phones take: a database written by the first release (v1) opened by
// the current schema. Every queued submission and every receipt must survive, with the state
// that v1 did not record filled in.
import { Dexie } from 'dexie';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ulid } from '../../../core/ids.ts';
import { JangkauDb, type OutboxRow } from '../../../src/db/schema.ts';
import { listQueued } from '../../../src/db/outbox.ts';
import { RELEASE_STORES, ReleaseDb } from './schema-history.ts';

/** Exactly the stores of release 1, as a phone still running it has them. */
class ReleaseOneDb extends ReleaseDb {
  constructor(name: string) {
    super(name, 1);
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
    expect(db.verno).toBe(6);

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
    expect(db.verno).toBe(6);
    expect(db.tables.map((t) => t.name).sort()).toEqual(['assignment', 'attachments', 'drafts', 'forms', 'meta', 'outbox', 'receipts', 'sops']);
  });
});

/** Release 2's stores: what a phone that never held a file has. */
class ReleaseTwoDb extends ReleaseDb {
  constructor(name: string) {
    super(name, 2);
  }
}

describe('schema upgrade from v2', () => {
  it('keeps the queue, drafts and receipts, and adds an empty attachments store that the queue can use', async () => {
    const name = `upgrade2-${ulid()}`;
    const a = ulid(5_000);
    const old = new ReleaseTwoDb(name);
    await old.table('outbox').put(outboxRow(a, 5_000));
    await old.table('receipts').put({ id: a, formId: 'ppid-permohonan', formVersion: 1, title: 'A', createdAt: 5_000, state: 'queued', status: undefined });
    await old.table('drafts').put({ id: ulid(6_000), formId: 'ppid-permohonan', formVersion: 1, data: { nama: 'Budi' }, createdAt: 6_000, updatedAt: 6_000 });
    old.close();

    const db = new JangkauDb(name);
    opened.push(db);
    await db.open();
    expect(db.verno).toBe(6);
    expect((await listQueued(db)).map((r) => r.id)).toEqual([a]);
    expect(await db.drafts.count()).toBe(1);
    expect((await db.receipts.get(a))?.state).toBe('queued');
    expect(await db.attachments.count()).toBe(0);
    // v4 adds the SOP store, empty until the first forms fetch.
    expect(await db.sops.count()).toBe(0);
    // v5 adds the coklit assignment store, empty until an officer downloads a voter list; by TPS.
    expect(await db.assignment.count()).toBe(0);
    expect(await db.assignment.where('tps').equals('003').count()).toBe(0);
    // The new indexes work: by state, and by the submissions referring to a file.
    await db.attachments.put({ sha256: 'f'.repeat(64), type: 'image/jpeg', size: 3, state: 'waiting', refs: [a], bytesSent: 0, createdAt: 7_000 });
    expect(await db.attachments.where('refs').equals(a).primaryKeys()).toEqual(['f'.repeat(64)]);
    expect(await db.attachments.where('state').equals('waiting').count()).toBe(1);
  });
});

describe('schema upgrade from every earlier release', () => {
  // The app declares only the current schema: whatever release a phone last ran, its database
  // gains the stores and indexes it lacks, keeps every row, and answers every current index.
  it('keeps every row of every store a release had, and every index of the current schema works', async () => {
    const row = fc.record({ n: fc.nat(1_000), text: fc.string({ maxLength: 8 }) });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.array(row, { minLength: 1, maxLength: 6 }), fc.boolean(), async (release, rows, withState) => {
        const name = `release${release}-${ulid()}`;
        const old = new ReleaseDb(name, release);
        const ids = rows.map((_, i) => ulid(1_000 + i));
        const stored = {
          forms: rows.map((r, i) => ({ formId: `f${i % 2}`, version: i, definition: { text: r.text }, retired: false })),
          drafts: rows.map((r, i) => ({ id: ids[i]!, formId: 'f0', formVersion: 1, data: { t: r.text }, createdAt: r.n, updatedAt: r.n })),
          outbox: rows.map((r, i) => ({ ...outboxRow(ids[i]!, r.n), attempts: r.n })),
          // Release 1 recorded no state for acknowledged receipts; later releases always did.
          receipts: rows.map((r, i) => ({ id: ids[i]!, formId: 'f0', formVersion: 1, title: r.text, createdAt: r.n, ...(release > 1 || withState ? { state: 'sent' } : { receivedAt: '2026-11-01T00:00:00Z' }) })),
          meta: rows.map((r, i) => ({ key: `k${i}`, value: r })),
          attachments: rows.map((r, i) => ({ sha256: String(i).padStart(64, '0'), type: 'image/jpeg', size: r.n, state: 'waiting', refs: [ids[i]!], bytesSent: 0, createdAt: r.n })),
          sops: rows.map((r, i) => ({ sopId: `s${i}`, version: 1, doc: { text: r.text } })),
          assignment: rows.map((r, i) => ({ key: `19.01/003/${String(i).padStart(5, '0')}`, village: '19.01', tps: '003', voter: { name: r.text }, downloadedAt: 'x' })),
        };
        const held = Object.keys(Object.assign({}, ...RELEASE_STORES.slice(0, release))) as (keyof typeof stored)[];
        for (const table of held) await old.table(table).bulkPut(stored[table]);
        old.close();

        const db = new JangkauDb(name);
        opened.push(db);
        await db.open();
        expect(db.verno).toBe(6);
        for (const table of held) {
          const expected: unknown[] = table === 'receipts' ? stored.receipts.map((r) => ({ state: 'sent', ...r })) : stored[table];
          expect(await db.table(table).toArray()).toEqual(expect.arrayContaining(expected));
          expect(await db.table(table).count()).toBe(expected.length);
        }
        // Every index of the current schema answers, carried over or new.
        expect(await db.forms.where('formId').equals('f0').count()).toBe(held.includes('forms') ? Math.ceil(rows.length / 2) : 0);
        expect(await db.drafts.where('formId').equals('f0').count()).toBe(rows.length);
        expect(await db.outbox.where('state').equals('queued').count()).toBe(rows.length);
        expect(await db.receipts.where('state').equals('sent').count()).toBe(rows.length);
        await db.receipts.update(ids[0]!, { status: 'selesai' });
        expect(await db.receipts.where('status').equals('selesai').primaryKeys()).toEqual([ids[0]]);
        expect(await db.attachments.where('refs').equals(ids[0]!).count()).toBe(release >= 3 ? 1 : 0);
        expect(await db.assignment.where('tps').equals('003').count()).toBe(release >= 5 ? rows.length : 0);
        expect(await db.sops.count()).toBe(release >= 4 ? rows.length : 0);
        db.close();
      }),
      { numRuns: 25 },
    );
  });
});
