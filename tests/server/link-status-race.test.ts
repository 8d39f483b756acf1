// #11 defect 7: a device newly linked to a stored submission is given its current status in the
// change log. On PostgreSQL that status must be read under the change log's lock, or an office's
// answer committed between the read and the append is followed by the stale status at a higher
// seq, and every linked phone moves backwards. SQLite has one writer at a time, so the race needs
// PostgreSQL; the test pins the interleaving with a row lock rather than with timing.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newDevice, openTestApp, push, pushOk, envelope, type TestApp } from './helpers.ts';

const pgUrl = inject('postgresUrl');

describe.skipIf(!pgUrl)('a new link restates the status read under the change-log lock [postgres]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp('postgres', pgUrl);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Resolves once some backend waits on a lock while inserting a link (the ingest under test). */
  async function linkInsertIsWaiting(): Promise<void> {
    for (;;) {
      const { rows } = await sql<{ n: string }>`
        select count(*) as n from pg_stat_activity
        where wait_event_type = 'Lock' and query ilike '%insert into "submission_devices"%'`.execute(t.db);
      if (Number(rows[0]?.n) > 0) return;
      await new Promise((r) => setImmediate(r));
    }
  }

  it("an office's answer committed while a resend is linking is never followed by the older status", async () => {
    const filer = newDevice();
    const item = envelope();
    expect((await pushOk(t.app, filer, [item])).results[0]?.outcome).toBe('accepted');
    expect((await t.app.repos.updateStatus(item.id, 'diproses')).ok).toBe(true);
    // A second phone holding the submission's secret (a restored backup); it is known already.
    const second = newDevice();
    expect((await pushOk(t.app, second, [envelope()])).results[0]?.outcome).toBe('accepted');

    // Another transaction holds the very link row, so the resend stops right after reading the
    // status (diproses) and before it may append.
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let held!: () => void;
    const holding = new Promise<void>((r) => (held = r));
    const blocker = t.db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('submission_devices').values({ device_id: second.deviceId, submission_id: item.id }).execute();
        held();
        await released;
        throw new Error('rolled back on purpose');
      })
      .catch(() => undefined);
    await holding;

    const resend = push(t.app, second, { items: [item] });
    await linkInsertIsWaiting();
    // Meanwhile the office finishes the request, and that commits.
    expect((await t.app.repos.updateStatus(item.id, 'selesai', 'Sudah selesai')).ok).toBe(true);
    release();
    await blocker;
    const answer = await resend;
    expect(answer.json<{ results: { outcome: string }[] }>().results[0]?.outcome).toBe('duplicate');

    const log = await t.db.selectFrom('changes').select(['seq', 'status']).where('submission_id', '=', item.id).orderBy('seq').execute();
    // The newest entry is what every linked phone ends on: it must be the answer, not the stale read.
    expect(log.at(-1)?.status).toBe('selesai');
  });
});
