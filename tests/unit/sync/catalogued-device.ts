// A device for the form- and SOP-version tests: a fresh database holding the bundled catalogue,
// synced through the real API client against a FakeServer. The clock stands still, so only the
// forms tag can make a sync fetch the forms again. Each test file closes them after every test
// with `afterEach(closeDevices)`.
import { PUBLISHED_FORMS } from '../../../core/forms/catalog/index.ts';
import { deviceAuth } from '../../../src/db/device-identity.ts';
import { seedForms } from '../../../src/db/forms-cache.ts';
import { createApiClient } from '../../../src/lib/api-client.ts';
import { createSyncEngine } from '../../../src/sync/engine.ts';
import { openTestDb } from '../db/test-db.ts';
import type { FakeServer } from './fake-server.ts';

const closers: (() => void)[] = [];

export function closeDevices(): void {
  closers.splice(0).forEach((c) => c());
}

export async function cataloguedDevice(server: FakeServer) {
  const db = openTestDb();
  await seedForms(db, PUBLISHED_FORMS);
  const api = createApiClient({ baseUrl: 'http://kpu.test', getAuth: deviceAuth(db), fetch: server.fetch });
  const engine = createSyncEngine({ db, api, locks: undefined, channel: null, now: () => 1_000 });
  closers.push(() => {
    engine.close();
    db.close();
  });
  return { db, engine };
}
