// Defect 1's last part (issue #11): the form page checks dates against the server's clock before the
// answers are sealed. A phone whose clock runs a day ahead took its own "today" as the bound, so
// the server's tomorrow passed the page and was refused `date_future` once sealed. The app's sync
// (src/sync/device-engine.ts) keeps the offset from the Date header of the server's answers; the
// page's today is the server's (src/db/server-clock.ts), and the field says why in Indonesian
// first, English second.
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { todayInWib } from '../../../core/forms/context.ts';
import { findForm, PUBLISHED_FORMS } from '../../../core/forms/catalog/index.ts';
import { issueText } from '../../../core/forms/messages.ts';
import { validateForm } from '../../../core/forms/validate.ts';
import { getMeta } from '../../../src/db/meta.ts';
import { db } from '../../../src/db/open-db.ts';
import { noteServerDate, serverToday } from '../../../src/db/server-clock.ts';
import { createDeviceSyncEngine } from '../../../src/sync/device-engine.ts';
import { openTestDb } from '../db/test-db.ts';
import { FakeServer } from './fake-server.ts';

const DAY = 24 * 60 * 60_000;
const PENGADUAN = findForm(PUBLISHED_FORMS, 'pengaduan', 1)!;

/** How far the server's clock is behind the phone's in the current test. */
let behindMs = 0;
let server: FakeServer;

beforeAll(() => {
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const answer = await server.fetch(new Request(input, init));
    const headers = new Headers(answer.headers);
    headers.set('date', new Date(Date.now() - behindMs).toUTCString());
    return new Response(answer.body, { status: answer.status, headers });
  });
});
afterAll(() => {
  vi.unstubAllGlobals();
});
afterEach(async () => {
  await db.delete();
  await db.open();
});

it("a phone a day ahead: after a sync the page's today is the server's, and the phone's today is refused beside the field", async () => {
  server = new FakeServer();
  behindMs = DAY;
  const engine = createDeviceSyncEngine('http://kpu.test', undefined);
  try {
    expect((await engine.sync('manual')).outcome).toBe('ok');
  } finally {
    engine.close();
  }
  const today = await serverToday(db);
  expect(today).toBe(todayInWib(Date.now() - DAY));

  const answers = { jenis: 'pengaduan', isi: 'Kotak suara di TPS 03 belum datang.', tanggalKejadian: todayInWib() };
  // By the phone's own clock the date passes, and the server refuses it once sealed.
  expect(validateForm(PENGADUAN, answers, { today: todayInWib() }).errors.filter((e) => e.field === 'tanggalKejadian')).toEqual([]);
  const issue = validateForm(PENGADUAN, answers, { today }).errors.find((e) => e.field === 'tanggalKejadian');
  expect(issue?.code).toBe('date_future');
  expect(issueText(issue!, 'id')).toBe('Tanggal tidak boleh di masa depan.');
  expect(issueText(issue!, 'en')).toBe('The date cannot be in the future.');
});

it("before any sync the page's today is the phone's own", async () => {
  const fresh = openTestDb();
  expect(await serverToday(fresh, Date.parse('2026-12-07T20:00:00Z'))).toBe('2026-12-08');
  fresh.close();
});

it('keeps the offset of the last answer, whichever way the clocks differ', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: -3 * DAY, max: 3 * DAY }), fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2030-01-01T00:00:00Z') }), async (offset, phoneNow) => {
      const fresh = openTestDb();
      try {
        const serverAt = Math.floor((phoneNow + offset) / 1000) * 1000;
        await noteServerDate(fresh, new Date(serverAt).toUTCString(), phoneNow);
        const kept = (await getMeta(fresh, 'serverClockOffset'))!;
        // The header counts whole seconds.
        expect(Math.abs(kept - offset)).toBeLessThanOrEqual(1000);
        expect(await serverToday(fresh, phoneNow)).toBe(todayInWib(phoneNow + kept));
      } finally {
        fresh.close();
      }
    }),
    { numRuns: 50 },
  );
});
