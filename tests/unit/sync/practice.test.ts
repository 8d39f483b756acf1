// Practice mode on the device: entries filed in the practice database travel flagged, real ones do
// not; a sync sends both queues whatever the mode, and the counts are those of the mode shown.
import { afterEach, describe, expect, it } from 'vitest';
import { ulid } from '../../../core/ids.ts';
import { loadOfficerState, useOfficer } from '../../../src/auth/officer-store.ts';
import { deviceAuth } from '../../../src/db/device-identity.ts';
import { db as homeDb, getPracticeDb, workDb } from '../../../src/db/open-db.ts';
import { setMeta } from '../../../src/db/meta.ts';
import { requeueFixed, submitDraft } from '../../../src/db/outbox.ts';
import { isPracticeDb, PRACTICE_DB_SUFFIX } from '../../../src/db/practice.ts';
import { JangkauDb } from '../../../src/db/schema.ts';
import { createApiClient } from '../../../src/lib/api-client.ts';
import { createSyncEngine } from '../../../src/sync/engine.ts';
import { practiceQueues } from '../../../src/sync/practice-queues.ts';
import { uploadEachQueue, type UploadPhase } from '../../../src/sync/upload-phase.ts';
import { fileRequests, openTestDb, PPID, validPpid } from '../db/test-db.ts';
import { FakeServer } from './fake-server.ts';

const opened: JangkauDb[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

function phone() {
  const home = openTestDb();
  const practice = new JangkauDb(home.name + PRACTICE_DB_SUFFIX);
  opened.push(home, practice);
  const server = new FakeServer();
  const queues = practiceQueues(home, () => practice);
  const api = createApiClient({ baseUrl: 'http://kpu.test', getAuth: deviceAuth(home), fetch: server.fetch });
  const engine = createSyncEngine({ db: home, queues, api, locks: undefined, channel: null, random: () => 0.5 });
  return { home, practice, server, queues, engine };
}

describe('practice database', () => {
  it('is told apart by its name', () => {
    expect(isPracticeDb({ name: 'jangkau-latihan' })).toBe(true);
    expect(isPracticeDb({ name: 'jangkau' })).toBe(false);
  });

  it('flags what is queued in it, and only that', async () => {
    const { home, practice } = phone();
    const [real] = await fileRequests(home, 1);
    const [drill] = await fileRequests(practice, 1);
    expect((await home.outbox.get(real!.id))?.envelope.practice).toBeUndefined();
    expect((await practice.outbox.get(drill!.id))?.envelope.practice).toBe(true);
    // Neither database holds the other's entry.
    expect(await home.receipts.get(drill!.id)).toBeUndefined();
    expect(await practice.receipts.get(real!.id)).toBeUndefined();
  });

  it('keeps the flag true to the database when a refused entry is sent again', async () => {
    const { home, practice } = phone();
    for (const db of [home, practice]) {
      const id = ulid();
      const filed = await submitDraft(db, PPID, id, validPpid());
      expect(filed.ok).toBe(true);
      await db.outbox.update(id, { state: 'needs_fix' });
      const row = (await db.outbox.get(id))!;
      // A corrected envelope built without the flag, or (wrongly) with it.
      const { practice: _flag, ...plain } = row.envelope;
      const fixed = isPracticeDb(db) ? plain : { ...plain, practice: true as const };
      expect(await requeueFixed(db, id, fixed)).toEqual({ ok: true });
      expect((await db.outbox.get(id))?.envelope.practice).toBe(isPracticeDb(db) ? true : undefined);
    }
  });
});

describe('the mode at start', () => {
  it('is read with the officer state, and picks the database the screens use', async () => {
    expect(getPracticeDb().name).toBe('jangkau-latihan');
    await loadOfficerState();
    expect(workDb()).toBe(homeDb);
    await setMeta(homeDb, 'practiceMode', true);
    await loadOfficerState();
    expect(useOfficer.getState().practice).toBe(true);
    expect(workDb()).toBe(getPracticeDb());
    await setMeta(homeDb, 'practiceMode', false);
    await loadOfficerState();
    expect(useOfficer.getState().practice).toBe(false);
    expect(workDb()).toBe(homeDb);
  });
});

describe('sync with a practice queue', () => {
  it('a device that never practised sends and counts its one queue', async () => {
    const { home, queues } = phone();
    const q = await queues();
    expect(q.all).toEqual([home]);
    expect(q.shown).toBe(home);
  });

  it('sends both queues, each entry with its own flag, and counts the queue of the mode shown', async () => {
    const { home, practice, server, engine } = phone();
    const real = await fileRequests(home, 2);
    const drills = await fileRequests(practice, 3);

    await setMeta(home, 'practiceMode', true);
    expect((await engine.refresh()).queued).toBe(3);
    await setMeta(home, 'practiceMode', false);
    expect((await engine.refresh()).queued).toBe(2);

    // Switched back with practice still queued: it is sent all the same, still as practice.
    const report = await engine.sync('manual');
    expect(report.outcome).toBe('ok');
    expect(report.pushed.accepted).toBe(5);
    for (const r of real) expect(server.submissions.get(r.id)?.envelope.practice).toBeUndefined();
    for (const d of drills) expect(server.submissions.get(d.id)?.envelope.practice).toBe(true);
    // Each acknowledgement lands in its own database.
    expect((await home.receipts.toArray()).map((r) => r.state)).toEqual(['sent', 'sent']);
    expect((await practice.receipts.toArray()).map((r) => r.state)).toEqual(['sent', 'sent', 'sent']);
    expect(await practice.outbox.count()).toBe(0);
    expect(engine.getState().queued).toBe(0);
  });

  it('runs the upload phase of each queue, and stops at a cut link', async () => {
    const { home, practice } = phone();
    await setMeta(home, 'practiceMode', false);
    const ran: string[] = [];
    const phaseFor = (db: JangkauDb): UploadPhase => ({
      async run() {
        ran.push(db.name);
        return isPracticeDb(db)
          ? { kind: 'offline', uploaded: 1, rejected: 0, bytesSent: 10, error: 'cut' }
          : { kind: 'ok', uploaded: 2, rejected: 1, bytesSent: 30 };
      },
    });
    const result = await uploadEachQueue((await practiceQueues(home, () => practice)()).all, phaseFor, () => undefined);
    expect(ran).toEqual([home.name, practice.name]);
    expect(result).toEqual({ kind: 'offline', uploaded: 3, rejected: 1, bytesSent: 40, error: 'cut' });
  });
});
