// Finding 10 of #12: held-open connections and unthrottled paths. Against the real server process
// on real sockets: 600 connections from one address send a push's headers and then hold its body
// back, 200 more never finish their headers; meanwhile phones elsewhere must still get their
// pushes answered, and the half-sent headers must be closed by the server. Then a flood of each
// public path from one network is limited, and other networks are not.
import { rmSync } from 'node:fs';
import http from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { describeEachDialect, envelope, newDevice } from '../server/helpers.ts';

const HELD_BODIES = 600;
const SLOW_HEADERS = 200;
const PUSHES = 20;
const ATTACKER = '127.0.0.1';
/** Phones elsewhere: Linux answers for all of 127/8 on the loopback interface. */
const PHONES = '127.0.0.2';

interface Held {
  socket: Socket;
  answer: string;
  closed: Promise<void>;
}

function hold(port: number, request: string): Held {
  const socket = connect({ host: '127.0.0.1', port, localAddress: ATTACKER });
  const held: Held = {
    socket,
    answer: '',
    closed: new Promise<void>((resolve) => socket.once('close', () => resolve())),
  };
  socket.on('data', (chunk: Buffer) => (held.answer += chunk.toString('latin1')));
  socket.on('error', () => {});
  socket.write(request);
  return held;
}

function pushFrom(port: number): Promise<number> {
  const device = newDevice();
  const body = JSON.stringify({ items: [envelope()] });
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        localAddress: PHONES,
        path: '/api/v1/push',
        method: 'POST',
        agent: false,
        headers: { authorization: device.authorization, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('a slowloris against pushes (finding 10)', () => {
  let server: ServerProcess | undefined;
  const sockets: Held[] = [];

  beforeAll(async () => {
    server = await startServerProcess({ env: { DATABASE_URL: '', PUSH_PER_IP_PER_MINUTE: '100000', HTTP_HEADERS_TIMEOUT_S: '2' } });
  });
  afterAll(async () => {
    for (const h of sockets) h.socket.destroy();
    await server?.stop();
    if (server) rmSync(server.dataDir, { recursive: true, force: true });
  });

  it('pushes from elsewhere keep being answered while 600 connections hold their bodies back, and half-sent headers are closed', async () => {
    if (!server) throw new Error('server not started');
    const { port } = server;
    const slowHeaders = Array.from({ length: SLOW_HEADERS }, () => hold(port, 'POST /api/v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pelan: '));
    sockets.push(...slowHeaders);
    const held = Array.from({ length: HELD_BODIES }, () =>
      hold(
        port,
        `POST /api/v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${newDevice().authorization}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 65536\r\n\r\n{"items":[',
      ),
    );
    sockets.push(...held);

    // Wait until the server has turned at least one of them away: whatever the attack can fill
    // (the push places, or its own share of the readers) is full from then on.
    for (let i = 0; i < 600 && !held.some((h) => h.answer.startsWith('HTTP/1.1 503')); i++) await new Promise((r) => setTimeout(r, 100));
    const refused = held.filter((h) => h.answer.startsWith('HTTP/1.1 503')).length;
    expect(refused).toBeGreaterThan(0);

    const statuses: number[] = [];
    for (let i = 0; i < PUSHES; i++) statuses.push(await pushFrom(port));
    expect(statuses).toEqual(statuses.map(() => 200));
    // ... and the attack was still holding while they were answered; whom it did not get in with
    // was told to come back later, nothing else.
    expect(held.filter((h) => !h.socket.destroyed && h.answer === '').length).toBeGreaterThan(0);
    expect(held.filter((h) => h.answer !== '' && !h.answer.startsWith('HTTP/1.1 503'))).toEqual([]);

    // Headers that never end are cut by the server (HTTP_HEADERS_TIMEOUT_S), not left to pile up.
    await Promise.all(slowHeaders.map((h) => h.closed));
  });
});

describeEachDialect(
  'floods of the public paths (finding 10)',
  (ctx) => {
    const paths = [
      ['GET', '/api/v1/forms'],
      ['GET', '/api/v1/changes'],
      ['POST', '/api/v1/handoff'],
      ['POST', '/api/v1/uploads'],
    ] as const;

    it.each(paths)('%s %s is limited per network (IPv6 by /64), and other networks go on', async (method, url) => {
      const { app } = ctx();
      const device = newDevice();
      const send = (remoteAddress: string) =>
        app.inject({ method, url, remoteAddress, headers: { authorization: device.authorization, 'tus-resumable': '1.0.0' }, ...(method === 'POST' ? { payload: {} } : {}) });
      const flood: number[] = [];
      // Addresses of one /64: the limit is the network's, not each address's.
      for (let i = 0; i < 8; i++) flood.push((await send(`2001:db8:aa:bb::${(i + 1).toString(16)}`)).statusCode);
      expect(flood.slice(0, 5)).not.toContain(429);
      expect(flood.slice(5)).toEqual([429, 429, 429]);
      const limited = await send('2001:db8:aa:bb:ffff::1');
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect((await send('2001:db8:aa:cc::1')).statusCode).not.toBe(429);
      expect((await send('203.0.113.9')).statusCode).not.toBe(429);
    });
  },
  () => ({
    pathLimits: Object.fromEntries(['forms', 'changes', 'handoff', 'uploads'].map((p) => [p, { max: 5, windowMs: 60_000 }])),
  }),
);
