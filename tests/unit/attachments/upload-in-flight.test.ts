// Issue 15: the upload phase keeps the uplink busy. On a link that keeps cut bodies, the next file
// starts while the one before is still under way (its answer is a round trip the link would
// otherwise idle), spaced by a stagger and never more than two at once; on a link seen losing cut
// bodies, one at a time. Whatever the order the uploads end in, and wherever the link is cut, every
// file is started once, in order, none after a cut, and each ends where its upload left it.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { PUBLISHED_FORMS } from '../../../core/forms/catalog/index.ts';
import { ulid } from '../../../core/ids.ts';
import { storeAttachment } from '../../../src/db/attachments.ts';
import { submitDraft } from '../../../src/db/outbox.ts';
import type { JangkauDb } from '../../../src/db/schema.ts';
import type { UploadOptions, UploadResult } from '../../../src/lib/tus-client.ts';
import { FILES_IN_FLIGHT } from '../../../src/sync/upload-phase.ts';
import { FakeServer } from '../sync/fake-server.ts';
import { fakeJpeg, LAMPIRAN_FORM } from './fixtures.ts';
import { phoneWithUploads } from './phone.ts';

const T0 = Date.parse('2026-12-07T02:00:00.000Z');
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanups.splice(0)) fn();
});

/** The phase's stagger timers and the uploads in flight, held until the test lets each go. */
class Driver {
  readonly waits: { ms: number; fire: () => void; fired: boolean }[] = [];
  readonly pending: { sha256: string; size: number; answer: (r: UploadResult) => void }[] = [];
  readonly starts: { sha256: string; inFlightBefore: number; waitsBefore: number; firedBefore: boolean[] }[] = [];
  readonly wait = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const entry = { ms, fired: false, fire: () => ((entry.fired = true), resolve()) };
      this.waits.push(entry);
    });
  readonly upload = (o: UploadOptions): Promise<UploadResult> =>
    new Promise<UploadResult>((answer) => {
      this.starts.push({ sha256: o.sha256, inFlightBefore: this.pending.length, waitsBefore: this.waits.length, firedBefore: this.waits.map((w) => w.fired) });
      this.pending.push({ sha256: o.sha256, size: o.blob.size, answer });
    });
}

/** Lets Dexie's transactions and the engine's awaits run until nothing more moves. */
async function flush(driver: Driver, done: () => boolean = () => false): Promise<void> {
  const seen = () => `${driver.starts.length}/${driver.waits.length}/${driver.pending.length}/${done()}`;
  let last = seen();
  for (let quiet = 0, i = 0; quiet < 25 && i < 2000; i++) {
    await new Promise((r) => setTimeout(r, 0));
    const now = seen();
    quiet = now === last ? quiet + 1 : 0;
    last = now;
  }
}

async function filesOnPhone(db: JangkauDb, n: number): Promise<string[]> {
  const shas: string[] = [];
  for (let i = 0; i < n; i++) {
    const at = T0 + i;
    const photo = await fakeJpeg(100 + i);
    expect((await storeAttachment(db, { sha256: photo.sha256, type: 'image/jpeg', blob: photo.blob }, at)).ok).toBe(true);
    const result = await submitDraft(db, LAMPIRAN_FORM, ulid(at), { judul: `Foto ${i}`, foto: { sha256: photo.sha256, type: 'image/jpeg', size: photo.blob.size } }, at);
    if (!result.ok) throw new Error(JSON.stringify(result));
    shas.push(photo.sha256);
  }
  return shas;
}

function phone() {
  const driver = new Driver();
  const server = new FakeServer([...PUBLISHED_FORMS, LAMPIRAN_FORM]);
  const { db, engine, close } = phoneWithUploads(server, driver.upload, T0, { wait: driver.wait });
  cleanups.push(close);
  return { driver, db, engine, server };
}

type Step = { act: 'stagger' | 'done' | 'cut'; pick: number };

describe('files in flight (issue 15)', () => {
  it("on a link that keeps cut bodies, the second photo's bytes go while the first waits for its answer", async () => {
    const { driver, db, engine } = phone();
    const shas = await filesOnPhone(db, 2);
    const sync = engine.sync('manual');
    await flush(driver);
    expect(driver.starts.map((s) => s.sha256)).toEqual([shas[0]]);
    // Not before the stagger: both would wait for their answers at the same moment.
    expect(driver.waits).toHaveLength(1);
    expect(driver.waits[0]!.ms).toBeGreaterThan(0);
    driver.waits[0]!.fire();
    await flush(driver);
    expect(driver.starts.map((s) => s.sha256)).toEqual(shas);
    for (const p of driver.pending.splice(0)) p.answer({ kind: 'done', uploadUrl: `http://kpu.test/api/v1/uploads/${p.sha256}`, bytesSent: p.size });
    expect((await sync).uploaded.files).toBe(2);
  });

  it('the files start once the push was answered, while the pull is still under way; the sync ends after both', async () => {
    const { driver, db, engine, server } = phone();
    const [sha] = await filesOnPhone(db, 1);
    let releasePull!: () => void;
    const pullHeld = new Promise<void>((resolve) => (releasePull = resolve));
    server.gate = (route) => (route === 'changes' ? pullHeld : Promise.resolve());
    let report: Awaited<ReturnType<typeof engine.sync>> | undefined;
    const sync = engine.sync('manual').then((r) => (report = r));
    await flush(driver);
    expect(await db.outbox.count()).toBe(0);
    expect(driver.starts.map((s) => s.sha256)).toEqual([sha]);
    const call = driver.pending.shift()!;
    call.answer({ kind: 'done', uploadUrl: `http://kpu.test/api/v1/uploads/${call.sha256}`, bytesSent: call.size });
    await flush(driver, () => report !== undefined);
    // The file is held; the sync still waits for its pull.
    expect((await db.attachments.get(sha!))?.state).toBe('done');
    expect(report).toBeUndefined();
    releasePull();
    await sync;
    expect(report).toMatchObject({ outcome: 'ok', uploaded: { files: 1, rejected: 0 } });
  });

  it('a pull that fails after the push was answered leaves the files started to end, and the sync reports the failure', async () => {
    const { driver, db, engine, server } = phone();
    const [sha] = await filesOnPhone(db, 1);
    let releasePull!: () => void;
    const pullHeld = new Promise<void>((resolve) => (releasePull = resolve));
    server.gate = (route) => (route === 'changes' ? pullHeld : Promise.resolve());
    server.fail({ kind: 'offline' }, 'changes');
    const sync = engine.sync('manual');
    await flush(driver);
    expect(driver.starts.map((s) => s.sha256)).toEqual([sha]);
    releasePull();
    await flush(driver);
    const call = driver.pending.shift()!;
    call.answer({ kind: 'done', uploadUrl: `http://kpu.test/api/v1/uploads/${call.sha256}`, bytesSent: call.size });
    const report = await sync;
    expect(report.outcome).toBe('offline');
    expect(report.uploaded.files).toBe(1);
    expect((await db.attachments.get(sha!))?.state).toBe('done');
  });

  /** A first sync pushes the data and its files are cut (the window ended): the outbox is empty, the files partly sent. */
  async function cutFiles(n: number, cut = n) {
    const p = phone();
    const shas = await filesOnPhone(p.db, n);
    const first = p.engine.sync('manual');
    for (let i = 0; i < 20 && p.driver.starts.length < cut; i++) {
      await flush(p.driver);
      p.driver.waits.find((w) => !w.fired)?.fire();
    }
    expect(p.driver.starts).toHaveLength(cut);
    for (const call of p.driver.pending.splice(0)) call.answer({ kind: 'offline', uploadUrl: `http://kpu.test/api/v1/uploads/${call.sha256}`, bytesSent: 1000 });
    expect((await first).outcome).toBe('offline');
    expect(await p.db.outbox.count()).toBe(0);
    for (const sha of shas.slice(0, cut)) expect((await p.db.attachments.get(sha))?.state).toBe('uploading');
    p.driver.starts.splice(0);
    return { ...p, shas };
  }

  it('with nothing left to push, the files cut by the last window start alongside the pull, not after it', async () => {
    const { driver, engine, server, shas } = await cutFiles(1);
    let releasePull!: () => void;
    const pullHeld = new Promise<void>((resolve) => (releasePull = resolve));
    server.gate = (route) => (route === 'changes' ? pullHeld : Promise.resolve());
    const sync = engine.sync('manual');
    await flush(driver);
    // Before: the file waited for the pull's round trips (1.7 s of a 20 s window on pulau-flaky).
    expect(driver.starts.map((s) => s.sha256)).toEqual(shas);
    for (const call of driver.pending.splice(0)) call.answer({ kind: 'done', uploadUrl: `http://kpu.test/api/v1/uploads/${call.sha256}`, bytesSent: call.size });
    releasePull();
    expect(await sync).toMatchObject({ outcome: 'ok', uploaded: { files: 1, rejected: 0 } });
  });

  it('files resumed after a cut ask their offsets together: a resume (no bytes in its first request) holds no file back', async () => {
    const { driver, engine, shas } = await cutFiles(2);
    const waitsBefore = driver.waits.length;
    const sync = engine.sync('manual');
    await flush(driver);
    // Before: the second waited a stagger of two round trips after the first's question.
    expect(driver.starts.map((s) => s.sha256)).toEqual(shas);
    expect(driver.waits.slice(waitsBefore).filter((w) => !w.fired)).toHaveLength(0);
    for (const call of driver.pending.splice(0)) call.answer({ kind: 'done', uploadUrl: `http://kpu.test/api/v1/uploads/${call.sha256}`, bytesSent: call.size });
    expect((await sync).uploaded.files).toBe(2);
  });

  it("while two resumed files only ask their offsets, a new file's bytes go: the link carries bytes one round trip sooner", async () => {
    const { driver, engine, shas } = await cutFiles(3, 2);
    const sync = engine.sync('manual');
    await flush(driver);
    // Before: the new file waited for a slot until one of the resumed ones ended.
    expect(driver.starts.map((s) => s.sha256)).toEqual(shas);
    expect(driver.starts[2]!.inFlightBefore).toBe(FILES_IN_FLIGHT);
    for (const call of driver.pending.splice(0)) call.answer({ kind: 'done', uploadUrl: `http://kpu.test/api/v1/uploads/${call.sha256}`, bytesSent: call.size });
    expect((await sync).uploaded.files).toBe(3);
  });

  it('whatever order the uploads end in and wherever the link is cut: in order, at most two at once (one on a lossy link), none after a cut', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        fc.array(fc.record({ act: fc.constantFrom<Step['act']>('stagger', 'done', 'cut'), pick: fc.nat(5) }), { maxLength: 12 }),
        async (n, lossy, steps) => {
          const { driver, db, engine } = phone();
          const shas = await filesOnPhone(db, n);
          if (lossy) await db.attachments.update(shas[0]!, { lossy: true });
          let report: Awaited<ReturnType<typeof engine.sync>> | undefined;
          const sync = engine.sync('manual').then((r) => (report = r));
          const answered = new Map<string, 'done' | 'cut'>();
          let cutAtStart: number | undefined;
          for (let i = 0; report === undefined && i < 100; i++) {
            await flush(driver, () => report !== undefined);
            if (report !== undefined) break;
            const step = steps[i] ?? { act: driver.pending.length > 0 ? 'done' : 'stagger', pick: 0 };
            const unfired = driver.waits.find((w) => !w.fired);
            if ((step.act === 'stagger' || driver.pending.length === 0) && unfired) {
              unfired.fire();
              continue;
            }
            const call = driver.pending.splice(step.pick % driver.pending.length, 1)[0];
            if (!call) continue;
            if (step.act === 'cut' && cutAtStart === undefined) {
              cutAtStart = driver.starts.length;
              answered.set(call.sha256, 'cut');
              call.answer({ kind: 'offline', uploadUrl: `http://kpu.test/api/v1/uploads/${call.sha256}`, bytesSent: 1000 });
            } else {
              answered.set(call.sha256, 'done');
              call.answer({ kind: 'done', uploadUrl: `http://kpu.test/api/v1/uploads/${call.sha256}`, bytesSent: call.size });
            }
          }
          await sync;
          const started = driver.starts.map((s) => s.sha256);
          // In the order they were filed, each once.
          expect(started).toEqual(shas.slice(0, started.length));
          for (const [k, s] of driver.starts.entries()) {
            expect(s.inFlightBefore).toBeLessThan(lossy ? 1 : FILES_IN_FLIGHT);
            // A file joins one in flight only once the stagger since the one before has passed.
            if (s.inFlightBefore > 0) expect(s.firedBefore[k - 1]).toBe(true);
          }
          if (cutAtStart !== undefined) {
            expect(report?.outcome).toBe('offline');
            expect(driver.starts.length).toBe(cutAtStart);
          } else {
            expect(report?.outcome).toBe('ok');
            expect(started).toEqual(shas);
          }
          for (const sha of shas) {
            const row = await db.attachments.get(sha);
            expect(row?.state).toBe(answered.get(sha) === 'done' ? 'done' : answered.get(sha) === 'cut' ? 'uploading' : 'waiting');
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});
