// The push contract: exactly one copy per id whatever the network does, per-item answers, and
// one bad item never blocking the rest.
import { expect, it } from 'vitest';
import type { ItemResult, PullResponse } from '../../core/protocol.ts';
import { ulid } from '../../core/ids.ts';
import { updateSubmissionStatus } from '../../server/repositories/status.ts';
import { countChanges, countSubmissions, describeEachDialect, envelope, newDevice, pull, push, pushOk, validPpidData } from './helpers.ts';
import { storedAnswers } from '../support/test-kek.ts';

describeEachDialect('push', (ctx) => {
  it('accepts a batch, and answers the same batch again with duplicates carrying the original receivedAt', async () => {
    const { app, db } = ctx();
    const device = newDevice();
    const items = [envelope(), envelope(), envelope()];
    const first = await pushOk(app, device, items);
    expect(first.results.map((r) => r.outcome)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(first.results.map((r) => r.id)).toEqual(items.map((i) => i.id));

    await new Promise((r) => setTimeout(r, 5));
    const second = await pushOk(app, device, items);
    expect(second.results.map((r) => r.outcome)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    second.results.forEach((r, i) => expect(r.receivedAt).toBe(first.results[i]?.receivedAt));
    expect(second.serverTime > first.serverTime).toBe(true);
    for (const item of items) {
      expect(await countSubmissions(db, item.id)).toBe(1);
      expect(await countChanges(db, item.id)).toBe(1);
    }
  });

  it('keeps one row when the answer to a push is lost and the device pushes again', async () => {
    const { app, db } = ctx();
    const device = newDevice();
    const items = [envelope(), envelope()];
    // The server committed, but the device never saw the answer.
    void (await push(app, device, { items }));
    const retry = await pushOk(app, device, items);
    expect(retry.results.map((r) => r.outcome)).toEqual(['duplicate', 'duplicate']);
    for (const item of items) expect(await countSubmissions(db, item.id)).toBe(1);
  });

  it('keeps one row when two copies of a batch arrive at the same time', async () => {
    const { app, db } = ctx();
    const device = newDevice();
    const items = Array.from({ length: 20 }, () => envelope());
    const answers = await Promise.all([pushOk(app, device, items), pushOk(app, device, items), pushOk(app, device, items)]);
    for (const [i, item] of items.entries()) {
      const outcomes = answers.map((a) => a.results[i]?.outcome).sort();
      expect(outcomes).toEqual(['accepted', 'duplicate', 'duplicate']);
      const times = new Set(answers.map((a) => a.results[i]?.receivedAt));
      expect(times.size).toBe(1);
      expect(await countSubmissions(db, item.id)).toBe(1);
    }
  });

  it('accepts the good items of a batch and rejects an invalid one with field errors', async () => {
    const { app, db } = ctx();
    const device = newDevice();
    const good1 = envelope();
    const badNik = envelope({ data: validPpidData({ nik: '1901024501900000' }) });
    const missing = envelope({ data: validPpidData({ nama: undefined, telepon: '12345' }) });
    const good2 = envelope();
    const { results } = await pushOk(app, device, [good1, badNik, missing, good2]);
    expect(results.map((r) => r.outcome)).toEqual(['accepted', 'rejected', 'rejected', 'accepted']);
    expect(results[1]).toMatchObject({ id: badNik.id, reason: 'invalid_data', errors: [{ field: 'nik', code: 'nik_serial' }] });
    expect(results[2]?.reason).toBe('invalid_data');
    expect(results[2]?.errors).toEqual(
      expect.arrayContaining([
        { field: 'nama', code: 'required' },
        { field: 'telepon', code: 'phone_format' },
      ]),
    );
    expect(await countSubmissions(db, good1.id)).toBe(1);
    expect(await countSubmissions(db, good2.id)).toBe(1);
    expect(await countSubmissions(db, badNik.id)).toBe(0);
    expect(await countSubmissions(db, missing.id)).toBe(0);
  });

  it('rejects malformed envelopes among good items, naming them by id or by position', async () => {
    const { app } = ctx();
    const device = newDevice();
    const good = envelope();
    const noSecret: Record<string, unknown> = { ...envelope() };
    delete noSecret.secret;
    const extraField = { ...envelope(), extra: true };
    const badDate = envelope({ createdAt: 'yesterday' });
    const nonUlid = envelope({ id: 'not-a-ulid' });
    const items: unknown[] = [good, noSecret, 42, null, 'text', [], extraField, badDate, nonUlid, { id: 7 }];
    const { results } = await pushOk(app, device, items);
    expect(results).toHaveLength(items.length);
    expect(results[0]).toMatchObject({ id: good.id, outcome: 'accepted' });
    const rejected = results.slice(1);
    for (const r of rejected) expect(r).toMatchObject({ outcome: 'rejected', reason: 'invalid_envelope' });
    expect(rejected.map((r) => r.id)).toEqual([
      noSecret.id,
      '#2',
      '#3',
      '#4',
      '#5',
      extraField.id,
      badDate.id,
      'not-a-ulid',
      '#9',
    ]);
  });

  it('rejects an unknown form or form version, and accepts the known one beside it', async () => {
    const { app } = ctx();
    const device = newDevice();
    const unknownForm = envelope({ formId: 'tidak-ada' });
    const unknownVersion = envelope({ formVersion: 99 });
    const good = envelope();
    const { results } = await pushOk(app, device, [unknownForm, unknownVersion, good]);
    expect(results.map((r) => [r.outcome, r.reason])).toEqual([
      ['rejected', 'unknown_form'],
      ['rejected', 'unknown_form'],
      ['accepted', undefined],
    ]);
  });

  it('refuses a second submission that reuses an id with different data (id_conflict)', async () => {
    const { app, db } = ctx();
    const device = newDevice();
    const original = envelope();
    await pushOk(app, device, [original]);
    const clash = { ...original, data: validPpidData({ nama: 'Orang Lain' }) };
    const { results } = await pushOk(app, device, [clash]);
    expect(results[0]).toMatchObject({ id: original.id, outcome: 'rejected', reason: 'id_conflict' });
    expect((await storedAnswers(db, original.id)).nama).toBe('Siti Aminah');
  });

  it('judges repeated ids inside one batch like retries', async () => {
    const { app, db } = ctx();
    const device = newDevice();
    const item = envelope();
    const clash = { ...item, createdAt: new Date(Date.now() - 60_000).toISOString() };
    const { results } = await pushOk(app, device, [item, item, clash]);
    expect(results.map((r) => r.outcome)).toEqual(['accepted', 'duplicate', 'rejected']);
    expect(results[1]?.receivedAt).toBe(results[0]?.receivedAt);
    expect(results[2]?.reason).toBe('id_conflict');
    expect(await countSubmissions(db, item.id)).toBe(1);
  });

  it('accepts a gzip-compressed body', async () => {
    const { app, db } = ctx();
    const device = newDevice();
    const items = Array.from({ length: 50 }, () => envelope());
    const res = await push(app, device, { items }, { gzip: true });
    expect(res.statusCode).toBe(200);
    expect(res.json().results.every((r: ItemResult) => r.outcome === 'accepted')).toBe(true);
    expect(await countSubmissions(db, items[49]?.id)).toBe(1);
  });

  it('accepts Content-Encoding: identity', async () => {
    const { app } = ctx();
    const res = await push(app, newDevice(), { items: [envelope()] }, { headers: { 'content-encoding': 'identity' } });
    expect(res.statusCode).toBe(200);
  });

  it('stores the payload as canonical JSON, encrypted, with its hash, the secret only as a hash', async () => {
    const { app, db } = ctx();
    const device = newDevice();
    const item = envelope({ data: { ...validPpidData(), nama: 'Budi Santoso' } });
    await pushOk(app, device, [item]);
    const row = await db.selectFrom('submissions').selectAll().where('id', '=', item.id).executeTakeFirstOrThrow();
    expect(row.payload_json).toMatch(/^j1\.[0-9a-f]{16}\./);
    expect(row.payload_json).not.toContain('Budi Santoso');
    expect(JSON.stringify(await storedAnswers(db, item.id)).startsWith('{"alamat":')).toBe(true);
    expect(row.payload_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(item.secret);
    expect(row).toMatchObject({ status: 'diterima', answer: null, device_id: device.deviceId, form_version: 1 });
  });

  it('accepts 500 items in one push', async () => {
    const { app, db } = ctx();
    const items = Array.from({ length: 500 }, () => envelope());
    const { results } = await pushOk(app, newDevice(), items);
    expect(results.filter((r) => r.outcome === 'accepted')).toHaveLength(500);
    expect(await countSubmissions(db, items[499]?.id)).toBe(1);
  });

  it('answers a duplicate from another device, linking it only when it holds the submission secret', async () => {
    const { app, db, dialect } = ctx();
    const first = newDevice();
    const item = envelope();
    const accepted = (await pushOk(app, first, [item])).results[0];
    const holder = newDevice();
    const stranger = newDevice();
    const viaHolder = (await pushOk(app, holder, [item])).results[0];
    const viaStranger = (await pushOk(app, stranger, [{ ...item, secret: 'someone-elses-secret-123' }])).results[0];
    expect(viaHolder).toMatchObject({ outcome: 'duplicate', receivedAt: accepted?.receivedAt });
    expect(viaStranger).toMatchObject({ outcome: 'duplicate', receivedAt: accepted?.receivedAt });
    // Pulls carry the office's answers ("diterima" came with the push answer): answer it.
    await updateSubmissionStatus(db, dialect, { id: item.id, status: 'diproses' });
    const followed = async (d: typeof first) =>
      new Set((await pull(app, d)).json<PullResponse>().changes.map((c) => c.submissionId));
    expect((await followed(holder)).has(item.id)).toBe(true);
    expect((await followed(stranger)).has(item.id)).toBe(false);
  });

  it('never lets an unrelated id in the same batch be affected by a conflict', async () => {
    const { app } = ctx();
    const device = newDevice();
    const a = envelope();
    await pushOk(app, device, [a]);
    const b = envelope({ id: ulid() });
    const { results } = await pushOk(app, device, [{ ...a, data: validPpidData({ pekerjaan: 'Nelayan' }) }, b]);
    expect(results.map((r) => r.outcome)).toEqual(['rejected', 'accepted']);
  });
});
