import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lowerBoundMs, type WeakLinkProfile } from '../../support/weak-link/profiles.ts';
import { startWeakLinkProxy, type WeakLinkProxy } from '../../support/weak-link/proxy.ts';
import { send, startTargetServer, type TargetServer } from './helpers.ts';

const custom = (p: Partial<WeakLinkProfile>): WeakLinkProfile => ({ name: 'test', rttMs: 0, downBps: Infinity, upBps: Infinity, ...p });

describe('weak-link proxy: latency, bandwidth, byte counts', () => {
  let target: TargetServer;
  let proxy: WeakLinkProxy;
  let agent: http.Agent;

  beforeEach(async () => {
    target = await startTargetServer();
    proxy = await startWeakLinkProxy({ target: { host: '127.0.0.1', port: target.port } });
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  });

  afterEach(async () => {
    agent.destroy();
    await proxy.close();
    await target.close();
  });

  it('passes traffic through untouched on loopback, keep-alive included', async () => {
    const replies = [await send(proxy.url, '/bytes/5000', { agent }), await send(proxy.url, '/', { agent }), await send(proxy.url, '/echo', { agent, body: Buffer.alloc(3000, 1) })];
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(replies[0]?.body.length).toBe(5000);
    expect(JSON.parse(replies[2]?.body.toString() ?? '')).toEqual({ received: 3000 });
    expect(proxy.stats()).toMatchObject({ connections: 1, requests: 3, resets: 0, online: true });
  });

  it('adds a round trip per request and one more for a new connection', async () => {
    proxy.setProfile(custom({ rttMs: 300 }));
    const first = await send(proxy.url, '/', { agent });
    const second = await send(proxy.url, '/', { agent });
    // Handshake + request on a new connection ≈ 2 RTT; a reused connection ≈ 1 RTT.
    expect(first.ms).toBeGreaterThanOrEqual(2 * 300 - 20);
    expect(second.ms).toBeGreaterThanOrEqual(300 - 20);
    expect(second.ms).toBeLessThan(first.ms);
  });

  it('caps download throughput and leaves the other direction alone', async () => {
    proxy.setProfile(custom({ downBps: 400_000 }));
    const download = await send(proxy.url, '/bytes/51200');
    expect(download.body.length).toBe(51_200);
    // 51 200 B × 8 / 400 kbit/s = 1024 ms.
    expect(download.ms).toBeGreaterThanOrEqual(950);
    const upload = await send(proxy.url, '/echo', { body: Buffer.alloc(51_200, 2) });
    expect(upload.ms).toBeLessThan(500);
  });

  it('caps upload throughput and leaves the other direction alone', async () => {
    proxy.setProfile(custom({ upBps: 400_000 }));
    const upload = await send(proxy.url, '/echo', { body: Buffer.alloc(51_200, 2) });
    expect(JSON.parse(upload.body.toString())).toEqual({ received: 51_200 });
    expect(upload.ms).toBeGreaterThanOrEqual(950);
    const download = await send(proxy.url, '/bytes/51200');
    expect(download.ms).toBeLessThan(500);
  });

  it('shares one direction between all connections, like one radio', async () => {
    proxy.setProfile(custom({ downBps: 400_000 }));
    const started = performance.now();
    const replies = await Promise.all([send(proxy.url, '/bytes/25600'), send(proxy.url, '/bytes/25600')]);
    expect(replies.map((r) => r.body.length)).toEqual([25_600, 25_600]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('counts the bytes that crossed the link: payload plus HTTP heads', async () => {
    await send(proxy.url, '/echo', { body: Buffer.alloc(10_000, 3) });
    await send(proxy.url, '/bytes/30000');
    const { bytesUp, bytesDown, requests, connections } = proxy.stats();
    expect(bytesUp).toBeGreaterThanOrEqual(10_000);
    expect(bytesUp).toBeLessThan(10_000 + 600);
    expect(bytesDown).toBeGreaterThanOrEqual(30_000);
    expect(bytesDown).toBeLessThan(30_000 + 600);
    expect({ requests, connections }).toEqual({ requests: 2, connections: 2 });
    proxy.resetStats();
    expect(proxy.stats()).toMatchObject({ bytesUp: 0, bytesDown: 0, requests: 0, connections: 0 });
  });

  it('never beats the physical lower bound, and stays near it', async () => {
    const profile = custom({ rttMs: 200, downBps: 200_000, upBps: 200_000 });
    proxy.setProfile(profile);
    proxy.resetStats();
    await send(proxy.url, '/echo', { agent, body: Buffer.alloc(10_000, 4) });
    await send(proxy.url, '/bytes/20000', { agent });
    const stats = proxy.stats();
    const bound = lowerBoundMs(profile, stats);
    expect(stats.connections).toBe(1);
    expect(bound).toBeGreaterThan(1600);
    expect(stats.elapsedMs).toBeGreaterThanOrEqual(bound - 20);
    expect(stats.elapsedMs).toBeLessThan(2 * bound);
  });
});
