import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWeakLinkProxy, type WeakLinkProxy } from '../../support/weak-link/proxy.ts';
import { failureCode, send, sleep, startTargetServer, type TargetServer } from './helpers.ts';

const RESET_CODES = ['ECONNRESET', 'EPIPE'];

describe('weak-link proxy: outages', () => {
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

  it('resets new connections while offline and carries traffic again once online', async () => {
    proxy.setOnline(false);
    expect(RESET_CODES).toContain(await failureCode(send(proxy.url, '/')));
    expect(target.seen).toHaveLength(0);
    expect(proxy.stats()).toMatchObject({ online: false, resets: 1 });
    proxy.setOnline(true);
    expect((await send(proxy.url, '/')).status).toBe(200);
  });

  it('resets a request in flight when the link goes down', async () => {
    const pending = failureCode(send(proxy.url, '/slow/1000'));
    await sleep(200);
    proxy.setOnline(false);
    expect(await pending).toBe('ECONNRESET');
    proxy.setOnline(true);
    expect((await send(proxy.url, '/')).status).toBe(200);
  });

  it('follows scheduled outage windows', async () => {
    proxy.scheduleOutages([{ startMs: 300, durationMs: 300 }]);
    expect((await send(proxy.url, '/')).status).toBe(200);
    await sleep(400);
    expect(RESET_CODES).toContain(await failureCode(send(proxy.url, '/')));
    await sleep(300);
    expect((await send(proxy.url, '/')).status).toBe(200);
    expect(proxy.stats().online).toBe(true);
  });

  it("follows a profile's up/down cycle", async () => {
    proxy.setProfile({ name: 'mini-flaky', rttMs: 0, downBps: Infinity, upBps: Infinity, cycle: { upMs: 300, downMs: 300 } });
    await sleep(50);
    expect((await send(proxy.url, '/')).status).toBe(200);
    await sleep(350);
    expect(RESET_CODES).toContain(await failureCode(send(proxy.url, '/')));
    await sleep(300);
    expect((await send(proxy.url, '/')).status).toBe(200);
  });
});

describe('weak-link proxy: outages that hang', () => {
  it('holds connections while offline and lets them finish when the link is back', async () => {
    const target = await startTargetServer();
    const proxy = await startWeakLinkProxy({ target: { host: '127.0.0.1', port: target.port }, whenOffline: 'hang' });
    try {
      proxy.setOnline(false);
      let settled = false;
      const reply = send(proxy.url, '/bytes/100').finally(() => {
        settled = true;
      });
      await sleep(300);
      expect(settled).toBe(false);
      expect(target.seen).toHaveLength(0);
      proxy.setOnline(true);
      expect((await reply).body.length).toBe(100);
      expect(proxy.stats().resets).toBe(0);
    } finally {
      await proxy.close();
      await target.close();
    }
  });
});
