// A phone for the attachment tests: a fresh database and a sync engine with its upload phase,
// talking to a fake server and sending files through an in-memory uploader. Wired as the device
// wires it (src/sync/device-engine.ts): a resident's 401 renews the identity, and an upload
// refused as device_unknown makes the device known.
import { deviceAuth } from '../../../src/db/device-identity.ts';
import type { JangkauDb } from '../../../src/db/schema.ts';
import { createApiClient } from '../../../src/lib/api-client.ts';
import type { UploadOptions, UploadResult } from '../../../src/lib/tus-client.ts';
import { createSyncEngine, type SyncEngine } from '../../../src/sync/engine.ts';
import { createUploadPhase, type UploadPhaseOptions } from '../../../src/sync/upload-phase.ts';
import { relinkReceipts } from '../../../src/sync/relink.ts';
import { onUnauthorizedFor } from '../../../src/sync/unauthorized.ts';
import { openTestDb } from '../db/test-db.ts';
import type { FakeServer } from '../sync/fake-server.ts';

/** A phone at `now` whose engine syncs with `server` and sends files through `upload`; close() ends both. */
export function phoneWithUploads(
  server: FakeServer,
  upload: (o: UploadOptions) => Promise<UploadResult>,
  now: number,
  /** The phone's database (a fresh one without the at-rest middleware when not given), and the
   * phase's clock for spacing files in flight (its `wait`), when a test drives it. */
  { db = openTestDb(), wait }: { db?: JangkauDb; wait?: UploadPhaseOptions['wait'] } = {},
): { db: JangkauDb; engine: SyncEngine; close(): void } {
  const getAuth = deviceAuth(db);
  const api = createApiClient({ baseUrl: 'http://kpu.test', getAuth, fetch: server.fetch });
  const engine = createSyncEngine({
    locks: undefined,
    channel: null,
    random: () => 0.5,
    now: () => now,
    db,
    api,
    onUnauthorized: onUnauthorizedFor(db, async () => false),
    uploads: createUploadPhase({
      db,
      baseUrl: 'http://kpu.test/api/v1/uploads',
      getAuth,
      upload,
      now: () => now,
      register: async () => (await relinkReceipts(db, api)) === undefined,
      ...(wait ? { wait } : {}),
    }),
  });
  return {
    db,
    engine,
    close() {
      engine.close();
      db.close();
    },
  };
}
