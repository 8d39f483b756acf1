// Finding 8 of #12: the SMS webhook took one static secret in a header, the same secret the
// server sent to the gateway with every status SMS (over http too). Here someone who sees the
// server's outbound calls, or captures a webhook call, tries to deliver SMS of their own.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearer, officer, REGION, TEST_AUTH } from '../server/auth-fixtures.ts';
import { signedGatewayHeaders } from '../../server/http/gateway-signature.ts';
import { describeEachDialect, envelope } from '../server/helpers.ts';
import { deliver, deliverRaw, INBOUND_SECRET, OUTBOUND_SECRET, SENDER, smsFor } from '../server/sms-fixtures.ts';

interface Captured {
  headers: IncomingHttpHeaders;
  body: string;
}

const captured: Captured[] = [];
const gateway = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (body += chunk));
  req.on('end', () => {
    captured.push({ headers: req.headers, body });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
let gatewayUrl = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/kirim`;
});
afterAll(async () => {
  gateway.closeAllConnections();
  await new Promise<void>((resolve) => gateway.close(() => resolve()));
});

const keysDirs: string[] = [];
afterAll(() => {
  for (const d of keysDirs) rmSync(d, { recursive: true, force: true });
});

/** What an eavesdropper replays: every header the call carried but the hop-by-hop ones. */
function replayHeaders(h: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (typeof v === 'string' && !['host', 'content-length', 'connection'].includes(k)) out[k] = v;
  return out;
}

describeEachDialect(
  'forged and replayed SMS gateway calls (finding 8)',
  (ctx) => {
    it('what the server sends the gateway carries no secret and opens no webhook', async () => {
      const t = ctx();
      const item = envelope();
      for (const text of await smsFor(t.app, item)) expect((await deliver(t.app, text)).statusCode).toBe(200);
      const admin = await officer(t, 'admin_provinsi', REGION.province);
      const before = captured.length;
      const changed = await t.app.inject({ method: 'POST', url: `/api/v1/inbox/${item.id}/status`, headers: bearer(admin.token), payload: { status: 'diproses' } });
      expect(changed.statusCode).toBe(200);
      await t.app.statusSms?.idle();
      const call = captured.slice(before).find((c) => c.body.includes(item.id));
      expect(call).toBeDefined();
      const seen = JSON.stringify(call);
      expect(seen).not.toContain(INBOUND_SECRET);
      expect(seen).not.toContain(OUTBOUND_SECRET);

      // The eavesdropper replays the outbound call's headers with an SMS of their own.
      const forged = await smsFor(t.app, envelope());
      const body = JSON.stringify({ from: '+6289900001111', text: forged[0], receivedAt: new Date().toISOString(), id: 'palsu-1' });
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/sms/inbound', headers: { ...replayHeaders(call!.headers), 'content-type': 'application/json' }, payload: body });
      expect(res.statusCode).toBe(401);
      // ... or the outbound call itself, as it was.
      const echoed = await t.app.inject({ method: 'POST', url: '/api/v1/sms/inbound', headers: replayHeaders(call!.headers), payload: call!.body });
      expect(echoed.statusCode).toBe(401);
    });

    it('a captured webhook call cannot carry another body, nor be replayed once its window has passed', async () => {
      const t = ctx();
      const item = envelope();
      const texts = await smsFor(t.app, item);
      const body = JSON.stringify({ from: SENDER, text: texts[0], receivedAt: new Date().toISOString(), id: 'gw-tangkap' });
      const signedAt = new Date();
      const first = await deliverRaw(t.app, body, INBOUND_SECRET, signedAt);
      expect(first.statusCode).toBe(200);

      // Same signature, another sender: refused.
      const swapped = body.replace(SENDER, '+6289900002222');
      const tampered = await t.app.inject({
        method: 'POST',
        url: '/api/v1/sms/inbound',
        headers: { 'content-type': 'application/json', ...signedGatewayHeaders(INBOUND_SECRET, body, signedAt) },
        payload: swapped,
      });
      expect(tampered.statusCode).toBe(401);

      // The same call signed ten minutes ago (a capture kept for later): refused.
      const stale = await deliverRaw(t.app, JSON.stringify({ from: SENDER, text: texts[1] ?? texts[0], receivedAt: new Date().toISOString(), id: 'gw-lama' }), INBOUND_SECRET, new Date(Date.now() - 10 * 60_000));
      expect(stale.statusCode).toBe(401);
    });
  },
  () => {
    const keysDir = mkdtempSync(join(tmpdir(), 'jangkau-keys-'));
    keysDirs.push(keysDir);
    return {
      auth: TEST_AUTH,
      handoff: { keysDir, smsInboundSecret: INBOUND_SECRET },
      statusSms: { gateway: { url: gatewayUrl, secret: OUTBOUND_SECRET } },
    };
  },
);
