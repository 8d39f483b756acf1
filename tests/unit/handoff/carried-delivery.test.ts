// The device side of QR hand-offs: what an officer's phone carries and how a sync delivers it,
// the resident's receipt note (the request stays queued), and when "Kirim lewat SMS" is offered.
import { describe, expect, it } from 'vitest';
import { ulid } from '../../../core/ids.ts';
import type { ItemResult } from '../../../core/protocol.ts';
import { addCarried, listCarried, markHandedOver, pendingCarried } from '../../../src/db/handoffs.ts';
import { deliverCarried, HANDOFF_BATCH } from '../../../src/sync/handoff-phase.ts';
import { offersSms, SMS_AFTER_OFFLINE_MS } from '../../../src/features/handoff/sms-offer.ts';
import { fileRequests, openTestDb } from '../db/test-db.ts';
import { href, parseRoute } from '../../../src/app/router.ts';

interface Call {
  url: string;
  authorization: string;
  bundles: string[];
}

/** A fake /api/v1/handoff answering each bundle with `answer(id)`, or a status for the whole call. */
function fakeServer(answer: (bundle: string, index: number) => ItemResult['outcome'] | number) {
  const calls: Call[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    const body = JSON.parse(String(init.body)) as { bundles: string[] };
    calls.push({ url, authorization: (init.headers as Record<string, string>).authorization!, bundles: body.bundles });
    const outcomes = body.bundles.map(answer);
    const status = outcomes.find((o) => typeof o === 'number');
    if (status !== undefined) return new Response('{}', { status });
    const results = outcomes.map((outcome, i) =>
      outcome === 'rejected' ? { id: `id${i}`, outcome, reason: 'invalid_envelope' } : { id: `id${i}`, outcome, receivedAt: '2026-12-01T00:00:00.000Z' },
    );
    return new Response(JSON.stringify({ results, serverTime: '2026-12-01T00:00:00.000Z' }), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof fetch;
  return { calls, fetchFn };
}

const bytes = (n: number) => Uint8Array.from({ length: 40 }, (_, i) => (i * 7 + n) % 256);

describe('carried hand-offs on the officer’s phone', () => {
  it('keeps each request once, however often it is scanned', async () => {
    const db = openTestDb();
    const id = ulid();
    await addCarried(db, id, bytes(1), 1000);
    await addCarried(db, id, bytes(1), 2000);
    const items = await listCarried(db);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ id, state: 'carried', scannedAt: 2000 });
  });

  it('delivers with the phone’s credential, marks accepted and duplicate delivered, keeps refusals, and a later scan does not re-open a delivered one', async () => {
    const db = openTestDb();
    const [a, b, c] = [ulid(), ulid(), ulid()];
    await addCarried(db, a, bytes(1), 1);
    await addCarried(db, b, bytes(2), 2);
    await addCarried(db, c, bytes(3), 3);
    const outcomes: ItemResult['outcome'][] = ['accepted', 'duplicate', 'rejected'];
    const server = fakeServer((_, i) => outcomes[i]!);
    const result = await deliverCarried({ db, baseUrl: 'https://jangkau.test/', getAuth: async () => 'Bearer tok', fetch: server.fetchFn, now: () => 50 });
    expect(result).toEqual({ kind: 'ok', delivered: 2, refused: 1 });
    expect(server.calls).toHaveLength(1);
    expect(server.calls[0]!.url).toBe('https://jangkau.test/api/v1/handoff');
    expect(server.calls[0]!.authorization).toBe('Bearer tok');
    const byId = new Map((await listCarried(db)).map((item) => [item.id, item]));
    expect(byId.get(a)).toMatchObject({ state: 'delivered', deliveredAt: 50 });
    expect(byId.get(b)).toMatchObject({ state: 'delivered' });
    expect(byId.get(c)).toMatchObject({ state: 'refused', reason: 'invalid_envelope' });
    expect(await pendingCarried(db)).toEqual([]);

    // Nothing left to send: no request at all.
    await addCarried(db, a, bytes(1), 60);
    await deliverCarried({ db, baseUrl: 'https://jangkau.test', getAuth: async () => 'x', fetch: server.fetchFn });
    expect(server.calls).toHaveLength(1);
    expect((await listCarried(db)).find((item) => item.id === a)?.state).toBe('delivered');
  });

  it('keeps everything carried when the server refuses the carrier or there is no signal', async () => {
    const db = openTestDb();
    await addCarried(db, ulid(), bytes(1));
    const refusing = fakeServer(() => 401);
    expect(await deliverCarried({ db, baseUrl: 'https://x', getAuth: async () => 'Device a.b', fetch: refusing.fetchFn })).toMatchObject({
      kind: 'failed',
      delivered: 0,
      error: 'status 401',
    });
    const offline = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    expect((await deliverCarried({ db, baseUrl: 'https://x', getAuth: async () => 'x', fetch: offline })).kind).toBe('failed');
    expect((await pendingCarried(db)).map((item) => item.state)).toEqual(['carried']);
  });

  it('sends at most the route’s batch per call', async () => {
    const db = openTestDb();
    for (let i = 0; i < HANDOFF_BATCH + 3; i++) await addCarried(db, ulid(), bytes(i), i);
    const server = fakeServer(() => 'accepted');
    const result = await deliverCarried({ db, baseUrl: 'https://x', getAuth: async () => 'x', fetch: server.fetchFn });
    expect(server.calls.map((c) => c.bundles.length)).toEqual([HANDOFF_BATCH, 3]);
    expect(result).toEqual({ kind: 'ok', delivered: HANDOFF_BATCH + 3, refused: 0 });
  });
});

describe('the resident’s phone after a hand-off', () => {
  it('notes the officer on the receipt and keeps the request queued', async () => {
    const db = openTestDb();
    const [receipt] = await fileRequests(db, 1);
    expect(await markHandedOver(db, receipt!.id, '  Budi Santoso ', 500)).toBe(true);
    expect((await db.receipts.get(receipt!.id))?.handedOver).toEqual({ at: 500, to: 'Budi Santoso' });
    expect((await db.outbox.get(receipt!.id))?.state).toBe('queued');
    expect(await markHandedOver(db, ulid(), 'x')).toBe(false);
  });
});

describe('when "Kirim lewat SMS" is offered', () => {
  const base = { online: false, lastSyncAt: 0, queuedAt: 0, hasFiles: false, now: SMS_AFTER_OFFLINE_MS };
  it('only offline for long and without files', () => {
    expect(offersSms(base)).toBe(true);
    expect(offersSms({ ...base, online: true })).toBe(false);
    expect(offersSms({ ...base, hasFiles: true })).toBe(false);
    expect(offersSms({ ...base, now: SMS_AFTER_OFFLINE_MS - 1 })).toBe(false);
    // Never synced: counted from when the request was queued.
    expect(offersSms({ ...base, lastSyncAt: undefined, queuedAt: 10, now: 10 + SMS_AFTER_OFFLINE_MS - 1 })).toBe(false);
    expect(offersSms({ ...base, lastSyncAt: undefined, queuedAt: 10, now: 10 + SMS_AFTER_OFFLINE_MS })).toBe(true);
  });
});

describe('hand-off routes', () => {
  it('round-trip through the hash', () => {
    const id = '01JD2K8F0000000000000000AB';
    for (const route of [{ name: 'handoff', id }, { name: 'sms', id }, { name: 'carried' }] as const) {
      expect(parseRoute(href(route))).toEqual(route);
    }
    expect(parseRoute(`#/permohonan/${id}`)).toEqual({ name: 'request', id });
  });
});
