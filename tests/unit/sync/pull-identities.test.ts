// A shared phone: a resident files a request under the phone's own credential, then an officer logs
// in and sends under the officer's token. The server follows each submission for the identity that
// pushed it, and its cursor runs over everyone's changes, so one cursor for both would skip the
// resident's answer. Each identity pulls with its own cursor: the resident's answer arrives during
// the login and after the logout, and the officer's as well.
import { afterEach, expect, it } from 'vitest';
import { randomSecret, ulid } from '../../../core/ids.ts';
import { deviceAuthorization } from '../../../core/protocol.ts';
import { deviceAuth } from '../../../src/db/device-identity.ts';
import { DEVICE_PULL, getReceipt } from '../../../src/db/receipts.ts';
import { createApiClient } from '../../../src/lib/api-client.ts';
import { createSyncEngine, type PullIdentity } from '../../../src/sync/engine.ts';
import { fileRequests, openTestDb } from '../db/test-db.ts';
import { FakeServer } from './fake-server.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanups.splice(0)) fn();
});

/** The officer's token, as the fake server knows credentials: another device id and secret. */
const OFFICER = deviceAuthorization(ulid(), randomSecret());

function phone() {
  const db = openTestDb();
  const server = new FakeServer();
  const login = { officer: false };
  const own = deviceAuth(db);
  const getAuth = async () => (login.officer ? OFFICER : own());
  const pullAs = async (): Promise<PullIdentity[]> => {
    const mine: PullIdentity = { key: DEVICE_PULL, authorization: await own() };
    return login.officer ? [{ key: 'officer:T', authorization: OFFICER }, { ...mine, secondary: true }] : [mine];
  };
  const api = createApiClient({ baseUrl: 'http://kpu.test', getAuth, fetch: server.fetch });
  const engine = createSyncEngine({ locks: undefined, channel: null, random: () => 0.5, db, api, pullAs });
  cleanups.push(() => {
    engine.close();
    db.close();
  });
  return { db, server, engine, login };
}

it("keeps pulling the resident's answers while an officer is logged in, and after the logout", async () => {
  const { db, server, engine, login } = phone();
  const [residents] = await fileRequests(db, 1);
  expect((await engine.sync('manual')).outcome).toBe('ok');

  login.officer = true;
  const [officers] = await fileRequests(db, 1, Date.parse('2026-12-01T03:00:00Z'));
  expect((await engine.sync('manual')).outcome).toBe('ok');
  expect(server.submissions.get(officers!.id)?.deviceId).not.toBe(server.submissions.get(residents!.id)?.deviceId);

  // The officer's request is answered after the resident's: the token's cursor passes the
  // resident's change, which only the phone's own credential may pull.
  server.setStatus(residents!.id, 'diproses');
  server.setStatus(officers!.id, 'selesai', 'Sudah dijawab.');
  expect((await engine.sync('manual')).outcome).toBe('ok');
  expect((await getReceipt(db, residents!.id))?.status).toBe('diproses');
  expect((await getReceipt(db, officers!.id))?.status).toBe('selesai');

  login.officer = false;
  server.setStatus(residents!.id, 'selesai', 'Salinan terlampir.');
  expect((await engine.sync('manual')).outcome).toBe('ok');
  expect(await getReceipt(db, residents!.id)).toMatchObject({ status: 'selesai', answer: 'Salinan terlampir.' });
});

it("a refused own credential does not fail an officer's sync", async () => {
  const { db, server, engine, login } = phone();
  await fileRequests(db, 1);
  expect((await engine.sync('manual')).outcome).toBe('ok');
  login.officer = true;
  const [officers] = await fileRequests(db, 1, Date.parse('2026-12-01T03:00:00Z'));
  await engine.sync('manual');
  server.forgetDevice(server.knownDevices()[0]!);
  server.setStatus(officers!.id, 'diproses');
  expect((await engine.sync('manual')).outcome).toBe('ok');
  expect((await getReceipt(db, officers!.id))?.status).toBe('diproses');
});
