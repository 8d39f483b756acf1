// The SMS gateway webhook: a submission sealed to the server's published key, split into SMS,
// delivered out of order and with a part twice, is ingested once through push ingestion; cut or
// altered messages are refused with a clear reason; the gateway must present its secret.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, expect, it } from 'vitest';
import type { PullResponse, SubmissionEnvelope } from '../../core/protocol.ts';
import { sealEnvelope } from '../../core/sealed/sealed-envelope.ts';
import { isGsm7Basic } from '../../core/sms/gsm7.ts';
import { encodeSms } from '../../core/sms/sms-codec.ts';
import { countChanges, countSubmissions, describeEachDialect, envelope, newDevice, pull, pushOk } from './helpers.ts';
import { publishedKey } from './sealing-fixtures.ts';
import { deliver, deliverRaw, INBOUND_SECRET, SENDER, smsFor } from './sms-fixtures.ts';

const keyDirs: string[] = [];
afterAll(() => {
  for (const d of keyDirs) rmSync(d, { recursive: true, force: true });
});

function options() {
  const keysDir = mkdtempSync(join(tmpdir(), 'jangkau-keys-'));
  keyDirs.push(keysDir);
  return { handoff: { keysDir, smsInboundSecret: INBOUND_SECRET, smsNumber: '+6281100009999' } };
}

/** A PPID request with the long answers people really write, so it needs several SMS. */
function longRequest(): SubmissionEnvelope {
  const item = envelope();
  return {
    ...item,
    data: {
      ...item.data,
      rincianInformasi:
        'Salinan daftar pemilih tetap dan berita acara rekapitulasi untuk Desa Tanjung Labu dan Desa Penutuk, Kecamatan Lepar Pongok, Pemilu 2024',
      tujuanPenggunaan: 'Bahan musyawarah desa tentang TPS yang jauh dari dusun di Pulau Celagen',
    },
  };
}

describeEachDialect(
  'SMS webhook',
  (ctx) => {
    it('ingests a submission once: parts out of order, one twice, and the whole message again', async () => {
      const { app, db } = ctx();
      const item = longRequest();
      const texts = await smsFor(app, item);
      expect(texts.length).toBeGreaterThanOrEqual(3);
      for (const t of texts) expect(isGsm7Basic(t) && t.length <= 153).toBe(true);

      const n = texts.length;
      // The last first, then part 1 twice, then the rest.
      const order = [n - 1, 1, 1, ...[...texts.keys()].filter((i) => i !== n - 1 && i !== 1)];
      const answers = [];
      for (const i of order) answers.push((await deliver(app, texts[i]!)).json<{ outcome: string; received?: number }>());
      expect(answers.slice(0, -1).every((a) => a.outcome === 'stored')).toBe(true);
      expect(answers[2]).toMatchObject({ outcome: 'stored', received: 2, total: texts.length });
      const last = answers.at(-1)!;
      expect(last).toMatchObject({ outcome: 'accepted', submissionId: item.id });
      expect((last as { reply?: string }).reply).toMatch(/DITERIMA/);
      expect(await countSubmissions(db, item.id)).toBe(1);

      // The gateway delivers a part again after completion: answered from the record.
      const again = await deliver(app, texts[0]!);
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ outcome: 'accepted', submissionId: item.id });
      // The resident's phone sends it again as a new SMS (sealed afresh): a duplicate.
      const resent = await smsFor(app, item);
      let final: { outcome?: string } = {};
      for (const t of resent) final = (await deliver(app, t)).json();
      expect(final).toMatchObject({ outcome: 'duplicate', submissionId: item.id });
      expect(await countSubmissions(db, item.id)).toBe(1);
      expect(await countChanges(db, item.id)).toBe(1);
    });

    it('lets the resident’s phone push it later: a duplicate that links the phone to its status', async () => {
      const { app, db } = ctx();
      const item = envelope();
      // Packed by the form's field names, which the server looks up in its published forms.
      const texts = await smsFor(app, item, true);
      // One long SMS joined by the gateway, with a line break between the segments.
      const answer = await deliver(app, texts.join('\n'));
      expect(answer.json()).toMatchObject({ outcome: 'accepted', submissionId: item.id });

      const phone = newDevice();
      const pushed = await pushOk(app, phone, [item]);
      expect(pushed.results[0]).toMatchObject({ outcome: 'duplicate' });
      // The office answers; the phone, now linked, pulls the answer.
      await app.repos.updateStatus(item.id, 'selesai', 'Salinan DPT dapat diambil di KPU Kabupaten Bangka Selatan.');
      const changes = (await pull(app, phone)).json<PullResponse>().changes;
      expect(changes.map((c) => [c.submissionId, c.status])).toEqual([[item.id, 'selesai']]);
      expect(await countSubmissions(db, item.id)).toBe(1);
      // No SMS_GATEWAY_OUTBOUND_URL here: no status SMS is queued.
      const queued = await sql<{ n: number | string }>`select count(*) as n from sms_outbox`.execute(db);
      expect(Number(queued.rows[0]!.n)).toBe(0);
    });

    it('refuses an altered part once the message is complete, and records why', async () => {
      const { app, db } = ctx();
      const item = longRequest();
      const texts = await smsFor(app, item);
      const t = texts[1]!;
      texts[1] = t.slice(0, 60) + (t[60] === 'Q' ? 'R' : 'Q') + t.slice(61);
      let answer: LightMyRequestResponse | undefined;
      for (const text of texts) answer = await deliver(app, text);
      expect(answer!.statusCode).toBe(200);
      expect(answer!.json()).toMatchObject({ outcome: 'refused', reason: 'checksum' });
      expect(answer!.json<{ reply: string }>().reply).toMatch(/kirim ulang/);
      expect(await countSubmissions(db, item.id)).toBe(0);
    });

    it('refuses a message whose checksum holds but whose seal does not (forged to pass the check)', async () => {
      const { app, db } = ctx();
      const item = envelope();
      const other = await sealEnvelope(await publishedKey(app), item);
      other[other.length - 1]! ^= 0x40;
      // Encoded afresh, so the message id matches the altered bytes; only the seal can tell.
      let answer: LightMyRequestResponse | undefined;
      for (const text of await encodeSms(other)) answer = await deliver(app, text);
      expect(answer!.json()).toMatchObject({ outcome: 'refused', reason: 'integrity' });
      expect(await countSubmissions(db, item.id)).toBe(0);
    });

    it('answers 422 for a part cut short on the way, and refuses a cut last part when complete', async () => {
      const { app, db } = ctx();
      const item = longRequest();
      const texts = await smsFor(app, item);
      const cut = await deliver(app, texts[0]!.slice(0, 120));
      expect(cut.statusCode).toBe(422);
      expect(cut.json()).toMatchObject({ error: 'sms_malformed' });
      expect(cut.json<{ message: string }>().message).toMatch(/cut or altered/);

      const shortLast = [...texts.slice(0, -1), texts.at(-1)!.slice(0, -3)];
      let answer: LightMyRequestResponse | undefined;
      for (const text of shortLast) answer = await deliver(app, text);
      expect(answer!.json()).toMatchObject({ outcome: 'refused', reason: 'checksum' });
      expect(await countSubmissions(db, item.id)).toBe(0);
    });

    it('ignores texts that are not Jangkau messages', async () => {
      const { app } = ctx();
      const res = await deliver(app, 'Pak, kapan petugas datang ke Dusun Celagen?');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ outcome: 'ignored', reason: 'not_jangkau' });
    });

    it('requires the gateway signature and a well-formed body', async () => {
      const { app } = ctx();
      const texts = await smsFor(app, envelope());
      expect((await deliver(app, texts[0]!, SENDER, 'salah')).statusCode).toBe(401);
      expect((await deliver(app, texts[0]!, SENDER, '')).statusCode).toBe(401);
      const unsigned = await app.inject({
        method: 'POST',
        url: '/api/v1/sms/inbound',
        headers: { 'content-type': 'application/json' },
        payload: { from: SENDER, text: texts[0]!, receivedAt: new Date().toISOString(), id: 'x' },
      });
      expect(unsigned.statusCode).toBe(401);
      expect(unsigned.json()).toMatchObject({ error: 'gateway_auth' });
      const noText = await deliverRaw(app, JSON.stringify({ from: SENDER, receivedAt: new Date().toISOString(), id: 'x' }));
      expect(noText.statusCode).toBe(400);
      expect((await deliverRaw(app, '{"from": ')).statusCode).toBe(400);
      expect((await deliver(app, texts[0]!, 'bukan-nomor')).statusCode).toBe(400);
    });

    it('keeps parts of the same message id from different senders apart', async () => {
      const { app, db } = ctx();
      const item = longRequest();
      const texts = await smsFor(app, item);
      // A second phone sends the same first part: it does not complete the first sender's message.
      await deliver(app, texts[0]!, '+6281299990000');
      for (const t of texts.slice(1)) await deliver(app, t);
      expect(await countSubmissions(db, item.id)).toBe(0);
      const done = await deliver(app, texts[0]!);
      expect(done.json()).toMatchObject({ outcome: 'accepted' });
    });
  },
  options,
);
