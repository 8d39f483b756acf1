// The sync engine and an officer's sealed queue: while the device is locked (the service worker,
// or the page before the PIN) sealed rows stay queued and nothing is pushed; unlocked, they go,
// opened, and the server gets the data as filed.
import { afterEach, describe, expect, it } from 'vitest';
import { FAST_KDF } from '../../support/test-kdf.ts';
import { ulid } from '../../../core/ids.ts';
import { codecForKey } from '../../../src/auth/at-rest-codec.ts';
import { createPinLock } from '../../../src/auth/device-key.ts';
import { atRestMiddleware, requireAtRestCodec, setAtRestCodec } from '../../../src/db/crypto-at-rest.ts';
import { deviceAuth } from '../../../src/db/device-identity.ts';
import { countOutbox, submitDraft } from '../../../src/db/outbox.ts';
import { JangkauDb } from '../../../src/db/schema.ts';
import { createApiClient } from '../../../src/lib/api-client.ts';
import { createSyncEngine } from '../../../src/sync/engine.ts';
import { pushIdentities } from '../../../src/sync/send-identities.ts';
import { PPID, validPpid } from '../db/test-db.ts';
import { FakeServer } from '../sync/fake-server.ts';

afterEach(() => {
  setAtRestCodec(undefined);
  requireAtRestCodec(false);
});

describe('sealed queue', () => {
  it('waits while locked and goes once unlocked', async () => {
    const db = new JangkauDb(`sealed-queue-${ulid()}`).use(atRestMiddleware) as JangkauDb;
    const server = new FakeServer();
    const api = createApiClient({ baseUrl: 'http://kpu.test', getAuth: deviceAuth(db), fetch: server.fetch });
    const engine = createSyncEngine({ db, api, locks: undefined, channel: null, pushAs: () => pushIdentities(db) });
    try {
      const codec = codecForKey(await createPinLock(db, '274915', FAST_KDF));
      setAtRestCodec(codec);
      requireAtRestCodec(true);
      const ids = [ulid(), ulid()];
      for (const id of ids) expect((await submitDraft(db, PPID, id, validPpid())).ok).toBe(true);

      setAtRestCodec(undefined);
      const locked = await engine.sync('manual');
      expect(locked.pushed.items).toBe(0);
      expect(server.pushedIds()).toEqual([]);
      expect((await countOutbox(db)).queued).toBe(2);

      setAtRestCodec(codec);
      const unlocked = await engine.sync('manual');
      expect(unlocked.pushed.accepted).toBe(2);
      expect(server.pushedIds().sort()).toEqual([...ids].sort());
      expect((await countOutbox(db)).queued).toBe(0);
    } finally {
      engine.close();
      db.close();
    }
  });
});
