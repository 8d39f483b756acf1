// Filing a draft: the outbox row, the receipt and the draft's removal commit together or not at
// all; invalid answers are refused as a value; a second submit of the same id changes nothing;
// a full disk is reported as a value and leaves what was stored intact.
import { afterEach, describe, expect, it } from 'vitest';
import { ulid } from '../../../core/ids.ts';
import { saveDraft } from '../../../src/db/drafts.ts';
import {
  applyPushResults,
  discardRejected,
  envelopeBytes,
  listQueued,
  receiptTitle,
  requeueFixed,
  submitDraft,
} from '../../../src/db/outbox.ts';
import { JangkauDb } from '../../../src/db/schema.ts';
import { openTestDb, PPID, validPpid, withQuota } from './test-db.ts';

const dbs: JangkauDb[] = [];
function freshDb(): JangkauDb {
  const db = openTestDb();
  dbs.push(db);
  return db;
}
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

describe('submitDraft', () => {
  it('writes the outbox row and the receipt and deletes the draft, together', async () => {
    const db = freshDb();
    const id = ulid();
    const data = validPpid({ nama: '  Siti Aminah  ', email: '' });
    await saveDraft(db, { id, formId: PPID.formId, formVersion: PPID.version, data });
    const at = Date.parse('2026-12-02T03:04:05.000Z');

    const result = await submitDraft(db, PPID, id, data, at);

    expect(result.ok).toBe(true);
    const row = await db.outbox.get(id);
    expect(row).toBeDefined();
    expect(row!.state).toBe('queued');
    expect(row!.attempts).toBe(0);
    expect(row!.queuedAt).toBe(at);
    expect(row!.envelope).toMatchObject({ id, formId: 'ppid-permohonan', formVersion: 1, createdAt: '2026-12-02T03:04:05.000Z' });
    // Answers travel cleaned: trimmed, empty fields left out.
    expect(row!.envelope.data.nama).toBe('Siti Aminah');
    expect('email' in row!.envelope.data).toBe(false);
    expect(row!.envelope.secret.length).toBeGreaterThanOrEqual(16);
    expect(row!.bytes).toBe(new TextEncoder().encode(JSON.stringify(row!.envelope)).length);

    const receipt = await db.receipts.get(id);
    expect(receipt).toEqual({
      id,
      formId: 'ppid-permohonan',
      formVersion: 1,
      title: 'Daftar pemilih tetap Desa Kelabat pada Pemilu 2024',
      createdAt: at,
      state: 'queued',
    });
    // The secret stays only in the envelope until the province acknowledges it.
    expect(receipt!.secret).toBeUndefined();
    expect(await db.drafts.get(id)).toBeUndefined();
    expect(result).toEqual({ ok: true, receipt, alreadySubmitted: false });
  });

  it('counts bytes as UTF-8, not as UTF-16 code units', async () => {
    const db = freshDb();
    const id = ulid();
    await submitDraft(db, PPID, id, validPpid({ alamat: 'Jalan Bélinyu — Désa Ülu, 🏝️ Pulau Lepar' }));
    const row = (await db.outbox.get(id))!;
    expect(row.bytes).toBe(envelopeBytes(row.envelope));
    expect(row.bytes).toBeGreaterThan(JSON.stringify(row.envelope).length);
  });

  it('titles the receipt with at most 80 characters of the title field', () => {
    expect(receiptTitle(PPID, { rincianInformasi: 'a'.repeat(80) })).toBe('a'.repeat(80));
    const long = receiptTitle(PPID, { rincianInformasi: 'b'.repeat(200) });
    expect(Array.from(long)).toHaveLength(80);
    expect(long.endsWith('…')).toBe(true);
    // Never cuts a character in half.
    const emoji = receiptTitle(PPID, { rincianInformasi: '🏝️'.repeat(60) });
    expect(Array.from(emoji).length).toBeLessThanOrEqual(80);
    expect(emoji).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('refuses invalid answers with the verdict and writes nothing', async () => {
    const db = freshDb();
    const id = ulid();
    const data = validPpid({ nik: '123', caraMenerima: 'email' });
    await saveDraft(db, { id, formId: PPID.formId, formVersion: PPID.version, data });

    const result = await submitDraft(db, PPID, id, data);

    expect(result.ok).toBe(false);
    if (result.ok || result.reason !== 'invalid') throw new Error('expected a verdict');
    expect(result.verdict.errors).toEqual(
      expect.arrayContaining([
        { field: 'nik', code: 'nik_format' },
        { field: 'email', code: 'required' },
      ]),
    );
    expect(await db.outbox.count()).toBe(0);
    expect(await db.receipts.count()).toBe(0);
    expect((await db.drafts.get(id))?.data).toEqual(data);
  });

  it('gives one row with one payload when the same draft is submitted twice', async () => {
    const db = freshDb();
    const id = ulid();
    const first = await submitDraft(db, PPID, id, validPpid());
    const envelope = (await db.outbox.get(id))!.envelope;

    const second = await submitDraft(db, PPID, id, validPpid({ nama: 'Someone Else' }));

    expect(second).toEqual({ ok: true, receipt: first.ok && first.receipt, alreadySubmitted: true });
    expect(await db.outbox.count()).toBe(1);
    expect(await db.receipts.count()).toBe(1);
    expect((await db.outbox.get(id))!.envelope).toEqual(envelope);
  });

  it('gives one submission when two tabs submit the same draft at once', async () => {
    const tabA = freshDb();
    const tabB = new JangkauDb(tabA.name);
    dbs.push(tabB);
    const id = ulid();
    await saveDraft(tabA, { id, formId: PPID.formId, formVersion: PPID.version, data: validPpid() });

    const [a, b] = await Promise.all([submitDraft(tabA, PPID, id, validPpid()), submitDraft(tabB, PPID, id, validPpid())]);

    expect(a.ok && b.ok).toBe(true);
    expect([a.ok && a.alreadySubmitted, b.ok && b.alreadySubmitted].sort()).toEqual([false, true]);
    const rows = await tabA.outbox.toArray();
    expect(rows).toHaveLength(1);
    expect(await tabA.receipts.count()).toBe(1);
    expect(await tabA.drafts.count()).toBe(0);
    // Both tabs were told about the one payload that is queued.
    expect(a.ok && a.receipt).toEqual(b.ok && b.receipt);
  });

  it('reports a full disk as a value and leaves existing rows intact', async () => {
    const db = freshDb();
    const quota = withQuota(db);
    const kept = ulid();
    await submitDraft(db, PPID, kept, validPpid());
    const keptRow = await db.outbox.get(kept);
    const id = ulid();
    await saveDraft(db, { id, formId: PPID.formId, formVersion: PPID.version, data: validPpid() });
    const draftBefore = await db.drafts.get(id);

    // Only the receipt write fails: the outbox write before it in the same transaction must roll back.
    quota.fullFor.add('receipts');
    const result = await submitDraft(db, PPID, id, validPpid());

    expect(result).toEqual({ ok: false, reason: 'quota', quota: true });
    expect(await db.outbox.get(id)).toBeUndefined();
    expect(await db.receipts.get(id)).toBeUndefined();
    expect(await db.drafts.get(id)).toEqual(draftBefore);
    expect(await db.outbox.get(kept)).toEqual(keptRow);
    expect(await db.receipts.count()).toBe(1);

    quota.fullFor.add('drafts');
    const save = await saveDraft(db, { id, formId: PPID.formId, formVersion: PPID.version, data: validPpid({ nama: 'Changed' }) });
    expect(save).toEqual({ ok: false, reason: 'quota', quota: true });
    expect(await db.drafts.get(id)).toEqual(draftBefore);

    // Space freed: the same submit now goes through.
    quota.fullFor.clear();
    expect((await submitDraft(db, PPID, id, validPpid())).ok).toBe(true);
  });

  it('rejects an id that is not a ULID, which the server could never accept', async () => {
    const db = freshDb();
    await expect(submitDraft(db, PPID, 'draft-1', validPpid())).rejects.toThrow(TypeError);
  });
});

describe('fixing and discarding rejected submissions', () => {
  async function rejectedOne(db: JangkauDb): Promise<string> {
    const id = ulid();
    await submitDraft(db, PPID, id, validPpid());
    const row = (await db.outbox.get(id))!;
    await applyPushResults(db, [row], [{ id, outcome: 'rejected', reason: 'invalid_data', errors: [{ field: 'nik', code: 'nik_province' }] }], 'T');
    return id;
  }

  it('requeues a fixed envelope under the same id with a fresh count of tries', async () => {
    const db = freshDb();
    const id = await rejectedOne(db);
    const old = (await db.outbox.get(id))!;
    expect(old.state).toBe('needs_fix');
    expect((await db.receipts.get(id))!.state).toBe('needs_fix');

    const envelope = { ...old.envelope, data: { ...old.envelope.data, nik: '1971010101850002' } };
    expect(await requeueFixed(db, id, envelope)).toEqual({ ok: true });

    const row = (await db.outbox.get(id))!;
    expect(row).toMatchObject({ state: 'queued', attempts: 0, envelope, queuedAt: old.queuedAt });
    expect(row.rejection).toBeUndefined();
    expect((await db.receipts.get(id))!.state).toBe('queued');
    expect((await listQueued(db)).map((r) => r.id)).toEqual([id]);
  });

  it('only touches rejected rows, and only with the same id', async () => {
    const db = freshDb();
    const id = ulid();
    await submitDraft(db, PPID, id, validPpid());
    const envelope = (await db.outbox.get(id))!.envelope;
    expect(await requeueFixed(db, id, envelope)).toEqual({ ok: false, reason: 'not_rejected' });
    expect(await discardRejected(db, id)).toEqual({ ok: false, reason: 'not_rejected' });
    expect(await requeueFixed(db, ulid(), envelope)).toEqual({ ok: false, reason: 'id_mismatch' });
    expect(await discardRejected(db, ulid())).toEqual({ ok: false, reason: 'not_found' });
    expect(await db.outbox.count()).toBe(1);
  });

  it('discards a rejected submission and its receipt when the person says so', async () => {
    const db = freshDb();
    const id = await rejectedOne(db);
    expect(await discardRejected(db, id)).toEqual({ ok: true });
    expect(await db.outbox.get(id)).toBeUndefined();
    expect(await db.receipts.get(id)).toBeUndefined();
  });
});
