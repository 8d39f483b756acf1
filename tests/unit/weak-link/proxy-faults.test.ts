import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWeakLinkProxy, type WeakLinkProxy } from '../../support/weak-link/proxy.ts';
import { failureCode, send, sleep, startTargetServer, type TargetServer } from './helpers.ts';

describe('weak-link proxy: injected faults', () => {
  let target: TargetServer;
  let proxy: WeakLinkProxy;

  beforeEach(async () => {
    target = await startTargetServer();
    proxy = await startWeakLinkProxy({ target: { host: '127.0.0.1', port: target.port } });
  });

  afterEach(async () => {
    await proxy.close();
    await target.close();
  });

  it('reset-before-commit: the server never gets the whole request, the client sees a reset', async () => {
    proxy.injectFault({ kind: 'reset-before-commit' });
    expect(await failureCode(send(proxy.url, '/push', { body: Buffer.alloc(20_000, 5) }))).toBe('ECONNRESET');
    await sleep(100);
    // By default the head and half the body get through.
    expect(target.seen).toHaveLength(1);
    expect(target.seen[0]).toMatchObject({ complete: false, answered: false });
    expect(target.seen[0]?.bodyBytes).toBeLessThan(20_000);
    expect(proxy.stats()).toMatchObject({ resets: 1, faults: { 'reset-before-commit': 1 } });
    expect((await send(proxy.url, '/')).status).toBe(200);
  });

  it('reset-before-commit can cut inside the head, so the server sees no request at all', async () => {
    proxy.injectFault({ kind: 'reset-before-commit', forwardBytes: 10 });
    expect(await failureCode(send(proxy.url, '/push', { body: Buffer.alloc(1000, 5) }))).toBe('ECONNRESET');
    await sleep(100);
    expect(target.seen).toHaveLength(0);
  });

  it('reset-after-commit: the server handled the request, the client sees a reset', async () => {
    proxy.injectFault({ kind: 'reset-after-commit' });
    expect(await failureCode(send(proxy.url, '/push', { body: Buffer.alloc(5000, 6) }))).toBe('ECONNRESET');
    expect(target.seen).toHaveLength(1);
    expect(target.seen[0]).toMatchObject({ complete: true, bodyBytes: 5000 });
    expect(proxy.stats()).toMatchObject({ resets: 1, faults: { 'reset-after-commit': 1 } });
  });

  it('stall: the response stops long enough for the client to time out', async () => {
    proxy.injectFault({ kind: 'stall', ms: 2000 });
    const started = performance.now();
    expect(await failureCode(send(proxy.url, '/', { timeoutMs: 300 }))).toBe('TIMEOUT');
    expect(performance.now() - started).toBeLessThan(1500);
    expect(target.seen[0]?.answered).toBe(true);
    expect((await send(proxy.url, '/', { timeoutMs: 1000 })).status).toBe(200);
  });

  it('stall: the response resumes intact after the pause, from a chosen byte', async () => {
    proxy.injectFault({ kind: 'stall', ms: 400, afterBytes: 50 });
    const reply = await send(proxy.url, '/bytes/2000');
    expect(reply.body.length).toBe(2000);
    expect(reply.ms).toBeGreaterThanOrEqual(380);
  });

  it('5xx: the client gets 503 and the server never sees the request', async () => {
    proxy.injectFault({ kind: '5xx', next: 2 });
    const replies = [];
    for (let i = 0; i < 3; i += 1) replies.push(await send(proxy.url, '/push', { body: Buffer.alloc(2000, 7) }));
    expect(replies.map((r) => r.status)).toEqual([503, 503, 200]);
    expect(replies[0]?.headers['x-weak-link-fault']).toBe('5xx');
    expect(target.seen).toHaveLength(1);
    proxy.injectFault({ kind: '5xx', status: 502 });
    expect((await send(proxy.url, '/')).status).toBe(502);
    expect(proxy.stats().faults['5xx']).toBe(3);
  });

  it('finds request boundaries on keep-alive connections, chunked bodies included', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      proxy.injectFault({ kind: 'stall', ms: 300, match: (head) => head.target === '/two' });
      proxy.injectFault({ kind: '5xx', match: (head) => head.target === '/four' });
      const one = await send(proxy.url, '/one', { agent, body: Buffer.alloc(3000, 1), chunkedPieces: 700 });
      const two = await send(proxy.url, '/two', { agent });
      const three = await send(proxy.url, '/three', { agent, body: Buffer.alloc(100, 1) });
      // The first three requests shared one connection; only the second was stalled.
      expect(proxy.stats()).toMatchObject({ connections: 1, requests: 3 });
      expect(two.ms).toBeGreaterThanOrEqual(280);
      expect([one.status, two.status, three.status]).toEqual([200, 200, 200]);
      expect(JSON.parse(one.body.toString())).toEqual({ received: 3000 });
      const four = await send(proxy.url, '/four', { agent, body: Buffer.alloc(2000, 1), chunkedPieces: 500 });
      const five = await send(proxy.url, '/five', { agent });
      expect([four.status, five.status]).toEqual([503, 200]);
      expect(target.seen.map((s) => s.url)).toEqual(['/one', '/two', '/three', '/five']);
      expect(proxy.stats().faultLog.map((f) => [f.request, f.kind, f.target])).toEqual([
        [2, 'stall', '/two'],
        [4, '5xx', '/four'],
      ]);
    } finally {
      agent.destroy();
    }
  });

  it('close() ends stalled connections and timers', async () => {
    proxy.injectFault({ kind: 'stall', ms: 60_000 });
    const pending = failureCode(send(proxy.url, '/'));
    await sleep(100);
    const started = performance.now();
    await proxy.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await pending).not.toBe('');
  });
});

describe('weak-link proxy: seeded chaos', () => {
  async function run(seed: number): Promise<{ statuses: number[]; log: number[] }> {
    const target = await startTargetServer();
    const proxy = await startWeakLinkProxy({ target: { host: '127.0.0.1', port: target.port }, seed });
    try {
      proxy.injectFault({ kind: '5xx', probability: 0.5 });
      const statuses: number[] = [];
      for (let i = 0; i < 16; i += 1) statuses.push((await send(proxy.url, '/')).status);
      return { statuses, log: proxy.stats().faultLog.map((f) => f.request) };
    } finally {
      await proxy.close();
      await target.close();
    }
  }

  it('gives the same fault sequence for the same seed', async () => {
    const a = await run(2024);
    const b = await run(2024);
    expect(a).toEqual(b);
    expect(a.statuses).toContain(503);
    expect(a.statuses).toContain(200);
    expect(a.log).toEqual(a.statuses.flatMap((s, i) => (s === 503 ? [i + 1] : [])));
  });
});
