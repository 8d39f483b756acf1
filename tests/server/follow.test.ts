// POST /api/v1/follow: a device that had to make itself a fresh identity (a resident's phone whose
// secret the server lost) follows the requests it filed before by their ids and per-submission
// secrets, without their answers; from then on it pulls their statuses like its own, and it is a
// known device (its uploads are no longer refused as device_unknown).
import { expect, it } from 'vitest';
import type { PullResponse } from '../../core/protocol.ts';
import { updateSubmissionStatus } from '../../server/repositories/status.ts';
import { verifyDevice } from '../../server/repositories/devices.ts';
import { bearer, coklit, login, officer, PASSWORD, pushAs, REGION } from './auth-fixtures.ts';
import { describeEachDialect, envelope, newDevice, pull, pushOk, type TestDevice } from './helpers.ts';

describeEachDialect('follow', (ctx) => {
  const follow = (device: TestDevice, items: unknown) =>
    ctx().app.inject({
      method: 'POST',
      url: '/api/v1/follow',
      headers: { authorization: device.authorization, 'content-type': 'application/json' },
      payload: JSON.stringify({ items }),
    });
  const pullOk = async (device: TestDevice, since = '0') => {
    const res = await pull(ctx().app, device, `since=${since}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<PullResponse>();
  };

  it('links a fresh identity to earlier requests by id and secret: their answers reach it, from its old cursor on', async () => {
    const { app, db, dialect } = ctx();
    const old = newDevice();
    const [a, b, c] = [envelope(), envelope(), envelope()];
    await pushOk(app, old, [a, b, c]);
    await updateSubmissionStatus(db, dialect, { id: a.id, status: 'selesai', answer: 'Data terlampir.' });
    const cursor = (await pullOk(old)).cursor;
    await updateSubmissionStatus(db, dialect, { id: b.id, status: 'diproses' });

    const fresh = newDevice();
    expect(await verifyDevice(db, { kind: 'phone', deviceId: fresh.deviceId, secret: fresh.secret })).toBe('unknown');
    const stranger = envelope();
    await pushOk(app, newDevice(), [stranger]);
    const res = await follow(fresh, [
      { id: a.id, secret: a.secret },
      { id: b.id, secret: b.secret },
      { id: c.id, secret: c.secret },
      // Someone else's request with a guessed secret, and an id nobody filed: nothing to follow.
      { id: stranger.id, secret: a.secret },
      { id: envelope().id, secret: a.secret },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ following: string[] }>().following.sort()).toEqual([a.id, b.id, c.id].sort());
    expect(await verifyDevice(db, { kind: 'phone', deviceId: fresh.deviceId, secret: fresh.secret })).toBe('ok');

    // The phone keeps its pull cursor across the renewal: the current statuses come after it.
    const page = await pullOk(fresh, cursor);
    expect(page.changes.map((ch) => [ch.submissionId, ch.status, ch.answer])).toEqual(
      expect.arrayContaining([
        [a.id, 'selesai', 'Data terlampir.'],
        [b.id, 'diproses', undefined],
      ]),
    );
    expect(page.changes.some((ch) => ch.submissionId === stranger.id)).toBe(false);
    // Later answers reach it as well; a second follow restates nothing.
    await updateSubmissionStatus(db, dialect, { id: c.id, status: 'ditolak', answer: 'Bukan wewenang KPU.' });
    expect((await follow(fresh, [{ id: a.id, secret: a.secret }])).json()).toEqual({ following: [a.id] });
    const next = await pullOk(fresh, page.cursor);
    expect(next.changes.map((ch) => [ch.submissionId, ch.status])).toEqual([[c.id, 'ditolak']]);
  });

  it('registers no device that proves nothing (#12.1); a wrong device secret is 401 and a bad body 400', async () => {
    const { app, db } = ctx();
    const stranger = newDevice();
    const guessed = envelope();
    await pushOk(app, newDevice(), [guessed]);
    for (const items of [[], [{ id: guessed.id, secret: envelope().secret }], [{ id: envelope().id, secret: envelope().secret }]]) {
      const res = await follow(stranger, items);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ following: [] });
      expect(await verifyDevice(db, { kind: 'phone', deviceId: stranger.deviceId, secret: stranger.secret })).toBe('unknown');
    }

    const fresh = newDevice();
    const own = envelope();
    await pushOk(app, newDevice(), [own]);
    expect((await follow(fresh, [{ id: own.id, secret: own.secret }])).json()).toEqual({ following: [own.id] });
    expect(await verifyDevice(db, { kind: 'phone', deviceId: fresh.deviceId, secret: fresh.secret })).toBe('ok');

    const impostor = { ...fresh, authorization: newDevice().authorization.replace(/Device [^.]+/, `Device ${fresh.deviceId}`) };
    const refused = await follow(impostor, []);
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ error: 'device_auth' });

    expect((await follow(fresh, [{ id: 'not-a-ulid', secret: 'x' }])).statusCode).toBe(400);
    expect((await follow(fresh, Array.from({ length: 501 }, () => ({ id: envelope().id, secret: envelope().secret })))).statusCode).toBe(400);
    void app;
  });
  it("follows an officer's own entries under a new login's token, never another officer's (#11, long run seed 20261203)", async () => {
    const t = ctx();
    const { app, db, dialect } = t;
    const first = await officer(t, 'pantarlih', REGION.village);
    const entry = coklit(REGION.village);
    expect((await pushAs(app, bearer(first.token), [entry])).statusCode).toBe(200);
    await updateSubmissionStatus(db, dialect, { id: entry.id, status: 'diproses' });

    // Logged out and in again on the phone: a new token, so a new device row with nothing linked.
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(first.token) })).statusCode).toBeLessThan(300);
    const again = await login(app, first.username, PASSWORD);
    const token = again.json<{ token: string }>().token;
    const other = await officer(t, 'pantarlih', REGION.village);
    const followAs = (tok: string) =>
      app.inject({ method: 'POST', url: '/api/v1/follow', headers: { ...bearer(tok), 'content-type': 'application/json' }, payload: JSON.stringify({ items: [{ id: entry.id, secret: entry.secret }] }) });

    // Another officer on the same shared phone holds the receipt and its secret, but the entry is not theirs.
    const refused = await followAs(other.token);
    expect(refused.statusCode, refused.body).toBe(200);
    expect(refused.json()).toEqual({ following: [] });
    const pulledByOther = await app.inject({ url: '/api/v1/changes?since=0', headers: bearer(other.token) });
    expect(pulledByOther.json<PullResponse>().changes.some((ch) => ch.submissionId === entry.id)).toBe(false);

    const followed = await followAs(token);
    expect(followed.statusCode, followed.body).toBe(200);
    expect(followed.json()).toEqual({ following: [entry.id] });
    const page = await app.inject({ url: '/api/v1/changes?since=0', headers: bearer(token) });
    expect(page.json<PullResponse>().changes.map((ch) => [ch.submissionId, ch.status])).toContainEqual([entry.id, 'diproses']);
  });
});
