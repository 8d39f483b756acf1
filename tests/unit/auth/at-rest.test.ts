// Encryption at rest on an officer's device: with the PIN-unlocked device key installed, a draft,
// a queued submission and its receipt holding a known NIK are stored so that a scan of every
// store's raw records finds neither the NIK nor the name; read back through the app, they open.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FAST_KDF } from '../../support/test-kdf.ts';
import { ulid } from '../../../core/ids.ts';
import { codecForKey } from '../../../src/auth/at-rest-codec.ts';
import { maySendRow } from '../../../src/auth/send-gate.ts';
import { createPinLock, unlockWithPin, WIPE_AFTER_FAILURES } from '../../../src/auth/device-key.ts';
import { PIN_LOCK_KEY } from '../../../src/auth/session.ts';
import { atRestMiddleware, DeviceLockedError, requireAtRestCodec, setAtRestCodec } from '../../../src/db/crypto-at-rest.ts';
import { getDraft, saveDraft } from '../../../src/db/drafts.ts';
import { listQueued, submitDraft } from '../../../src/db/outbox.ts';
import { listReceipts } from '../../../src/db/receipts.ts';
import { JangkauDb } from '../../../src/db/schema.ts';
import { PPID, validPpid } from '../db/test-db.ts';
import { rawRecordsText } from '../../support/raw-records.ts';

const NIK = '1901024501900001';
const NAME = 'Siti Aminah';

function openPair(): { app: JangkauDb; raw: JangkauDb } {
  const name = `at-rest-${ulid()}`;
  return { app: new JangkauDb(name).use(atRestMiddleware) as JangkauDb, raw: new JangkauDb(name) };
}

afterEach(() => {
  setAtRestCodec(undefined);
  requireAtRestCodec(false);
});

describe('officer data at rest', () => {
  it('stores drafts, queued submissions and receipts sealed; opens them with the key', async () => {
    const { app, raw } = openPair();
    const key = await createPinLock(app, '274915', FAST_KDF);
    setAtRestCodec(codecForKey(key));
    requireAtRestCodec(true);

    const draft = await saveDraft(app, { formId: PPID.formId, formVersion: PPID.version, data: validPpid() });
    expect(draft.ok).toBe(true);
    const filed = await submitDraft(app, PPID, ulid(), validPpid({ rincianInformasi: 'DPT Desa Kelabat' }));
    expect(filed.ok).toBe(true);

    const stored = await rawRecordsText(raw);
    expect(stored.length).toBeGreaterThan(0);
    expect(stored).not.toContain(NIK);
    expect(stored).not.toContain(NAME);
    expect(stored).not.toContain('DPT Desa Kelabat');
    expect(stored).toContain('~sealed');

    // Through the app, with the key: the same rows, readable.
    if (!draft.ok) return;
    expect((await getDraft(app, draft.draft.id))?.data.nik).toBe(NIK);
    const [queued] = await listQueued(app);
    expect(queued?.envelope.data.nik).toBe(NIK);
    expect(maySendRow(queued!, false)).toBe(true);
    // The receipt's title (PPID: what is asked for) is sealed too.
    expect((await listReceipts(app))[0]?.title).toBe('DPT Desa Kelabat');
  });

  it('after a restart the PIN unwraps the same key; without it rows stay sealed and are not sent', async () => {
    const { app } = openPair();
    setAtRestCodec(codecForKey(await createPinLock(app, '274915', FAST_KDF)));
    requireAtRestCodec(true);
    await submitDraft(app, PPID, ulid(), validPpid());

    // "Restart": the key is gone from memory.
    setAtRestCodec(undefined);
    const [locked] = await listQueued(app);
    expect(JSON.stringify(locked)).not.toContain(NIK);
    expect(maySendRow(locked!, false)).toBe(false);
    await expect(saveDraft(app, { formId: PPID.formId, formVersion: PPID.version, data: validPpid() })).rejects.toBeInstanceOf(DeviceLockedError);

    const unlocked = await unlockWithPin(app, '274915');
    expect(unlocked.ok).toBe(true);
    if (!unlocked.ok) return;
    setAtRestCodec(codecForKey(unlocked.deviceKey));
    const [opened] = await listQueued(app);
    expect(opened?.envelope.data.nik).toBe(NIK);
  });

  it('a resident device (no key, no PIN) stores rows as before', async () => {
    const { app, raw } = openPair();
    await submitDraft(app, PPID, ulid(), validPpid());
    expect(await rawRecordsText(raw)).toContain(NIK);
  });
});

describe('PIN tries', () => {
  it('counts wrong PINs in storage, waits on the page clock (not the phone clock), and wipes after ten', async () => {
    const { app, raw } = openPair();
    await createPinLock(app, '274915', FAST_KDF);
    let clock = 1_000;
    const now = () => clock;
    for (const expected of [1, 2]) {
      expect(await unlockWithPin(app, '111112', now)).toMatchObject({ ok: false, reason: 'wrong_pin', failures: expected, waitMs: 0 });
    }
    expect(await unlockWithPin(app, '111112', now)).toMatchObject({ failures: 3, waitMs: 30_000, triesLeft: 7 });
    // Setting the phone's clock a year forward skips no wait: the right PIN still waits.
    const ahead = vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 365 * 86_400_000);
    try {
      expect(await unlockWithPin(app, '274915', now)).toMatchObject({ ok: false, reason: 'wait', waitMs: 30_000 });
    } finally {
      ahead.mockRestore();
    }
    clock += 30_000;
    expect(await unlockWithPin(app, '000001', now)).toMatchObject({ failures: 4, waitMs: 60_000 });
    clock += 60_000;
    expect((await unlockWithPin(app, '274915', now)).ok).toBe(true);
    // A success clears the count.
    expect(await unlockWithPin(app, '111112', now)).toMatchObject({ failures: 1 });

    // Ten wrong in a row: the officer's data goes, key first.
    setAtRestCodec(codecForKey(await createPinLock(app, '274915', FAST_KDF)));
    requireAtRestCodec(true);
    await submitDraft(app, PPID, ulid(), validPpid());
    setAtRestCodec(undefined);
    let last;
    for (let i = 0; i < WIPE_AFTER_FAILURES; i++) {
      clock += 10 * 3_600_000;
      last = await unlockWithPin(app, '111112', now);
    }
    expect(last).toEqual({ ok: false, reason: 'wiped' });
    expect(await raw.outbox.count()).toBe(0);
    expect(await raw.receipts.count()).toBe(0);
    expect(await raw.meta.get(PIN_LOCK_KEY)).toBeUndefined();
    expect(await unlockWithPin(app, '274915', now)).toEqual({ ok: false, reason: 'no_pin' });
  });
});
