// Pull: a device follows the status of its own submissions with a cursor, page by page, and
// sees nothing of anyone else's. "diterima" is never sent back: the push answer already said it.
import { expect, it } from 'vitest';
import type { PullResponse } from '../../core/protocol.ts';
import { updateSubmissionStatus } from '../../server/repositories/status.ts';
import { describeEachDialect, envelope, newDevice, pull, pushOk } from './helpers.ts';

describeEachDialect('pull', (ctx) => {
  const pullOk = async (device: ReturnType<typeof newDevice>, query = '') => {
    const res = await pull(ctx().app, device, query);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<PullResponse>();
  };

  it('sends nothing back for the push it just made, then selesai with the answer after the office answers', async () => {
    const { app, db, dialect } = ctx();
    const device = newDevice();
    const item = envelope();
    await pushOk(app, device, [item]);

    // The push answer told the device "diterima"; the pull only moves its cursor past that row.
    const first = await pullOk(device);
    expect(first.changes).toEqual([]);
    expect(first.more).toBe(false);
    expect(Number(first.cursor)).toBeGreaterThan(0);

    const answered = await updateSubmissionStatus(db, dialect, { id: item.id, status: 'selesai', answer: 'Data terlampir di email.' });
    expect(answered.ok).toBe(true);

    const second = await pullOk(device, `since=${first.cursor}`);
    expect(second.changes).toEqual([
      { seq: expect.any(Number), submissionId: item.id, status: 'selesai', answer: 'Data terlampir di email.', at: expect.any(String) },
    ]);
    expect(second.cursor).toBe(String(second.changes[0]?.seq));
    expect(Number(second.cursor)).toBeGreaterThan(Number(first.cursor));

    const third = await pullOk(device, `since=${second.cursor}`);
    expect(third).toMatchObject({ changes: [], cursor: second.cursor, more: false });
  });

  it('from cursor 0 after answers, sends only the answers, in order, and ends past the device’s last row', async () => {
    const { app, db, dialect } = ctx();
    const device = newDevice();
    const [a, b] = [envelope(), envelope()];
    await pushOk(app, device, [a, b]);
    await updateSubmissionStatus(db, dialect, { id: a.id, status: 'diproses' });
    await updateSubmissionStatus(db, dialect, { id: a.id, status: 'selesai', answer: 'Selesai.' });
    // A later push's diterima row lies after the last answer: the cursor must still pass it.
    await pushOk(app, device, [envelope()]);
    const page = await pullOk(device);
    expect(page.changes.map((c) => [c.submissionId, c.status])).toEqual([
      [a.id, 'diproses'],
      [a.id, 'selesai'],
    ]);
    expect(Number(page.cursor)).toBeGreaterThan(page.changes[1]!.seq);
    expect(await pullOk(device, `since=${page.cursor}`)).toMatchObject({ changes: [], cursor: page.cursor, more: false });
  });

  it('pages with limit and more, in seq order, until the cursor reaches the end', async () => {
    const { app, db, dialect } = ctx();
    const device = newDevice();
    const items = Array.from({ length: 7 }, () => envelope());
    await pushOk(app, device, items);
    for (const item of items.slice(0, 5)) await updateSubmissionStatus(db, dialect, { id: item.id, status: 'diproses' });

    const seen: PullResponse['changes'] = [];
    let cursor = '0';
    let pages = 0;
    for (;;) {
      const page = await pullOk(device, `since=${cursor}&limit=2`);
      pages++;
      seen.push(...page.changes);
      cursor = page.cursor;
      if (!page.more) break;
      expect(page.changes).toHaveLength(2);
      expect(page.cursor).toBe(String(page.changes[1]?.seq));
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(5);
    const seqs = seen.map((c) => c.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(5);
    expect(seen.map((c) => c.status)).toEqual(Array(5).fill('diproses'));
    expect(seen.map((c) => c.submissionId)).toEqual(items.slice(0, 5).map((i) => i.id));
  });

  it('uses a default limit of 500', async () => {
    const { app, db, dialect } = ctx();
    const device = newDevice();
    const items = Array.from({ length: 501 }, () => envelope());
    await pushOk(app, device, items.slice(0, 500));
    await pushOk(app, device, items.slice(500));
    for (const item of items) await updateSubmissionStatus(db, dialect, { id: item.id, status: 'diproses' });
    const page = await pullOk(device);
    expect(page.changes).toHaveLength(500);
    expect(page.more).toBe(true);
    const rest = await pullOk(device, `since=${page.cursor}`);
    expect(rest.changes).toHaveLength(1);
    expect(rest.more).toBe(false);
  });

  it('shows a device nothing of another device’s submissions', async () => {
    const { app, db, dialect } = ctx();
    const alice = newDevice();
    const bob = newDevice();
    const mine = envelope();
    const his = envelope();
    await pushOk(app, alice, [mine]);
    await pushOk(app, bob, [his]);
    await updateSubmissionStatus(db, dialect, { id: mine.id, status: 'ditolak', answer: 'Informasi dikecualikan.' });
    await updateSubmissionStatus(db, dialect, { id: his.id, status: 'diproses' });
    const bobs = await pullOk(bob);
    expect(bobs.changes.map((c) => [c.submissionId, c.status])).toEqual([[his.id, 'diproses']]);
  });

  it('answers a device that never pushed with an empty page and its own cursor', async () => {
    expect(await pullOk(newDevice(), 'since=42')).toMatchObject({ changes: [], cursor: '42', more: false });
    expect(await pullOk(newDevice())).toMatchObject({ changes: [], cursor: '0', more: false });
  });

  it('refuses a known device with the wrong secret, and a request without credentials', async () => {
    const { app } = ctx();
    const device = newDevice();
    await pushOk(app, device, [envelope()]);
    const wrong = await pull(app, { ...device, authorization: `Device ${device.deviceId}.${'z'.repeat(30)}` });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error).toBe('device_auth');
    const none = await app.inject({ url: '/api/v1/changes' });
    expect(none.statusCode).toBe(401);
  });

  it('refuses a malformed cursor or limit with 400', async () => {
    const device = newDevice();
    for (const query of ['since=abc', 'since=-1', 'limit=0', 'limit=1001', 'limit=x']) {
      const res = await pull(ctx().app, device, query);
      expect(res.statusCode, query).toBe(400);
    }
  });

  it('lets a device that re-delivers someone’s submission with its secret see the current status', async () => {
    const { app, db, dialect } = ctx();
    const phone = newDevice();
    const item = envelope();
    await pushOk(app, phone, [item]);
    await updateSubmissionStatus(db, dialect, { id: item.id, status: 'selesai', answer: 'Sudah dikirim.' });
    // The same person, on a new phone, restores the submission and sends it again.
    const newPhone = newDevice();
    await pushOk(app, newPhone, [envelope()]);
    const before = await pullOk(newPhone);
    await pushOk(app, newPhone, [item]);
    const after = await pullOk(newPhone, `since=${before.cursor}`);
    expect(after.changes).toEqual([expect.objectContaining({ submissionId: item.id, status: 'selesai', answer: 'Sudah dikirim.' })]);
  });

  it('adds no change when a device re-delivers its own submission', async () => {
    const { app } = ctx();
    const device = newDevice();
    const item = envelope();
    await pushOk(app, device, [item]);
    const before = await pullOk(device);
    await pushOk(app, device, [item]);
    expect((await pullOk(device, `since=${before.cursor}`)).changes).toEqual([]);
  });
});
