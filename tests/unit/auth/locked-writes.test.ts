// Issue #11 defect 9: what a locked officer's phone writes (the worker applying a pulled status and
// answer, a locked page updating a row) is sealed to the device's public key, never stored in the
// clear; only the unlocked app opens it. The same holds for a file's bytes and the device token.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ulid } from '../../../core/ids.ts';
import { codecForKey } from '../../../src/auth/at-rest-codec.ts';
import { createPinLock, unlockWithPin } from '../../../src/auth/device-key.ts';
import { getSession, saveSession } from '../../../src/auth/session.ts';
import { atRestMiddleware, requireAtRestCodec, setAtRestCodec, setLockedCodec } from '../../../src/db/crypto-at-rest.ts';
import { installLockedCodec } from '../../../src/db/open-db.ts';
import { submitDraft } from '../../../src/db/outbox.ts';
import { applyChanges, getReceipt } from '../../../src/db/receipts.ts';
import { JangkauDb } from '../../../src/db/schema.ts';
import { FAST_KDF } from '../../support/test-kdf.ts';
import { PPID, validPpid } from '../db/test-db.ts';
import { rawRecordsText } from '../../support/raw-records.ts';

afterEach(() => {
  setAtRestCodec(undefined);
  setLockedCodec(undefined);
  requireAtRestCodec(false);
});

describe('a locked officer phone', () => {
  it('seals a pulled answer and a new token to the device key; the unlocked app reads them', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[A-Z][a-z]{4,10} [a-z]{4,10} [a-z]{4,10}$/), async (answer) => {
        const name = `locked-writes-${ulid()}`;
        const app = new JangkauDb(name).use(atRestMiddleware) as JangkauDb;
        try {
          setAtRestCodec(codecForKey(await createPinLock(app, '274915', FAST_KDF)));
          requireAtRestCodec(true);
          const id = ulid();
          expect((await submitDraft(app, PPID, id, validPpid())).ok).toBe(true);

          // Locked: the page (or the worker, on opening the database) holds only the public key.
          setAtRestCodec(undefined);
          await installLockedCodec(app);
          await applyChanges(app, [{ seq: 1, submissionId: id, status: 'selesai', answer, at: new Date().toISOString() }], '1');
          const token = `jkt_${ulid()}`;
          await saveSession(app, { token, deviceId: ulid(), account: { id: ulid(), username: 'p', role: 'pantarlih', scope: '19.01', displayName: 'P' }, loggedInAt: 1 });

          const stored = await rawRecordsText(name);
          expect(stored).not.toContain(answer);
          expect(stored).not.toContain(token);
          // Locked reads give nothing either.
          expect((await getReceipt(app, id))?.answer).not.toBe(answer);
          expect((await getSession(app))?.token).toBeUndefined();

          const unlocked = await unlockWithPin(app, '274915', () => 0);
          if (!unlocked.ok) throw new Error('the PIN did not unlock');
          setAtRestCodec(codecForKey(unlocked.deviceKey));
          expect((await getReceipt(app, id))?.answer).toBe(answer);
          expect((await getReceipt(app, id))?.status).toBe('selesai');
          expect((await getSession(app))?.token).toBe(token);
        } finally {
          app.close();
        }
      }),
      { numRuns: 5 },
    );
  }, 60_000);
});
