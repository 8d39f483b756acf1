// The phone's real sync engine and upload phase (storage on fake-indexeddb, which the test imports)
// against the real server app, through a fetch that is an adapter over app.inject.
import type { FastifyInstance } from 'fastify';
import { deviceAuth } from '../../src/db/device-identity.ts';
import type { JangkauDb } from '../../src/db/schema.ts';
import { createApiClient } from '../../src/lib/api-client.ts';
import { createSyncEngine, type SyncEngine } from '../../src/sync/engine.ts';
import { relinkReceipts } from '../../src/sync/relink.ts';
import { onUnauthorizedFor } from '../../src/sync/unauthorized.ts';
import { createUploadPhase } from '../../src/sync/upload-phase.ts';
import { injectFetch } from './helpers.ts';

const ORIGIN = 'http://jangkau.test';

export function phoneEngine(app: FastifyInstance, phone: JangkauDb): SyncEngine {
  const fetchImpl = injectFetch(app);
  const getAuth = deviceAuth(phone);
  const api = createApiClient({ baseUrl: ORIGIN, getAuth, fetch: fetchImpl, compress: false });
  return createSyncEngine({
    db: phone,
    api,
    locks: undefined,
    channel: null,
    onUnauthorized: onUnauthorizedFor(phone, async () => false),
    uploads: createUploadPhase({
      db: phone,
      baseUrl: `${ORIGIN}/api/v1/uploads`,
      getAuth,
      fetch: fetchImpl,
      register: async () => (await relinkReceipts(phone, api)) === undefined,
    }),
  });
}
