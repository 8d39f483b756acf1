// The core promise in Gecko, Firefox's engine: Debian's Firefox ESR over WebDriver BiDi
// (tests/support/engines/), with a profile directory kept across the browser's restart. Skipped,
// loudly, where Firefox is missing (tests/support/e2e-build.ts); CI installs it and must run it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, inject, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { startWeakLinkProxy, type WeakLinkProxy } from '../support/weak-link/proxy.ts';
import type { EngineDriver } from '../support/engines/driver.ts';
import { launchGecko } from '../support/engines/gecko.ts';
import * as steps from '../support/engines/core-promise.ts';

describe.skipIf(!inject('gecko'))('Gecko: the core promise', () => {
  let server: ServerProcess;
  let link: WeakLinkProxy;
  let profile: string;
  let driver: EngineDriver | undefined;

  beforeAll(async () => {
    server = await startServerProcess({ port: 0 });
    link = await startWeakLinkProxy({ target: { host: '127.0.0.1', port: server.port } });
    profile = await mkdtemp(join(tmpdir(), 'jangkau-firefox-'));
  });

  afterAll(async () => {
    await driver?.close();
    await link?.close();
    await server?.stop();
    await rm(profile, { recursive: true, force: true });
  });

  it('offline start from the worker, queued with the gaps said, safety copy, photo, restart, exactly one copy', async () => {
    const province = { link, dataDir: server.dataDir };
    driver = await launchGecko(profile);
    await steps.openOnline(driver, province);
    await steps.reloadOffline(driver, province);
    const id = await steps.fileRequestOffline(driver, province);
    await steps.checkGapNotices(driver, province, id);
    await steps.saveSafetyCopy(driver, province, id);
    await steps.downscalePhoto(driver);
    await steps.photoThroughForm(driver, province);
    await steps.reopenOffline(driver, province, id);
    await steps.sendOnceOnline(driver, province, id);
  });
});
