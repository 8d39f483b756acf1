// The safety copy on real storage (fake-indexeddb) and real WebCrypto: what goes out comes back on
// a second device under the same ids, and the province stores each submission once whichever
// device sends it. Bad files and wrong passphrases are answered as values and change nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { deviceAuth } from '../../../src/db/device-identity.ts';
import type { JangkauDb, OutboxRow } from '../../../src/db/schema.ts';
import { createApiClient } from '../../../src/lib/api-client.ts';
import { exportSafetyCopy, importSafetyCopy } from '../../../src/lib/safety-copy.ts';
import { MAGIC, parseFile } from '../../../src/lib/safety-copy-format.ts';
import { createSyncEngine } from '../../../src/sync/engine.ts';
import { fileRequests, openTestDb } from '../db/test-db.ts';
import { FakeServer } from '../sync/fake-server.ts';

const PASS = 'pantai tanjung tinggi 2026';
const T0 = Date.parse('2026-12-01T02:00:00.000Z');

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanups.splice(0)) fn();
});

function device(): JangkauDb {
  const db = openTestDb();
  cleanups.push(() => db.close());
  return db;
}

function engineFor(db: JangkauDb, server: FakeServer) {
  const api = createApiClient({ baseUrl: 'http://kpu.test', getAuth: deviceAuth(db), fetch: server.fetch });
  const engine = createSyncEngine({ locks: undefined, channel: null, random: () => 0.5, now: () => T0, db, api });
  cleanups.push(() => engine.close());
  return engine;
}

/** Phone A: three queued requests and one the server refused earlier. */
async function phoneWithBacklog(): Promise<{ db: JangkauDb; rows: OutboxRow[] }> {
  const db = device();
  const filed = await fileRequests(db, 4);
  const refused = filed[3]!.id;
  await db.outbox.update(refused, { state: 'needs_fix', attempts: 2, rejection: { reason: 'invalid_data', errors: [] } });
  await db.receipts.update(refused, { state: 'needs_fix' });
  await db.outbox.update(filed[0]!.id, { attempts: 5, lastError: 'timeout' });
  return { db, rows: await db.outbox.orderBy('id').toArray() };
}

async function bytesOf(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.arrayBuffer());
}

describe('export → import → sync', () => {
  it('carries every unsent item to a second device under its ids; the server stores each once', async () => {
    const a = await phoneWithBacklog();
    const copy = await exportSafetyCopy(a.db, PASS);
    expect(copy.items).toBe(4);
    // The clear part says what the file is and nothing about the people in it.
    const text = new TextDecoder().decode(await bytesOf(copy.blob));
    expect(text.startsWith(MAGIC)).toBe(true);
    expect(text).not.toContain('Siti Aminah');
    expect(text).not.toContain(a.rows[0]!.id);

    const b = device();
    expect(await importSafetyCopy(b, copy.blob, PASS)).toEqual({ ok: true, imported: 4, skipped: 0 });
    const onB = await b.outbox.orderBy('id').toArray();
    expect(onB.map((r) => r.envelope)).toEqual(a.rows.map((r) => r.envelope));
    expect(onB.map((r) => r.state)).toEqual(['queued', 'queued', 'queued', 'needs_fix']);
    expect(onB[3]!.rejection).toEqual({ reason: 'invalid_data', errors: [] });
    expect(onB.every((r) => r.attempts === 0 && r.lastError === undefined)).toBe(true);
    const receiptsB = await b.receipts.orderBy('id').toArray();
    expect(receiptsB.map((r) => [r.id, r.state, r.title])).toEqual(
      (await a.db.receipts.orderBy('id').toArray()).map((r) => [r.id, r.state, r.title]),
    );

    const server = new FakeServer();
    const reportB = await engineFor(b, server).sync('manual');
    expect(reportB.pushed).toMatchObject({ accepted: 3, duplicate: 0, rejected: 0 });
    const reportA = await engineFor(a.db, server).sync('manual');
    // A's sends are answered "duplicate": same id, same payload, no second copy.
    expect(reportA.pushed).toMatchObject({ accepted: 0, duplicate: 3, rejected: 0 });
    expect([...server.submissions.keys()].sort()).toEqual(a.rows.slice(0, 3).map((r) => r.id));
    for (const row of a.rows.slice(0, 3)) expect(server.submissions.get(row.id)!.envelope).toEqual(row.envelope);
    // Both devices now see the three as sent; the refused one still waits for a person on both.
    for (const db of [a.db, b]) {
      expect((await db.receipts.where('state').equals('sent').count())).toBe(3);
      expect(await db.outbox.count()).toBe(1);
    }
  });

  it('skips what the device already holds, and never overwrites it', async () => {
    const a = await phoneWithBacklog();
    const copy = await exportSafetyCopy(a.db, PASS);
    const b = device();
    expect(await importSafetyCopy(b, copy.blob, PASS)).toEqual({ ok: true, imported: 4, skipped: 0 });
    const id = a.rows[1]!.id;
    await b.outbox.update(id, { attempts: 7 });
    expect(await importSafetyCopy(b, copy.blob, PASS)).toEqual({ ok: true, imported: 0, skipped: 4 });
    expect(await b.outbox.count()).toBe(4);
    expect((await b.outbox.get(id))!.attempts).toBe(7);

    // Importing into the device that made it: all skipped.
    expect(await importSafetyCopy(a.db, copy.blob, PASS)).toEqual({ ok: true, imported: 0, skipped: 4 });

    // An item already sent from this device (receipt only) is not queued again.
    const c = device();
    const server = new FakeServer();
    expect(await importSafetyCopy(c, copy.blob, PASS)).toMatchObject({ ok: true, imported: 4 });
    await engineFor(c, server).sync('manual');
    expect(await c.outbox.count()).toBe(1);
    expect(await importSafetyCopy(c, copy.blob, PASS)).toEqual({ ok: true, imported: 0, skipped: 4 });
    expect(await c.outbox.count()).toBe(1);
  });

  it('an empty outbox makes a valid copy of nothing', async () => {
    const copy = await exportSafetyCopy(device(), PASS);
    expect(copy.items).toBe(0);
    expect(await importSafetyCopy(device(), copy.blob, PASS)).toEqual({ ok: true, imported: 0, skipped: 0 });
  });
});

describe('refusals', () => {
  it('a wrong passphrase is refused and nothing is written', async () => {
    const a = await phoneWithBacklog();
    const copy = await exportSafetyCopy(a.db, PASS);
    const b = device();
    expect(await importSafetyCopy(b, copy.blob, 'pantai tanjung tinggi 2025')).toEqual({ ok: false, reason: 'wrong_passphrase' });
    expect(await importSafetyCopy(b, copy.blob, '')).toEqual({ ok: false, reason: 'wrong_passphrase' });
    expect(await b.outbox.count()).toBe(0);
    expect(await b.receipts.count()).toBe(0);
  });

  it('the same passphrase composed differently (NFC vs NFD) still opens it', async () => {
    const a = await phoneWithBacklog();
    const copy = await exportSafetyCopy(a.db, 'kopi café 2026');
    expect(await importSafetyCopy(device(), copy.blob, 'kopi cafe\u0301 2026')).toMatchObject({ ok: true, imported: 4 });
  });

  it('changed bytes are damage, told apart from a wrong passphrase', async () => {
    const a = await phoneWithBacklog();
    const bytes = await bytesOf((await exportSafetyCopy(a.db, PASS)).blob);
    const parsed = parseFile(bytes);
    if (!parsed.ok) throw new Error('own file did not parse');
    const start = parsed.headerBytes.length;
    const b = device();

    const flipped = bytes.slice();
    flipped[start + 40] = flipped[start + 40]! ^ 0x01;
    expect(await importSafetyCopy(b, new Blob([flipped]), PASS)).toEqual({ ok: false, reason: 'damaged' });

    const truncated = bytes.slice(0, bytes.length - 100);
    expect(await importSafetyCopy(b, new Blob([truncated]), PASS)).toEqual({ ok: false, reason: 'damaged' });

    // The header is authenticated: a different IV in the clear part fails too.
    const header = new TextDecoder().decode(parsed.headerBytes);
    const iv = /"iv":"([^"]+)"/.exec(header)![1]!;
    const otherIv = header.replace(iv, iv.startsWith('A') ? 'B' + iv.slice(1) : 'A' + iv.slice(1));
    const reheaded = new Blob([new TextEncoder().encode(otherIv), bytes.slice(start)]);
    expect(await importSafetyCopy(b, reheaded, PASS)).toEqual({ ok: false, reason: 'damaged' });

    // A header that cannot be read at all.
    expect(await importSafetyCopy(b, new Blob([MAGIC + '{not json\n', bytes.slice(start)]), PASS)).toEqual({ ok: false, reason: 'damaged' });
    expect(await b.outbox.count()).toBe(0);
  });

  it('a file that is not a safety copy, or from a newer app, is named as such', async () => {
    const b = device();
    expect(await importSafetyCopy(b, new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])], { type: 'image/jpeg' }), PASS)).toEqual({
      ok: false,
      reason: 'not_a_safety_copy',
    });
    expect(await importSafetyCopy(b, new Blob(['']), PASS)).toEqual({ ok: false, reason: 'not_a_safety_copy' });
    expect(await importSafetyCopy(b, new Blob(['JANGKAU-CADANGA']), PASS)).toEqual({ ok: false, reason: 'not_a_safety_copy' });
    const newer = MAGIC + JSON.stringify({ v: 2, kdf: { name: 'argon2id' } }) + '\n' + 'x'.repeat(64);
    expect(await importSafetyCopy(b, new Blob([newer]), PASS)).toEqual({ ok: false, reason: 'newer_format' });
  });

  it('refuses to write a copy under a too-short passphrase', async () => {
    await expect(exportSafetyCopy(device(), 'pendek')).rejects.toThrow(RangeError);
  });
});
