// Status SMS through the gateway: when a request filed by SMS changes status, the server POSTs
// exactly one message per status to the gateway (a real local HTTP server here), retries a
// gateway that fails or is not there, resumes after a restart, and sends nothing for requests
// that did not come by SMS or are practice. The test's clock is moved forward instead of waited on.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { statusSmsText } from '../../core/sms/status-text.ts';
import { buildApp, type AppOptions } from '../../server/app.ts';
import type { Database } from '../../server/db/schema.ts';
import { DataKeys } from '../../server/crypto/data-keys.ts';
import { smsNumbersOf } from '../../server/crypto/sms-numbers.ts';
import { testKek } from '../support/test-kek.ts';
import { changeRequestStatus } from '../../server/services/request-lifecycle.ts';
import { readConfig } from '../../server/config.ts';
import { judgeGatewayAnswer, OUTBOUND_BACKOFF } from '../../server/services/sms-outbound.ts';
import { bearer, coklit, officer, pushAs, REGION, TEST_AUTH } from './auth-fixtures.ts';
import { describeEachDialect, envelope, newDevice, openTestApp, pushOk } from './helpers.ts';
import { gatewaySignature } from '../../server/http/gateway-signature.ts';
import { deliver, INBOUND_SECRET, OUTBOUND_SECRET, SENDER, smsFor } from './sms-fixtures.ts';

interface Received {
  body: { to: string; text: string; ref: string; status: string };
  /** Whether the call's signature checks out under the outbound secret. */
  signed: boolean;
}

/** The SMS gateway: records each call and answers from a script (200 once the script runs out). */
class FakeGateway {
  readonly received: Received[] = [];
  /** What the next calls get: an HTTP status, or 'hang' (no answer until the caller gives up). */
  readonly script: (number | 'hang')[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];
  private readonly server: Server = createServer((req, res) => this.handle(req, res));
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/kirim`;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Stops listening: calls are refused until `listen` again (on the same port). */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Resolves once `count` calls have arrived in all. */
  calls(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const timestamp = Number(req.headers['x-jangkau-timestamp']);
      const signed = req.headers['x-jangkau-signature'] === gatewaySignature(OUTBOUND_SECRET, timestamp, raw) && Math.abs(timestamp - Date.now() / 1000) <= 300;
      this.received.push({ body: JSON.parse(raw) as Received['body'], signed });
      const answer = this.script.shift() ?? 200;
      if (answer !== 'hang') res.writeHead(answer, { 'content-type': 'application/json' }).end('{}');
      for (const w of this.waiters.filter((w) => this.received.length >= w.count)) w.resolve();
      this.waiters = this.waiters.filter((w) => this.received.length < w.count);
    });
  }
}

const gateway = new FakeGateway();
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);
/** Moves the test's clock past the longest wait the backoff may choose after `attempts` failures. */
function afterBackoff(attempts: number): void {
  offsetMs += Math.min(OUTBOUND_BACKOFF.capMs, OUTBOUND_BACKOFF.baseMs * 2 ** (attempts - 1)) + 1_000;
}

const logLines: string[] = [];
const logSink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logLines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  },
});

const keyDirs: string[] = [];
beforeAll(() => gateway.listen());
afterAll(async () => {
  await gateway.close();
  for (const d of keyDirs) rmSync(d, { recursive: true, force: true });
});

function options(keysDir = mkdtempSync(join(tmpdir(), 'jangkau-keys-'))): Omit<AppOptions, 'db' | 'dialect'> {
  keyDirs.push(keysDir);
  return {
    auth: TEST_AUTH,
    logger: { stream: logSink },
    handoff: { keysDir, smsInboundSecret: INBOUND_SECRET },
    statusSms: { gateway: { url: gateway.url, secret: OUTBOUND_SECRET }, now: clock, random: () => 1 },
  };
}

async function fileBySms(app: FastifyInstance, from = SENDER): Promise<string> {
  const item = envelope();
  let outcome = '';
  for (const text of await smsFor(app, item)) outcome = (await deliver(app, text, from)).json<{ outcome: string }>().outcome;
  if (outcome !== 'accepted') throw new Error(`SMS filing answered ${outcome}`);
  return item.id;
}

interface OutboxRow {
  status: string;
  recipient: string;
  state: string;
  attempts: number;
  last_error: string | null;
}

/** The outbox rows of a submission, the recipient's number opened (it is stored sealed). */
async function outbox(db: Kysely<Database>, submissionId: string): Promise<OutboxRow[]> {
  const rows = await sql<OutboxRow & { recipient_sealed: string | null }>`select status, recipient, recipient_sealed, state, attempts, last_error from sms_outbox
    where submission_id = ${submissionId} order by queued_at, status`.execute(db);
  const numbers = await smsNumbersOf(await new DataKeys(db, testKek()).ready());
  return Promise.all(
    rows.rows.map(async ({ recipient_sealed, ...r }) => ({ ...r, recipient: await numbers.open(r.recipient, recipient_sealed), attempts: Number(r.attempts) })),
  );
}

function sender(app: FastifyInstance) {
  if (!app.statusSms) throw new Error('status SMS not configured');
  return app.statusSms;
}

describeEachDialect(
  'status SMS through the gateway',
  (ctx, dialect) => {
    it('sends one SMS per status an officer gives a request filed by SMS, with the status text', async () => {
      const t = ctx();
      const before = gateway.received.length;
      const id = await fileBySms(t.app);
      const admin = await officer(t, 'admin_provinsi', REGION.province);
      const answer = 'Salinan DPT dapat diambil di KPU Kabupaten Bangka Selatan, Jl. Raya Toboali.';

      const working = await t.app.inject({
        method: 'POST',
        url: `/api/v1/inbox/${id}/status`,
        headers: bearer(admin.token),
        payload: { status: 'diproses' },
      });
      expect(working.statusCode).toBe(200);
      await gateway.calls(before + 1);
      const done = await t.app.inject({
        method: 'POST',
        url: `/api/v1/inbox/${id}/status`,
        headers: bearer(admin.token),
        payload: { status: 'selesai', answer },
      });
      expect(done.statusCode).toBe(200);
      await gateway.calls(before + 2);
      await sender(t.app).idle();

      expect(gateway.received.slice(before)).toEqual([
        { body: { to: SENDER, text: statusSmsText(id, 'diproses'), ref: id, status: 'diproses' }, signed: true },
        { body: { to: SENDER, text: statusSmsText(id, 'selesai', answer), ref: id, status: 'selesai' }, signed: true },
      ]);
      expect(gateway.received.at(-1)!.body.text).toMatch(/^KPU Babel: permohonan .+ SELESAI\. Salinan DPT/);
      expect(await outbox(t.db, id)).toEqual([
        { status: 'diproses', recipient: SENDER, state: 'sent', attempts: 1, last_error: null },
        { status: 'selesai', recipient: SENDER, state: 'sent', attempts: 1, last_error: null },
      ]);

      // Another look finds nothing to send: each status went out exactly once.
      sender(t.app).wake();
      await sender(t.app).idle();
      expect(gateway.received.length).toBe(before + 2);
      // The logs name the receipt, never the number or the text.
      const logs = logLines.join('\n');
      expect(logs).toContain(id);
      expect(logs).not.toContain(SENDER.slice(1));
      expect(logs).not.toContain('Toboali');
    });

    it('retries a gateway that answers 5xx or refuses the connection, and delivers later', async () => {
      const t = ctx();
      const before = gateway.received.length;
      const id = await fileBySms(t.app, '+6281377778888');
      gateway.script.push(503);
      expect((await t.app.repos.updateStatus(id, 'ditolak', 'Informasi dikecualikan.', 'pasal-17-h')).ok).toBe(true);
      await gateway.calls(before + 1);
      await sender(t.app).idle();
      expect(await outbox(t.db, id)).toEqual([
        { status: 'ditolak', recipient: '+6281377778888', state: 'pending', attempts: 1, last_error: 'http_503' },
      ]);
      // Not due yet: a look now sends nothing.
      sender(t.app).wake();
      await sender(t.app).idle();
      expect(gateway.received.length).toBe(before + 1);

      // The gateway is down: the connection is refused, and that is retried too.
      await gateway.close();
      afterBackoff(1);
      sender(t.app).wake();
      await sender(t.app).idle();
      expect(await outbox(t.db, id)).toMatchObject([{ state: 'pending', attempts: 2, last_error: 'network' }]);

      await gateway.listen();
      afterBackoff(2);
      sender(t.app).wake();
      await gateway.calls(before + 2);
      await sender(t.app).idle();
      expect(gateway.received.slice(before).map((r) => r.body)).toEqual([
        { to: '+6281377778888', text: statusSmsText(id, 'ditolak', 'Informasi dikecualikan.'), ref: id, status: 'ditolak' },
        { to: '+6281377778888', text: statusSmsText(id, 'ditolak', 'Informasi dikecualikan.'), ref: id, status: 'ditolak' },
      ]);
      expect(await outbox(t.db, id)).toMatchObject([{ state: 'sent', attempts: 3, last_error: null }]);
    });

    it('gives up at once on a gateway that refuses the message (4xx)', async () => {
      const t = ctx();
      const before = gateway.received.length;
      const id = await fileBySms(t.app, '+6281355556666');
      gateway.script.push(400);
      expect((await t.app.repos.updateStatus(id, 'diproses')).ok).toBe(true);
      await gateway.calls(before + 1);
      await sender(t.app).idle();
      afterBackoff(1);
      sender(t.app).wake();
      await sender(t.app).idle();
      expect(gateway.received.length).toBe(before + 1);
      expect(await outbox(t.db, id)).toMatchObject([{ state: 'failed', attempts: 1, last_error: 'http_400' }]);
    });

    it('sends nothing for a request that did not come by SMS, or a practice one', async () => {
      const t = ctx();
      const before = gateway.received.length;
      const byPhone = envelope();
      await pushOk(t.app, newDevice(), [byPhone]);
      expect((await t.app.repos.updateStatus(byPhone.id, 'selesai', 'Jawaban.')).ok).toBe(true);

      const pantarlih = await officer(t, 'pantarlih', REGION.village);
      const practice = { ...coklit(REGION.village), practice: true as const };
      expect((await pushAs(t.app, bearer(pantarlih.token), [practice])).statusCode).toBe(200);
      // Even if its receipt were tied to an SMS sender, practice never goes out.
      await sql`insert into sms_messages (sender, message_id, outcome, reason, submission_id, completed_at)
        values (${SENDER}, ${'PRAK'}, ${'accepted'}, ${null}, ${practice.id}, ${new Date().toISOString()})`.execute(t.db);
      await t.app.repos.updateStatus(practice.id, 'diproses');

      sender(t.app).wake();
      await sender(t.app).idle();
      expect(await outbox(t.db, byPhone.id)).toEqual([]);
      expect(await outbox(t.db, practice.id)).toEqual([]);
      expect(gateway.received.length).toBe(before);
    });

    it('delivers what another process queued (the CLI’s answer) on its next look', async () => {
      const t = ctx();
      const before = gateway.received.length;
      const id = await fileBySms(t.app, '+6281344445555');
      // As `jangkau answer` does: the status change and its SMS in one transaction, no wake-up.
      const changed = await changeRequestStatus({ db: t.db, dialect: t.dialect, sms: { queue: true } }, { id, status: 'selesai', answer: 'Sudah kami kirim.' });
      expect(changed.ok).toBe(true);
      expect(await outbox(t.db, id)).toMatchObject([{ state: 'pending', attempts: 0 }]);
      // The worker's minute poll.
      sender(t.app).wake();
      await gateway.calls(before + 1);
      await sender(t.app).idle();
      expect(gateway.received.at(-1)!.body).toEqual({ to: '+6281344445555', text: statusSmsText(id, 'selesai', 'Sudah kami kirim.'), ref: id, status: 'selesai' });
      expect(await outbox(t.db, id)).toMatchObject([{ state: 'sent', attempts: 1 }]);
    });

    it('resumes after a restart: a call cut short by the stop is delivered by the next process', async () => {
      const keysDir = mkdtempSync(join(tmpdir(), 'jangkau-keys-'));
      const first = await openTestApp(dialect, inject('postgresUrl'), options(keysDir));
      try {
        const before = gateway.received.length;
        const id = await fileBySms(first.app);
        gateway.script.push('hang');
        expect((await first.app.repos.updateStatus(id, 'diproses')).ok).toBe(true);
        // The gateway holds the call; the server stops meanwhile.
        await gateway.calls(before + 1);
        await first.app.close();
        expect(await outbox(first.db, id)).toMatchObject([{ state: 'pending', attempts: 1, last_error: 'stopped' }]);

        afterBackoff(1);
        const second = buildApp({ db: first.db, dialect, ...options(keysDir) });
        await second.ready();
        try {
          await gateway.calls(before + 2);
          await sender(second).idle();
          // At least once: the same ref and status again, which the gateway deduplicates on.
          expect(gateway.received.slice(before).map((r) => [r.body.ref, r.body.status])).toEqual([
            [id, 'diproses'],
            [id, 'diproses'],
          ]);
          expect(await outbox(first.db, id)).toMatchObject([{ state: 'sent', attempts: 2 }]);
        } finally {
          await second.close();
        }
      } finally {
        await first.close();
      }
    });
  },
  () => options(),
);

describe('status SMS: gateway answers and settings', () => {
  it.each([
    [200, 'sent'],
    [202, 'sent'],
    [500, 'retry'],
    [503, 'retry'],
    [408, 'retry'],
    [429, 'retry'],
    [400, 'refused'],
    [401, 'refused'],
    [404, 'refused'],
    [422, 'refused'],
    [301, 'refused'],
  ] as const)('a gateway answer %i means %s', (status, outcome) => {
    expect(judgeGatewayAnswer(status).outcome).toBe(outcome);
  });

  it('takes SMS_GATEWAY_OUTBOUND_URL only as https (http to loopback only) with its own signing secret', () => {
    const secrets = { SMS_GATEWAY_INBOUND_SECRET: INBOUND_SECRET, SMS_GATEWAY_OUTBOUND_SECRET: OUTBOUND_SECRET };
    expect(readConfig({}).smsOutboundUrl).toBeUndefined();
    expect(readConfig({ SMS_GATEWAY_OUTBOUND_URL: 'https://gw.example/kirim', ...secrets }).smsOutboundUrl).toBe('https://gw.example/kirim');
    expect(readConfig({ SMS_GATEWAY_OUTBOUND_URL: 'http://127.0.0.1:9000/kirim', ...secrets }).smsOutboundUrl).toBe('http://127.0.0.1:9000/kirim');
    expect(readConfig({ SMS_GATEWAY_OUTBOUND_URL: 'http://[::1]:9000/kirim', ...secrets }).smsOutboundUrl).toBe('http://[::1]:9000/kirim');
    expect(() => readConfig({ SMS_GATEWAY_OUTBOUND_URL: 'http://gw.example/kirim', ...secrets })).toThrow(/https URL/);
    expect(() => readConfig({ SMS_GATEWAY_OUTBOUND_URL: 'https://gw.example/kirim', SMS_GATEWAY_INBOUND_SECRET: INBOUND_SECRET })).toThrow(/needs SMS_GATEWAY_OUTBOUND_SECRET/);
    expect(() => readConfig({ SMS_GATEWAY_OUTBOUND_URL: 'ftp://gw.example/', ...secrets })).toThrow(/https URL/);
    expect(() => readConfig({ SMS_GATEWAY_OUTBOUND_URL: 'bukan alamat', ...secrets })).toThrow(/https URL/);
    expect(() => readConfig({ SMS_GATEWAY_INBOUND_SECRET: INBOUND_SECRET, SMS_GATEWAY_OUTBOUND_SECRET: INBOUND_SECRET })).toThrow(/must differ/);
    expect(() => readConfig({ SMS_GATEWAY_INBOUND_SECRET: 'pendek' })).toThrow(/at least 24/);
    expect(() => readConfig({ SMS_GATEWAY_SECRET: INBOUND_SECRET })).toThrow(/replaced by SMS_GATEWAY_INBOUND_SECRET/);
  });
});
