// A resident's phone whose secret the server forgot renews its identity (src/sync/unauthorized.ts).
// On a full disk the fresh identity cannot be stored, yet the phone must still push and send its
// photos, the only thing that frees room (issue #11, defect 8; found by the model's long run of seed
// 20261211): the identity is held in memory, used, and stored once there is room; a newer identity
// another context stored meanwhile stays in force and follows what the held one sent.
import { afterEach, describe, expect, it } from 'vitest';
import { getDeviceIdentity, heldRelinkPending } from '../../../src/db/device-identity.ts';
import { getMeta } from '../../../src/db/meta.ts';
import { JangkauDb } from '../../../src/db/schema.ts';
import { renewDeviceIdentity } from '../../../src/sync/unauthorized.ts';
import { relinkIfPending } from '../../../src/sync/relink.ts';
import type { ApiClient } from '../../../src/lib/api-client.ts';
import { openTestDb, withQuota } from '../db/test-db.ts';

const dbs: JangkauDb[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});
function track(db: JangkauDb): JangkauDb {
  dbs.push(db);
  return db;
}

const followed: string[] = [];
const api = {
  follow: async (_items: unknown[], { authorization }: { authorization: string }) => {
    followed.push(authorization);
    return { kind: 'ok', value: {} };
  },
} as unknown as ApiClient;

describe('renewing the identity on a full disk', () => {
  it('holds the fresh identity in memory, uses it, and stores it once there is room', async () => {
    const db = track(openTestDb());
    const quota = withQuota(db);
    const old = await getDeviceIdentity(db);
    quota.fullFor.add('meta');

    const fresh = await renewDeviceIdentity(db, old);
    expect(fresh.deviceId).not.toBe(old.deviceId);
    expect(await getDeviceIdentity(db)).toEqual(fresh);
    expect((await db.meta.get('device'))?.value).toEqual(old);
    expect(heldRelinkPending(db)).toBe(true);

    // The relink goes under the held identity, and is not asked for twice.
    followed.length = 0;
    expect(await relinkIfPending(db, api)).toBeUndefined();
    expect(followed).toEqual([]); // nothing was sent before: no follow request at all
    expect(heldRelinkPending(db)).toBe(false);

    // A second refusal in the same context, of the held identity: a fresher one replaces it.
    const fresher = await renewDeviceIdentity(db, fresh);
    expect(fresher.deviceId).not.toBe(fresh.deviceId);
    // A stale refusal (of the old stored identity) leaves the held one in force.
    expect(await renewDeviceIdentity(db, old)).toEqual(fresher);

    quota.fullFor.delete('meta');
    expect(await getDeviceIdentity(db)).toEqual(fresher);
    expect((await db.meta.get('device'))?.value).toEqual(fresher);
    expect(await getMeta(db, 'relinkPending')).toBe(true);
    expect(heldRelinkPending(db)).toBe(false);
  });

  it('keeps a newer identity another context stored meanwhile, and has it follow what the held one sent', async () => {
    const name = `renewal-${Math.random()}`;
    const page = track(new JangkauDb(name));
    const worker = track(new JangkauDb(name));
    const quota = withQuota(page);
    const old = await getDeviceIdentity(page);
    quota.fullFor.add('meta');
    const held = await renewDeviceIdentity(page, old);
    expect(held.deviceId).not.toBe(old.deviceId);

    // The worker had room (the photo it sent freed some) and renewed on its own.
    const workers = await renewDeviceIdentity(worker, old);
    await worker.meta.delete('relinkPending');

    quota.fullFor.delete('meta');
    expect(await getDeviceIdentity(page)).toEqual(workers);
    expect((await page.meta.get('device'))?.value).toEqual(workers);
    expect(await getMeta(page, 'relinkPending')).toBe(true);
  });
});
