// Encryption at rest (server/crypto): rows stored in the clear before it are encrypted when a
// server starts, and rotate-key re-wraps the data keys under a new KEK without touching the data.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { DataKeys, submissionScope } from '../../server/crypto/data-keys.ts';
import { kekFromBase64, newKekBase64, openBytes, sealBytes } from '../../server/crypto/kek.ts';
import { loadOrCreateServerKeys } from '../../server/crypto/server-keys.ts';
import { openPreparedDatabase } from '../../server/db/prepare.ts';
import { smsNumbersOf } from '../../server/crypto/sms-numbers.ts';
import { SmsStore } from '../../server/repositories/sms-messages.ts';
import { SmsOutbox } from '../../server/repositories/sms-outbox.ts';
import { openPayload, sealSubmission } from '../../server/repositories/submission-fields.ts';
import { runCli } from '../support/server-process.ts';
import { testKek } from '../support/test-kek.ts';
import { describeEachDialect, envelope, newDevice, pushOk } from './helpers.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('sealBytes IVs (drawn from a pool)', () => {
  it('never repeats an IV across several refills of the pool, and every value opens', () => {
    const key = randomBytes(32);
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const sealed = sealBytes(key, Buffer.from(`answer ${i}`), `row:${i}`);
      const iv = sealed.subarray(0, 12).toString('hex');
      expect(seen.has(iv)).toBe(false);
      expect(iv).not.toBe('0'.repeat(24));
      seen.add(iv);
      expect(openBytes(key, sealed, `row:${i}`).toString()).toBe(`answer ${i}`);
    }
  });
});

describeEachDialect('encryption at rest', (ctx) => {
  it('encrypts rows stored in the clear (before migration 011) when a server starts', async () => {
    const t = ctx();
    const now = new Date().toISOString();
    const data = { nik: '1901024501900001', nama: 'Lama Tersimpan', desa: '1901012001', tps: '001', hasil: 'sesuai' };
    await t.db
      .insertInto('devices')
      .values({ id: 'legacy-device', secret_hash: 'x', created_at: now, last_seen_at: now })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    await sql`insert into submissions (id, form_id, form_version, created_at, received_at, payload_json, payload_hash, secret_hash, device_id, status, answer, status_at)
      values ('01JLEGACY000000000000000AA', 'coklit-pilkada', 1, ${now}, ${now}, ${JSON.stringify(data)}, 'h', 's', 'legacy-device', 'diterima', null, ${now})`.execute(t.db);
    await sql`insert into assignment_voters (village_code, tps, position, voter_json, uploaded_at, uploaded_by)
      values ('1901012001', '001', 0, ${JSON.stringify({ nik: data.nik, nama: data.nama })}, ${now}, 'test')`.execute(t.db);

    // A second process starting on the same database.
    const second = buildApp({ db: t.db, dialect: t.dialect, kek: testKek() });
    await second.ready();
    await second.close();

    const row = await t.db.selectFrom('submissions').selectAll().where('id', '=', '01JLEGACY000000000000000AA').executeTakeFirstOrThrow();
    expect(row.payload_json).toMatch(/^j1\./);
    expect(row.payload_json).not.toContain('Lama Tersimpan');
    expect(await openPayload(t.app.dataKeys, row.id, row.payload_json)).toEqual(data);
    expect(row).toMatchObject({ kpi_village: '1901012001', kpi_tps: '001', kpi_outcome: 'sesuai' });
    expect(row.kpi_voter).toBe(`nik:${t.app.dataKeys.blindIndex(data.nik)}`);
    const voter = await t.db.selectFrom('assignment_voters').select('voter_json').where('village_code', '=', '1901012001').executeTakeFirstOrThrow();
    expect(voter.voter_json).toMatch(/^j1\./);
  });

  it('seals SMS phone numbers stored in the clear (before migration 020) when a server starts; a retry still finds its record', async () => {
    const t = ctx();
    const now = new Date().toISOString();
    const from = '+6281355550199';
    const item = envelope();
    await pushOk(t.app, newDevice(), [item]);
    // As the SMS channel stored them before: the number itself in the key columns, nothing sealed.
    await t.db.insertInto('sms_parts').values({ sender: from, message_id: 'LAMA', part_index: 0, part_total: 1, payload: 'x', gateway_id: 'g', received_at: now }).execute();
    await t.db.insertInto('sms_messages').values({ sender: from, message_id: 'LAMA', outcome: 'accepted', reason: null, submission_id: item.id, completed_at: now }).execute();
    await t.db
      .insertInto('sms_outbox')
      .values({ submission_id: item.id, status: 'selesai', recipient: from, text: 't', queued_at: now, state: 'pending', attempts: 0, next_attempt_at: now, last_error: null, sent_at: null })
      .execute();

    const second = buildApp({ db: t.db, dialect: t.dialect, kek: testKek() });
    await second.ready();
    await second.close();

    const numbers = await smsNumbersOf(t.app.dataKeys);
    const index = numbers.indexOf(from);
    const stored = [
      ...(await t.db.selectFrom('sms_parts').select(['sender as key', 'sender_sealed as sealed']).where('message_id', '=', 'LAMA').execute()),
      ...(await t.db.selectFrom('sms_messages').select(['sender as key', 'sender_sealed as sealed']).where('message_id', '=', 'LAMA').execute()),
      ...(await t.db.selectFrom('sms_outbox').select(['recipient as key', 'recipient_sealed as sealed']).where('submission_id', '=', item.id).execute()),
    ];
    expect(stored).toHaveLength(3);
    for (const row of stored) {
      expect(row.key).toBe(index);
      expect(row.sealed).toMatch(/^j1\./);
      expect(await numbers.open(row.key, row.sealed)).toBe(from);
    }
    expect(JSON.stringify(stored)).not.toContain('81355550199');
    // The gateway delivering the same message again is answered from the converted record.
    expect(await new SmsStore(t.db, numbers).recordOf(from, 'LAMA')).toEqual({ outcome: 'accepted', reason: null, submissionId: item.id });
    // The status SMS still goes to the number.
    const due = await new SmsOutbox(t.db, numbers).due(new Date(Date.now() + 1000).toISOString(), 10);
    expect(due.map((d) => [d.submissionId, d.to])).toEqual([[item.id, from]]);
  });

  it('re-wraps every data key under a new KEK; the data opens with it and no longer with the old one', async () => {
    const t = ctx();
    const item = envelope();
    await pushOk(t.app, newDevice(), [item]);
    const stored = (await t.db.selectFrom('submissions').select('payload_json').where('id', '=', item.id).executeTakeFirstOrThrow()).payload_json;
    const next = kekFromBase64(newKekBase64(), 'test');
    const rewrapped = await new DataKeys(t.db, testKek()).rewrapAll(next);
    expect(rewrapped).toBeGreaterThan(0);
    // The data itself is untouched.
    expect((await t.db.selectFrom('submissions').select('payload_json').where('id', '=', item.id).executeTakeFirstOrThrow()).payload_json).toBe(stored);
    expect(await openPayload(await new DataKeys(t.db, next).ready(), item.id, stored)).toEqual(item.data);
    await expect(new DataKeys(t.db, testKek()).decryptField(stored, `submissions.payload_json:${item.id}`)).rejects.toThrow(/does not open with KEK/);
    // Back, so the app's own (cached) keys and later tests agree with the table again.
    expect(await new DataKeys(t.db, next).rewrapAll(testKek())).toBe(rewrapped);
  });
});

describe('jangkau rotate-key (CLI, SQLite)', () => {
  it('re-wraps the data keys and the sealing keys folder; the server opens everything with the new KEK only', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jangkau-rotate-'));
    const keyDir = mkdtempSync(join(tmpdir(), 'jangkau-rotate-kek-'));
    dirs.push(dataDir, keyDir);
    const opened = await openPreparedDatabase({ dataDir });
    const app = buildApp({ db: opened.db, dialect: opened.dialect, kek: testKek(), handoff: { keysDir: join(dataDir, 'keys') } });
    await app.ready();
    const item = envelope();
    await pushOk(app, newDevice(), [item]);
    await app.close();
    await opened.close();

    const nextBase64 = newKekBase64();
    writeFileSync(join(keyDir, 'next.kek'), nextBase64, { mode: 0o600 });
    const run = await runCli(['rotate-key', '--new-kek-file', join(keyDir, 'next.kek')], { DATA_DIR: dataDir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/data keys and \d+ key files re-wrapped/);

    const next = kekFromBase64(nextBase64, 'test');
    const reopened = await openPreparedDatabase({ dataDir });
    try {
      const row = await reopened.db.selectFrom('submissions').select('payload_json').where('id', '=', item.id).executeTakeFirstOrThrow();
      expect(await openPayload(await new DataKeys(reopened.db, next).ready(), item.id, row.payload_json)).toEqual(item.data);
      await expect(loadOrCreateServerKeys(join(dataDir, 'keys'), testKek())).rejects.toThrow(/wrapped by KEK/);
      expect((await loadOrCreateServerKeys(join(dataDir, 'keys'), next)).all.length).toBe(1);
    } finally {
      await reopened.close();
    }
  });
});

describe('jangkau purge (CLI, SQLite)', () => {
  it('crypto-shreds the data key of a month it empties, as the server’s purge job does', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jangkau-purge-'));
    dirs.push(dataDir);
    const opened = await openPreparedDatabase({ dataDir });
    const app = buildApp({ db: opened.db, dialect: opened.dialect, kek: testKek(), handoff: { keysDir: join(dataDir, 'keys') }, purgeEveryMs: 0 });
    await app.ready();
    const item = envelope();
    await pushOk(app, newDevice(), [item]);
    await app.close();
    // Answered, and received long before its form's retention: stored again under that month's key,
    // as it would have been then.
    const long = '2015-01-15T08:00:00.000Z';
    const keys = await new DataKeys(opened.db, testKek()).ready();
    const data = await openPayload(keys, item.id, (await opened.db.selectFrom('submissions').select('payload_json').where('id', '=', item.id).executeTakeFirstOrThrow()).payload_json);
    const columns = await sealSubmission(keys, { id: item.id, formId: item.formId, receivedAt: long, data, payloadJson: JSON.stringify(data) });
    await opened.db.updateTable('submissions').set({ ...columns, received_at: long, status: 'selesai' }).where('id', '=', item.id).execute();
    const scope = submissionScope(item.formId, long);
    const key = () => opened.db.selectFrom('data_keys').select(['wrapped', 'shredded_at']).where('scope', '=', scope).executeTakeFirstOrThrow();
    expect((await key()).wrapped).not.toBeNull();
    await opened.close();

    const run = await runCli(['purge'], { DATA_DIR: dataDir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/purged 1 submissions .*; 1 data keys shredded/);

    const reopened = await openPreparedDatabase({ dataDir });
    try {
      expect(await reopened.db.selectFrom('submissions').select('id').where('id', '=', item.id).execute()).toEqual([]);
      const shredded = await reopened.db.selectFrom('data_keys').select(['wrapped', 'shredded_at']).where('scope', '=', scope).executeTakeFirstOrThrow();
      expect(shredded.wrapped).toBeNull();
      expect(shredded.shredded_at).not.toBeNull();
    } finally {
      await reopened.close();
    }
  });
});
