// The sync engine against an in-memory fake of the provincial API, through the real API client
// and real storage on fake-indexeddb. Each test checks what the device and the server hold after.
import { afterEach, describe, expect, it } from 'vitest';
import { ulid } from '../../../core/ids.ts';
import type { FormDef } from '../../../core/forms/definition.ts';
import { deviceAuth } from '../../../src/db/device-identity.ts';
import { listOfferedForms, seedForms } from '../../../src/db/forms-cache.ts';
import { getMeta, getSyncMeta } from '../../../src/db/meta.ts';
import { submitDraft } from '../../../src/db/outbox.ts';
import { JangkauDb } from '../../../src/db/schema.ts';
import { createApiClient } from '../../../src/lib/api-client.ts';
import { PESSIMISTIC_LINK } from '../../../src/lib/link-estimate.ts';
import { DEFAULT_BATCH_LIMITS, fitBytes } from '../../../src/sync/batching.ts';
import { nextDelayMs } from '../../../core/backoff.ts';
import { DEFAULT_PROBE, probeCapMs, probeDelayMs } from '../../../core/sync-retry.ts';
import { createSyncEngine, type SyncChannel, type SyncEngineOptions, type SyncLocks, type SyncState } from '../../../src/sync/engine.ts';
import { fileRequests, openTestDb, PPID, validPpid } from '../db/test-db.ts';
import { FakeServer, type Route } from './fake-server.ts';
import { PUBLISHED_FORMS } from '../../../core/forms/catalog/index.ts';

const T0 = Date.parse('2026-12-01T02:00:00.000Z');

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanups.splice(0)) fn();
});

function setup(options: Partial<SyncEngineOptions> & { server?: FakeServer; db?: JangkauDb } = {}) {
  const db = options.db ?? openTestDb();
  const server = options.server ?? new FakeServer();
  const clock = { now: T0 };
  const api = createApiClient({ baseUrl: 'http://kpu.test', getAuth: deviceAuth(db), fetch: server.fetch });
  const engine = createSyncEngine({ locks: undefined, channel: null, random: () => 0.5, now: () => clock.now, db, api, ...options });
  cleanups.push(() => {
    engine.close();
    db.close();
  });
  return { db, server, engine, clock };
}

/** An exclusive, FIFO lock manager: what navigator.locks does for one name. */
function memoryLocks(): SyncLocks & { held: number } {
  const tails = new Map<string, Promise<unknown>>();
  const locks = {
    held: 0,
    request<T>(name: string, callback: (lock: unknown) => Promise<T>): Promise<T> {
      const previous = tails.get(name) ?? Promise.resolve();
      const run = previous.then(async () => {
        locks.held++;
        if (locks.held > 1) throw new Error('lock held twice');
        try {
          return await callback({ name });
        } finally {
          locks.held--;
        }
      });
      tails.set(name, run.catch(() => undefined));
      return run;
    },
  };
  return locks;
}

/** A BroadcastChannel stand-in: every channel on the bus hears the others, never itself. */
function memoryBus() {
  const members = new Set<{ listeners: Set<(e: { data: unknown }) => void> }>();
  return {
    channel(): SyncChannel {
      const me = { listeners: new Set<(e: { data: unknown }) => void>() };
      members.add(me);
      return {
        postMessage(data) {
          for (const m of members) if (m !== me) for (const l of m.listeners) l({ data: structuredClone(data) });
        },
        addEventListener: (_type, l) => me.listeners.add(l),
        removeEventListener: (_type, l) => me.listeners.delete(l),
        close: () => members.delete(me),
      };
    },
  };
}


/**
 * A server gate that holds each push until `n` pushes are in flight, or `maxMs` passed: two
 * unguarded drainers are then certain to overlap, and a locked pair waits only `maxMs`.
 */
function rendezvous(n: number, maxMs: number): (route: string) => Promise<void> {
  let waiting: (() => void)[] = [];
  return (route) => {
    if (route !== 'push') return Promise.resolve();
    return new Promise<void>((resolve) => {
      waiting.push(resolve);
      if (waiting.length >= n) {
        for (const go of waiting) go();
        waiting = [];
      } else {
        setTimeout(resolve, maxMs);
      }
    });
  };
}

/** Records how many pushes are under way as each one arrives; each is held 30 ms, long enough
 * that a second push, if the engine starts one, arrives meanwhile. */
function countPushesUnderWay(server: FakeServer): number[] {
  let underWay = 0;
  const seen: number[] = [];
  const original = server.gate;
  server.gate = async (route) => {
    if (route === 'push') {
      underWay++;
      seen.push(underWay);
      await new Promise((r) => setTimeout(r, 30));
      underWay--;
    }
    return original(route);
  };
  return seen;
}

/**
 * Holds the push answer until a request on `route` arrives, and records both in order (`label`
 * for the arrival). The 2 s fallback only keeps an engine that waits for the push instead from
 * hanging: it then fails on the order.
 */
function holdPushUntil(server: FakeServer, route: Route, label: string): string[] {
  const original = server.gate;
  const events: string[] = [];
  let arrived!: () => void;
  const arrival = new Promise<void>((resolve) => (arrived = resolve));
  server.gate = async (r) => {
    if (r === route) {
      events.push(label);
      arrived();
    }
    if (r === 'push') {
      await Promise.race([arrival, new Promise((resolve) => setTimeout(resolve, 2_000))]);
      events.push('push answered');
    }
    return original(r);
  };
  return events;
}

describe('push', () => {
  it('sends queued submissions, marks them sent with the receipt and keeps the secret there', async () => {
    const { db, server, engine, clock } = setup();
    const filed = await fileRequests(db, 3);
    const secrets = new Map((await db.outbox.toArray()).map((r) => [r.id, r.envelope.secret]));

    const report = await engine.sync('manual');

    expect(report).toMatchObject({ outcome: 'ok', pushed: { items: 3, accepted: 3, duplicate: 0, rejected: 0 } });
    expect(await db.outbox.count()).toBe(0);
    expect([...server.submissions.keys()].sort()).toEqual(filed.map((r) => r.id).sort());
    for (const receipt of await db.receipts.toArray()) {
      const stored = server.submissions.get(receipt.id)!;
      expect(receipt.state).toBe('sent');
      expect(receipt.receivedAt).toBe(stored.receivedAt);
      expect(receipt.secret).toBe(secrets.get(receipt.id));
      // The push answer said "diterima"; the pull does not send it again.
      expect(receipt.status).toBeUndefined();
    }
    expect(engine.getState()).toMatchObject({ phase: 'idle', queued: 0, needsFix: 0, lastSyncAt: clock.now, lastOutcome: 'ok' });
    expect((await db.meta.get('lastSyncAt'))?.value).toBe(clock.now);
  });

  it('sends a backlog of 100 in one gzip request, and the whole sync in at most three', async () => {
    const { db, server, engine } = setup();
    await fileRequests(db, 100);
    const report = await engine.sync('online');
    expect(report.outcome).toBe('ok');
    expect(server.requests.filter((r) => r.route === 'push')).toHaveLength(1);
    expect(report.requests).toBeLessThanOrEqual(3);
    const push = server.requests.find((r) => r.route === 'push')!;
    expect(push.gzip).toBe(true);
    expect(push.wireBytes).toBeLessThan(report.pushed.bytes / 3);
  });

  it('retries after a lost response: the server holds one copy and the device marks it sent', async () => {
    const { db, server, engine, clock } = setup();
    const [receipt] = await fileRequests(db, 1);
    const id = receipt!.id;
    server.fail({ kind: 'lost-response' }, 'push');

    const first = await engine.sync('manual');

    expect(first.outcome).toBe('offline');
    expect(server.submissions.size).toBe(1);
    const row = (await db.outbox.get(id))!;
    expect(row).toMatchObject({ state: 'queued', attempts: 1 });
    expect((await db.receipts.get(id))!.state).toBe('queued');
    // The answer was lost on the link, while the pull beside it was answered: the link comes and
    // goes, so the next try is a probe at the fast cadence, not a backoff.
    expect(engine.getState()).toMatchObject({ phase: 'offline', queued: 1, nextAttemptAt: clock.now + probeDelayMs(clock.now, clock.now, DEFAULT_PROBE, () => 0.5) });

    clock.now += 5_000;
    const second = await engine.sync('timer');

    expect(second).toMatchObject({ outcome: 'ok', pushed: { accepted: 0, duplicate: 1 } });
    expect(server.submissions.size).toBe(1);
    expect(await db.outbox.count()).toBe(0);
    expect((await db.receipts.get(id))!).toMatchObject({ state: 'sent', receivedAt: server.submissions.get(id)!.receivedAt });
    expect(server.pushedIds()).toEqual([id, id]);
  });

  it('moves one rejected item to needs_fix while the rest of the batch is sent', async () => {
    const { db, server, engine } = setup();
    const [a, b, c] = await fileRequests(db, 3);
    // As if made on a device whose validator let a bad NIK through: the server refuses it.
    await db.outbox.update(b!.id, { 'envelope.data.nik': '0001024501900001' });
    // And one made against a form version the province never published.
    await db.outbox.update(c!.id, { 'envelope.formVersion': 9 });

    const report = await engine.sync('manual');

    expect(report).toMatchObject({ outcome: 'ok', pushed: { accepted: 1, rejected: 2 } });
    expect([...server.submissions.keys()]).toEqual([a!.id]);
    expect((await db.receipts.get(a!.id))!.state).toBe('sent');
    const bad = (await db.outbox.get(b!.id))!;
    expect(bad.state).toBe('needs_fix');
    expect(bad.rejection).toEqual({ reason: 'invalid_data', errors: [{ field: 'nik', code: 'nik_province' }] });
    expect((await db.receipts.get(b!.id))!.state).toBe('needs_fix');
    expect((await db.outbox.get(c!.id))!.rejection?.reason).toBe('unknown_form');
    expect(engine.getState()).toMatchObject({ queued: 0, needsFix: 2 });

    // Never pushed again until the person fixes or discards it.
    await engine.sync('manual');
    expect(server.pushedIds().filter((id) => id === b!.id)).toHaveLength(1);
  });

  it('keeps items queued on a 5xx, backs off with growing ceilings, then succeeds and resets', async () => {
    const random = () => 0.999;
    const { db, server, engine, clock } = setup({ random });
    await fileRequests(db, 2);
    server.fail({ kind: 'status', status: 503 }, 'push').fail({ kind: 'status', status: 500 }, 'push');

    const first = await engine.sync('manual');
    expect(first.outcome).toBe('server_error');
    expect(first.nextAttemptAt).toBe(clock.now + nextDelayMs(0, undefined, random));
    expect(engine.getState()).toMatchObject({ phase: 'error', queued: 2, nextAttemptAt: first.nextAttemptAt });
    expect((await db.outbox.toArray()).map((r) => [r.state, r.attempts, r.lastError])).toEqual([
      ['queued', 1, 'server_error: 503'],
      ['queued', 1, 'server_error: 503'],
    ]);
    expect((await db.meta.get('nextAttemptAt'))?.value).toBe(first.nextAttemptAt);

    clock.now += 2_000;
    const second = await engine.sync('timer');
    expect(second.outcome).toBe('server_error');
    expect(second.nextAttemptAt! - clock.now).toBe(nextDelayMs(1, undefined, random));
    expect(second.nextAttemptAt! - clock.now).toBeGreaterThan(first.nextAttemptAt! - T0);
    expect((await getSyncMeta(db)).failures).toBe(2);
    expect((await db.outbox.toArray()).map((r) => r.attempts)).toEqual([2, 2]);

    clock.now += 4_000;
    const third = await engine.sync('timer');
    expect(third.outcome).toBe('ok');
    expect(await db.outbox.count()).toBe(0);
    expect(server.submissions.size).toBe(2);
    expect(await getSyncMeta(db)).toEqual({ failures: 0, lastSyncAt: clock.now, lastOutcome: 'ok', linkSeenAt: clock.now });
    expect(engine.getState().nextAttemptAt).toBeUndefined();
  });

  it('treats a captive portal answering 200 with HTML as a server error, keeping the queue', async () => {
    const { db, server, engine } = setup();
    await fileRequests(db, 1);
    server.fail({ kind: 'garbled' }, 'push');
    expect((await engine.sync('online')).outcome).toBe('server_error');
    expect(await db.outbox.where('state').equals('queued').count()).toBe(1);
    expect(server.submissions.size).toBe(0);
  });

  it('waits out a busy server: a 503 with Retry-After keeps the queue and sets the next try no sooner', async () => {
    const { db, server, engine, clock } = setup();
    const filed = await fileRequests(db, 4);
    const before = await db.outbox.toArray();
    server.fail({ kind: 'status', status: 503, body: { error: 'busy', message: 'busy' }, headers: { 'retry-after': '30' } }, 'push');

    const refused = await engine.sync('manual');
    // The push and, alongside it, the pull and the forms fetch (this device holds no forms).
    expect(refused).toMatchObject({ outcome: 'server_error', requests: 3 });
    expect(server.requests.filter((r) => r.route === 'push')).toHaveLength(1);
    // Full jitter alone (random 0.5) would say about 1 s; the server asked for 30.
    expect(nextDelayMs(0, undefined, () => 0.5)).toBeLessThan(30_000);
    // No sooner than asked, and spread by up to a second so a busy province's phones do not all return at once.
    expect(refused.nextAttemptAt).toBe(clock.now + 30_000 + 500);
    expect((await db.outbox.toArray()).map((r) => ({ ...r, attempts: 0, lastError: undefined }))).toEqual(
      before.map((r) => ({ ...r, attempts: 0, lastError: undefined })),
    );

    clock.now = refused.nextAttemptAt!;
    const retried = await engine.sync('timer');
    expect(retried).toMatchObject({ outcome: 'ok', pushed: { accepted: 4, duplicate: 0 } });
    expect(await db.outbox.count()).toBe(0);
    expect([...server.submissions.keys()].sort()).toEqual(filed.map((r) => r.id).sort());
  });

  it('a resident device whose secret the server lost makes a fresh identity and sends again: nothing lost, nothing twice', async () => {
    const { onUnauthorizedFor } = await import('../../../src/sync/unauthorized.ts');
    const db = openTestDb();
    const { server, engine } = setup({ db, batchMaxBytes: 2_000, onUnauthorized: onUnauthorizedFor(db, async () => false) });
    const first = await fileRequests(db, 2);
    // The first push reaches the server, but its answer is lost: the phone still holds both rows.
    server.fail({ kind: 'lost-response' }, 'push');
    expect((await engine.sync('manual')).outcome).toBe('offline');
    const later = await fileRequests(db, 3);
    const filed = [...first, ...later];
    const oldId = (await db.meta.get('device'))?.value as { deviceId: string; deviceSecret: string };
    const secrets = new Map((await db.outbox.toArray()).map((r) => [r.id, r.envelope.secret]));
    // The server comes back from an older backup: this device's id is bound to another secret.
    server.forgetDevice(oldId.deviceId);

    const report = await engine.sync('manual');

    expect(report.error).toBeUndefined();
    expect(report.outcome).toBe('ok');
    const renewed = (await db.meta.get('device'))?.value as { deviceId: string; deviceSecret: string };
    expect(renewed.deviceId).not.toBe(oldId.deviceId);
    expect(server.knownDevices()).toEqual([oldId.deviceId, renewed.deviceId]);
    // The two the server already held come back as duplicates; the three new are accepted once.
    expect(report.pushed).toMatchObject({ accepted: 3, duplicate: 2, rejected: 0 });
    expect(await db.outbox.count()).toBe(0);
    expect([...server.submissions.keys()].sort()).toEqual(filed.map((r) => r.id).sort());
    for (const receipt of await db.receipts.toArray()) {
      expect(receipt).toMatchObject({ state: 'sent', receivedAt: server.submissions.get(receipt.id)!.receivedAt });
      // Each submission kept its own secret: that is what lets the new device follow it.
      expect(server.submissions.get(receipt.id)!.envelope.secret).toBe(secrets.get(receipt.id));
    }
    expect(engine.getState()).toMatchObject({ phase: 'idle', queued: 0 });
  });

  it('after a renewed identity, requests sent before keep getting their answers, even with nothing queued', async () => {
    const { onUnauthorizedFor } = await import('../../../src/sync/unauthorized.ts');
    const db = openTestDb();
    const { server, engine } = setup({ db, onUnauthorized: onUnauthorizedFor(db, async () => false) });
    const [a, b] = await fileRequests(db, 2);
    expect((await engine.sync('manual')).outcome).toBe('ok');
    server.setStatus(a!.id, 'diproses');
    const old = (await db.meta.get('device'))?.value as { deviceId: string };
    server.forgetDevice(old.deviceId);
    // The link drops while the new identity asks to follow the old requests: it is done next time.
    server.fail({ kind: 'offline' }, 'follow');
    expect((await engine.sync('manual')).outcome).toBe('offline');
    expect(await db.meta.get('relinkPending')).toMatchObject({ value: true });

    expect((await engine.sync('manual')).outcome).toBe('ok');
    expect((await db.receipts.get(a!.id))?.status).toBe('diproses');
    expect(await db.meta.get('relinkPending')).toBeUndefined();
    // Answers given later reach the new identity too.
    server.setStatus(b!.id, 'selesai', 'Data terlampir.');
    expect((await engine.sync('manual')).outcome).toBe('ok');
    expect(await db.receipts.get(b!.id)).toMatchObject({ status: 'selesai', answer: 'Data terlampir.' });
    expect(server.pushedIds()).toHaveLength(2);
  });

  it('renews the identity once per sync: a second 401 stops with the queue kept', async () => {
    const db = openTestDb();
    let renewals = 0;
    const { server, engine } = setup({
      db,
      onUnauthorized: async () => {
        renewals++;
        return 'renewed';
      },
    });
    await fileRequests(db, 2);
    const before = await db.outbox.toArray();
    server.fail({ kind: 'status', status: 401 }, 'push').fail({ kind: 'status', status: 401 }, 'push');
    const report = await engine.sync('manual');
    expect(renewals).toBe(1);
    // Twice a push and, alongside it, a pull; the first pull's forms fetch.
    expect(report).toMatchObject({ outcome: 'auth', requests: 5 });
    expect(server.requests.filter((r) => r.route === 'push')).toHaveLength(2);
    expect(await db.outbox.toArray()).toEqual(before);
  });

  it('an officer device on a 401 keeps the queue and its identity, and asks for a login', async () => {
    const { onUnauthorizedFor } = await import('../../../src/sync/unauthorized.ts');
    const db = openTestDb();
    const { server, engine } = setup({ db, onUnauthorized: onUnauthorizedFor(db, async () => true) });
    await fileRequests(db, 2);
    await deviceAuth(db)();
    const identity = await db.meta.get('device');
    expect(identity).toBeDefined();
    const before = await db.outbox.toArray();
    server.fail({ kind: 'status', status: 401 }, 'push');
    const report = await engine.sync('manual');
    // The push, and alongside it the pull and the forms fetch.
    expect(report).toMatchObject({ outcome: 'auth', requests: 3 });
    expect(server.requests.filter((r) => r.route === 'push')).toHaveLength(1);
    expect(await db.outbox.toArray()).toEqual(before);
    expect(await db.meta.get('device')).toEqual(identity);
    expect(engine.getState()).toMatchObject({ phase: 'auth_required', queued: 2 });
    expect(server.submissions.size).toBe(0);
  });

  it('stops on a 401, keeps the queue untouched and asks for a login', async () => {
    const { db, server, engine } = setup();
    await fileRequests(db, 2);
    const before = await db.outbox.toArray();
    server.fail({ kind: 'status', status: 401 }, 'push');

    const report = await engine.sync('manual');

    expect(report.outcome).toBe('auth');
    // The push, and the pull and forms fetch that went alongside it.
    expect(report.requests).toBe(3);
    expect(server.requests.filter((r) => r.route === 'push')).toHaveLength(1);
    expect(await db.outbox.toArray()).toEqual(before);
    expect(engine.getState()).toMatchObject({ phase: 'auth_required', queued: 2 });
    expect(engine.getState().nextAttemptAt).toBeUndefined();
  });

  it('cuts the queue into batches by bytes and sends them in filing order', async () => {
    const db = openTestDb();
    const filed = await fileRequests(db, 7);
    // Room for exactly two of these rows per request ({"items":[a,b]}).
    const largest = Math.max(...(await db.outbox.toArray()).map((r) => r.bytes));
    const { server, engine } = setup({ db, batchMaxBytes: 12 + 2 * largest + 1 });
    const report = await engine.sync('manual');
    // Two pushes may be under way at once, so the fake server can record them in either order;
    // each batch must still be a run of the filing order, and together they cover it once.
    const order = filed.map((r) => r.id);
    const batches = server.requests
      .filter((r) => r.route === 'push')
      .map((p) => p.items)
      .sort((a, b) => order.indexOf(a[0] ?? '') - order.indexOf(b[0] ?? ''));
    expect(batches.map((b) => b.length)).toEqual([2, 2, 2, 1]);
    expect(batches.flat()).toEqual(order);
    expect(report.pushed.accepted).toBe(7);
  });

  it('after the first acknowledged push, keeps two pushes under way (never more), each item sent once', async () => {
    const db = openTestDb();
    const filed = await fileRequests(db, 6);
    // Room for one row per request.
    const largest = Math.max(...(await db.outbox.toArray()).map((r) => r.bytes));
    const { server, engine } = setup({ db, batchMaxBytes: 12 + largest + 1 });
    const seen = countPushesUnderWay(server);
    const report = await engine.sync('manual');
    expect(report).toMatchObject({ outcome: 'ok', pushed: { accepted: 6, duplicate: 0 } });
    expect(seen).toHaveLength(6);
    // The first goes alone (the link is unproven); then two at a time.
    expect(seen[0]).toBe(1);
    expect(Math.max(...seen)).toBe(2);
    expect(server.pushedIds().sort()).toEqual(filed.map((r) => r.id).sort());
  });

  it('goes one push at a time while a cut has lowered the batch cap, two once it is back at the maximum', async () => {
    const db = openTestDb();
    await fileRequests(db, 6);
    const largest = Math.max(...(await db.outbox.toArray()).map((r) => r.bytes));
    const max = 4 * (12 + largest + 1);
    const { server, engine } = setup({ db, batchMaxBytes: max });
    // Two cuts ago: a quarter of the maximum, so one row per request, and two acknowledged pushes
    // before the cap is whole again.
    await db.meta.put({ key: 'batchCap', value: max / 4 });
    const seen = countPushesUnderWay(server);
    const report = await engine.sync('manual');
    expect(report).toMatchObject({ outcome: 'ok', pushed: { accepted: 6 } });
    expect(seen).toHaveLength(6);
    expect(seen.slice(0, 3)).toEqual([1, 1, 1]);
    expect(Math.max(...seen)).toBe(2);
  });

  it('stops at the first failing batch and keeps the later ones queued without a try counted', async () => {
    const { db, server, engine } = setup({ batchMaxBytes: 2_000 });
    await fileRequests(db, 6);
    server.requests.length = 0;
    // Let the first batch through, then drop the link.
    const original = server.gate;
    let pushes = 0;
    server.gate = async (route) => {
      if (route === 'push' && ++pushes === 2) server.fail({ kind: 'offline' }, 'push');
      return original(route);
    };
    const report = await engine.sync('manual');
    expect(report.outcome).toBe('offline');
    const rows = await db.outbox.toArray();
    const pushRequests = server.requests.filter((r) => r.route === 'push');
    const firstBatch = pushRequests[0]!.items.length;
    expect(report.pushed.accepted).toBe(firstBatch);
    expect(rows).toHaveLength(6 - firstBatch);
    const tried = new Set(pushRequests[1]!.items);
    for (const row of rows) expect(row.attempts).toBe(tried.has(row.id) ? 1 : 0);
  });
});

describe('pull', () => {
  it('applies status changes and answers, and never moves a receipt backwards', async () => {
    const { db, server, engine } = setup({ pullLimit: 2 });
    const [a, b] = await fileRequests(db, 2);
    await engine.sync('manual');

    server.setStatus(a!.id, 'diproses');
    server.setStatus(a!.id, 'selesai', 'Salinan DPT terlampir.');
    server.setStatus(b!.id, 'ditolak', 'Informasi dikecualikan.');
    const report = await engine.sync('visible');

    // Five changes in all, but the two on acceptance stay on the server: three, two per page,
    // so the engine followed `more`.
    expect(report.pulled).toEqual({ changes: 3, applied: 3 });
    expect((await db.receipts.get(a!.id))!).toMatchObject({ status: 'selesai', answer: 'Salinan DPT terlampir.' });
    expect((await db.receipts.get(b!.id))!).toMatchObject({ status: 'ditolak', answer: 'Informasi dikecualikan.' });
    expect((await db.meta.get('pullCursor'))?.value).toBe('5');

    // A cursor lost (or a server replaying from the start) changes nothing.
    await db.meta.delete('pullCursor');
    const replay = await engine.sync('manual');
    expect(replay.pulled).toEqual({ changes: 3, applied: 0 });
    expect((await db.receipts.get(a!.id))!).toMatchObject({ status: 'selesai', statusSeq: 4 });
  });

  it('stops and backs off when the pull fails, keeping what the push achieved', async () => {
    const { db, server, engine } = setup();
    await fileRequests(db, 1);
    server.fail({ kind: 'offline' }, 'changes');
    const report = await engine.sync('manual');
    expect(report.outcome).toBe('offline');
    expect(report.pushed.accepted).toBe(1);
    expect(await db.outbox.count()).toBe(0);
    expect(report.nextAttemptAt).toBeDefined();
  });

  it('pulls alongside the push instead of after it', async () => {
    const { db, server, engine } = setup();
    await fileRequests(db, 3);
    const events = holdPushUntil(server, 'changes', 'pull arrived');
    const report = await engine.sync('manual');
    expect(report.outcome).toBe('ok');
    expect(events).toEqual(['pull arrived', 'push answered']);
    expect(report.pushed.accepted).toBe(3);
    expect(await db.outbox.count()).toBe(0);
  });

  it('keeps a status pulled while the push of the same item is still under way', async () => {
    const { db, server, engine } = setup();
    const [item] = await fileRequests(db, 1);
    // Stored by the server, but the answer was lost: the device sends it again next time.
    server.fail({ kind: 'lost-response' }, 'push');
    expect((await engine.sync('manual')).outcome).toBe('offline');
    // After a lost link the push goes alone, before the pull (core/sync-retry.ts planRun); a server
    // error next means the link answered, so the run after it sends the push and the pull together.
    server.fail({ kind: 'status', status: 500 }, 'push');
    expect((await engine.sync('timer')).outcome).toBe('server_error');
    server.setStatus(item!.id, 'diproses', 'Sedang diproses.');
    // A new version, so this sync fetches the forms: that fetch comes after the pull's changes
    // are stored, and the push answer is held until then.
    server.forms.push({ ...PPID, version: 2 });
    const events = holdPushUntil(server, 'forms', 'pull stored');
    const report = await engine.sync('timer');
    expect(report).toMatchObject({ outcome: 'ok', pushed: { duplicate: 1 }, pulled: { applied: 1 } });
    expect(events).toEqual(['pull stored', 'push answered']);
    expect(await db.receipts.get(item!.id)).toMatchObject({ state: 'sent', status: 'diproses', answer: 'Sedang diproses.' });
    expect(await db.outbox.count()).toBe(0);
    expect(server.submissions.size).toBe(1);
  });
});

describe('forms', () => {
  it('caches newly published forms and fetches them only when the forms tag changes', async () => {
    const v2: FormDef = { ...PPID, version: 2 };
    const server = new FakeServer([PPID, v2]);
    server.retired = [{ formId: 'ppid-permohonan', version: 1 }];
    const { db, engine, clock } = setup({ server });
    await seedForms(db, PUBLISHED_FORMS);

    const first = await engine.sync('start');
    expect(first.formsRefreshed).toBe(true);
    expect((await listOfferedForms(db)).filter((f) => f.formId === PPID.formId).map((f) => f.version)).toEqual([2]);
    expect(server.requests.filter((r) => r.route === 'forms')).toHaveLength(1);

    clock.now += 60_000;
    expect((await engine.sync('queued')).formsRefreshed).toBe(false);
    expect((await engine.sync('manual')).formsRefreshed).toBe(false);
    clock.now += 2 * 60 * 60_000;
    expect((await engine.sync('start')).formsRefreshed).toBe(false);
    expect(server.requests.filter((r) => r.route === 'forms')).toHaveLength(1);
    server.forms.push({ ...PPID, version: 3 });
    expect((await engine.sync('visible')).formsRefreshed).toBe(true);
  });
});

describe('a link that comes and goes without the browser saying so (issue #18)', () => {
  it('requests queued on a dead link keep the next try within the probe cadence, and the first push answered sends them all', async () => {
    // Dice at their highest: the longest delay each rule can give.
    const { db, server, engine, clock } = setup({ random: () => 0.999 });
    server.down = true;
    // Twenty requests filed one by one while the phone shows a bar but nothing gets through: each
    // filing starts a run (the app's notifyQueued), and each fails for want of a link.
    for (let i = 0; i < 20; i++) {
      await fileRequests(db, 1, T0 + i * 1000);
      clock.now += 30_000;
      const report = await engine.sync('queued');
      expect(report.outcome).toBe('offline');
      expect(report.nextAttemptAt! - clock.now).toBeLessThanOrEqual(probeCapMs());
    }
    // A lost link grows nothing.
    expect((await getSyncMeta(db)).failures).toBe(0);
    // The first run tried the push and the pull; every later one only a push, which is the probe
    // (no separate HEAD first, no pull behind it while the link is down).
    const routes = server.requests.map((r) => r.route);
    expect(routes.slice(0, 2).sort()).toEqual(['changes', 'push']);
    expect(routes.slice(2)).toEqual(Array.from({ length: 19 }, () => 'push'));

    // The link is back, and the browser says nothing: the retry timer finds it, with the push
    // first and alone; the pull follows its answer.
    server.down = false;
    clock.now = engine.getState().nextAttemptAt!;
    const before = server.requests.length;
    const report = await engine.sync('timer');
    expect(report).toMatchObject({ outcome: 'ok', pushed: { accepted: 20 } });
    expect(server.requests.slice(before).map((r) => r.route).slice(0, 2)).toEqual(['push', 'changes']);
    expect(server.submissions.size).toBe(20);
    expect(await db.outbox.count()).toBe(0);
  });

  it('with nothing to send after a lost link, a probe asks first; "Kirim sekarang" goes straight to the pull', async () => {
    const { server, engine, clock } = setup();
    server.down = true;
    expect((await engine.sync('start')).outcome).toBe('offline');
    server.down = false;
    clock.now = engine.getState().nextAttemptAt ?? clock.now + 60_000;
    let before = server.requests.length;
    expect((await engine.sync('timer')).outcome).toBe('ok');
    expect(server.requests.slice(before).map((r) => r.route).slice(0, 2)).toEqual(['health', 'changes']);
    server.down = true;
    await engine.sync('timer');
    server.down = false;
    before = server.requests.length;
    expect((await engine.sync('manual')).outcome).toBe('ok');
    expect(server.requests.slice(before).map((r) => r.route)).toEqual(['changes']);
  });

  it('a push reset under way goes again at once, once a sync; a connection refused at once does not', async () => {
    const { db, server, engine, clock } = setup();
    const filed = await fileRequests(db, 3);
    // Each push takes 2 s on the engine's clock before its fate: the connection stood.
    server.gate = (route) => {
      if (route === 'push') clock.now += 2_000;
      return Promise.resolve();
    };
    // Cut after the server stored it (the answer lost): sent again at once, answered as the duplicate it is.
    server.fail({ kind: 'lost-response' }, 'push');
    const once = await engine.sync('queued');
    expect(once).toMatchObject({ outcome: 'ok', pushed: { items: 3, duplicate: 3 } });
    expect(server.requests.filter((r) => r.route === 'push').map((r) => r.items.length)).toEqual([3, 3]);
    expect(server.submissions.size).toBe(3);
    expect(server.pushedIds().sort()).toEqual([...filed.map((r) => r.id), ...filed.map((r) => r.id)].sort());

    // Two cuts in one sync: the second ends it (no storm on a link that keeps cutting).
    await fileRequests(db, 2, T0 + 60_000);
    server.fail({ kind: 'offline' }, 'push');
    server.fail({ kind: 'offline' }, 'push');
    let before = server.requests.length;
    const twice = await engine.sync('queued');
    expect(twice.outcome).toBe('offline');
    expect(server.requests.slice(before).filter((r) => r.route === 'push')).toHaveLength(2);
    // The two cuts of one sync halve the batch cap once, not twice.
    expect(await getMeta(db, 'batchCap')).toBe(DEFAULT_BATCH_LIMITS.maxBytes / 2);

    // An hour later, after a lost link (the push goes alone, no pull answers): a reset under way
    // is the link seen, so the next try comes at the fast cadence, not the slow one.
    clock.now += 3_600_000;
    server.fail({ kind: 'offline' }, 'push');
    server.fail({ kind: 'offline' }, 'push');
    before = server.requests.length;
    const seen = await engine.sync('timer');
    expect(server.requests.slice(before).map((r) => r.route)).toEqual(['push', 'push']);
    expect((await getSyncMeta(db)).linkSeenAt).toBe(clock.now);
    expect(seen.nextAttemptAt! - clock.now).toBe(probeDelayMs(clock.now, clock.now, DEFAULT_PROBE, () => 0.5));
    expect(DEFAULT_PROBE.fastMs).toBeLessThan(DEFAULT_PROBE.slowMs);

    // Refused at once (the link is down, no connection): not sent again in the same sync.
    server.gate = () => Promise.resolve();
    server.fail({ kind: 'offline' }, 'push');
    before = server.requests.length;
    expect((await engine.sync('timer')).outcome).toBe('offline');
    expect(server.requests.slice(before).map((r) => r.route)).toEqual(['push']);
    expect(await db.outbox.count()).toBe(2);
  });

  it('triggers that fire together on a dead link make one run and one failure', async () => {
    const { db, server, engine, clock } = setup();
    await fileRequests(db, 3);
    server.down = true;
    await engine.sync('manual');
    const before = server.requests.length;
    clock.now += 1_000;
    const [queued, visible, timer] = await Promise.all([engine.sync('queued'), engine.sync('visible'), engine.sync('timer')]);
    // One push (the probe), refused: the follow-up waits for the next try instead of failing again at once.
    expect(server.requests.slice(before).map((r) => r.route)).toEqual(['push']);
    expect(visible).toBe(queued);
    expect(timer).toBe(queued);
    expect((await getSyncMeta(db)).failures).toBe(0);
    // "Kirim sekarang" joining such a burst still runs: the person is watching.
    const [, manual] = await Promise.all([engine.sync('queued'), engine.sync('manual')]);
    expect(manual.reason).toBe('manual');
  });

  it('server errors grow the delay once per burst; a busy answer and a lost link do not grow it', async () => {
    const random = () => 0.999;
    const { db, server, engine, clock } = setup({ random });
    await fileRequests(db, 2);
    server.fail({ kind: 'status', status: 500 }, 'push');
    const first = await engine.sync('manual');
    expect(first.outcome).toBe('server_error');
    expect((await getSyncMeta(db)).failures).toBe(1);
    // Another trigger before the retry the failure scheduled, failing the same way: the same burst.
    clock.now += 100;
    server.fail({ kind: 'status', status: 500 }, 'push');
    await engine.sync('visible');
    expect((await getSyncMeta(db)).failures).toBe(1);
    // A busy province: its Retry-After, the count kept.
    clock.now = engine.getState().nextAttemptAt!;
    server.fail({ kind: 'status', status: 503, headers: { 'retry-after': '3' } }, 'push');
    const busy = await engine.sync('timer');
    expect(busy.nextAttemptAt! - clock.now).toBeGreaterThanOrEqual(3_000);
    expect(busy.nextAttemptAt! - clock.now).toBeLessThanOrEqual(4_000);
    expect((await getSyncMeta(db)).failures).toBe(1);
    // The next error, on time, grows it.
    clock.now = busy.nextAttemptAt!;
    server.fail({ kind: 'status', status: 502 }, 'push');
    const second = await engine.sync('timer');
    expect(second.nextAttemptAt! - clock.now).toBe(nextDelayMs(1, undefined, random));
    expect((await getSyncMeta(db)).failures).toBe(2);
  });

  // 200 rows to file and two pushes to gzip: seconds on a loaded machine, past the 5 s default.
  it('after a lost link the first push carries what fits a short window, and the next continues', { timeout: 30_000 }, async () => {
    const { db, server, engine, clock } = setup();
    const filed = await fileRequests(db, 200);
    const bytes = new Map((await db.outbox.toArray()).map((r) => [r.id, r.bytes]));
    server.down = true;
    await engine.sync('manual');
    server.down = false;
    clock.now = engine.getState().nextAttemptAt!;
    const before = server.requests.length;
    const report = await engine.sync('timer');
    expect(report).toMatchObject({ outcome: 'ok', pushed: { accepted: 200 } });
    const pushes = server.requests.slice(before).filter((r) => r.route === 'push');
    const size = (ids: string[]) => ids.reduce((n, id) => n + (bytes.get(id) ?? 0), 0);
    // One push would carry the whole queue on a link that did not fail (~90 KB, 200 items).
    expect(size(filed.map((r) => r.id))).toBeLessThan(DEFAULT_BATCH_LIMITS.maxBytes);
    expect(filed.length).toBeLessThanOrEqual(DEFAULT_BATCH_LIMITS.maxItems);
    expect(pushes.length).toBeGreaterThanOrEqual(2);
    // The pessimistic link (2G) moves ~80 KB of queued JSON (~20 KB gzip) in a short window, not all
    // of the queue, which one push would carry on a link that did not fail.
    expect(size(pushes[0]!.items)).toBeLessThanOrEqual(fitBytes(PESSIMISTIC_LINK));
    // The push went first, alone: the pull only after every push was answered.
    expect(server.requests.slice(before).map((r) => r.route).indexOf('changes')).toBe(pushes.length);
    expect(server.pushedIds().sort()).toEqual(filed.map((r) => r.id).sort());
  });
});

describe('one drainer at a time', () => {
  it('shares concurrent sync() calls in one context and sends each item once', async () => {
    const { db, server, engine } = setup();
    await fileRequests(db, 5);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let arrived!: () => void;
    const pushArrived = new Promise<void>((resolve) => (arrived = resolve));
    server.gate = (route) => {
      if (route !== 'push') return Promise.resolve();
      arrived();
      return held;
    };

    const first = engine.sync('start');
    const others = [engine.sync('online'), engine.sync('visible'), engine.sync('manual')];
    // All calls made while a run is going share one follow-up run.
    expect(others[1]).toBe(others[0]);
    expect(others[2]).toBe(others[0]);
    await pushArrived;
    // An item queued while the first push is on the wire is picked up by the follow-up.
    const late = ulid();
    await submitDraft(db, PPID, late, validPpid());
    release();
    const reports = await Promise.all([first, ...others]);

    expect(reports.every((r) => r.outcome === 'ok')).toBe(true);
    const pushed = server.pushedIds();
    expect(new Set(pushed).size).toBe(pushed.length);
    expect(pushed).toHaveLength(6);
    expect(pushed).toContain(late);
    expect(server.requests.filter((r) => r.route === 'push')).toHaveLength(2);
    expect(await db.outbox.count()).toBe(0);
  });

  it('with a Web Lock, two engines on one database never push the same item twice', async () => {
    const server = new FakeServer();
    const locks = memoryLocks();
    const pageDb = openTestDb();
    const workerDb = new JangkauDb(pageDb.name);
    // Pushes wait for a second one for a while: without the lock the runs would overlap.
    server.gate = rendezvous(2, 30);
    const page = setup({ db: pageDb, server, locks });
    const worker = setup({ db: workerDb, server, locks });
    await fileRequests(pageDb, 8);

    const reports = await Promise.all([page.engine.sync('visible'), worker.engine.sync('background-sync'), page.engine.sync('online')]);

    expect(reports.every((r) => r.outcome === 'ok')).toBe(true);
    const pushed = server.pushedIds();
    expect(pushed).toHaveLength(8);
    expect(new Set(pushed).size).toBe(8);
    expect(server.submissions.size).toBe(8);
  });

  it('without the lock the same setup pushes items twice (what the lock prevents)', async () => {
    const server = new FakeServer();
    const pageDb = openTestDb();
    server.gate = rendezvous(2, 1_000);
    const page = setup({ db: pageDb, server });
    const worker = setup({ db: new JangkauDb(pageDb.name), server });
    await fileRequests(pageDb, 8);

    await Promise.all([page.engine.sync('visible'), worker.engine.sync('background-sync')]);

    expect(server.pushedIds().length).toBeGreaterThan(8);
    // Idempotency still holds: one copy each, all marked sent.
    expect(server.submissions.size).toBe(8);
    expect(await pageDb.outbox.count()).toBe(0);
  });
});

describe('state', () => {
  it('publishes syncing with progress, then the result, to subscribers', async () => {
    const { db, engine } = setup({ batchMaxBytes: 2_000 });
    await fileRequests(db, 4);
    const seen: SyncState[] = [];
    const unsubscribe = engine.subscribe((s) => seen.push(s));
    await engine.sync('manual');
    unsubscribe();

    expect(seen[0]).toMatchObject({ phase: 'idle', queued: 0 });
    const syncing = seen.filter((s) => s.phase === 'syncing');
    expect(syncing.length).toBeGreaterThan(2);
    const totals = syncing.map((s) => s.total.items);
    expect(Math.max(...totals)).toBe(4);
    const progress = syncing.map((s) => s.sent.items);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
    expect(progress.at(-1)).toBe(4);
    expect(seen.at(-1)).toMatchObject({ phase: 'idle', queued: 0 });
  });

  it('lets another context see a sync run elsewhere (the worker), through the channel', async () => {
    const bus = memoryBus();
    const server = new FakeServer();
    const pageDb = openTestDb();
    const worker = setup({ db: pageDb, server, channel: bus.channel() });
    const page = setup({ db: new JangkauDb(pageDb.name), server, channel: bus.channel() });
    await fileRequests(pageDb, 2);
    const pageSaw: SyncState[] = [];
    page.engine.subscribe((s) => pageSaw.push(s));

    await worker.engine.sync('background-sync');

    expect(pageSaw.some((s) => s.phase === 'syncing' && s.total.items === 2)).toBe(true);
    expect(page.engine.getState()).toMatchObject({ phase: 'idle', queued: 0, lastOutcome: 'ok' });
  });

  it('restores the remembered outcome and counts on refresh, without the network', async () => {
    const { db, server, engine } = setup();
    await fileRequests(db, 1);
    server.fail({ kind: 'offline' }, 'push');
    await engine.sync('manual');
    const requests = server.requests.length;

    const again = setup({ db: new JangkauDb(db.name), server });
    const state = await again.engine.refresh();
    expect(state).toMatchObject({ phase: 'offline', queued: 1, lastOutcome: 'offline' });
    expect(state.nextAttemptAt).toBe(engine.getState().nextAttemptAt);
    expect(server.requests.length).toBe(requests);
  });

  it('never rejects: a storage failure is reported as a failed sync', async () => {
    const { db, engine } = setup();
    db.close();
    const report = await engine.sync('manual');
    expect(report.outcome).toBe('failed');
    expect(report.error).toMatch(/DatabaseClosed/);
    expect(engine.getState().phase).toBe('error');
  });
});
