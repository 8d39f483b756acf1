// The core promise in WebKit, Safari's engine (every browser on an iPhone): Debian's WebKitGTK
// under WebKitWebDriver (tests/support/engines/). Skipped, loudly, where the packages are missing
// (tests/support/e2e-build.ts); CI installs them and must run it.
import { afterAll, beforeAll, describe, inject, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { startWeakLinkProxy, type WeakLinkProxy } from '../support/weak-link/proxy.ts';
import type { EngineDriver } from '../support/engines/driver.ts';
import { launchWebKit } from '../support/engines/webkit.ts';
import * as steps from '../support/engines/core-promise.ts';

describe.skipIf(!inject('webkit'))('WebKit: the core promise', () => {
  let server: ServerProcess;
  let link: WeakLinkProxy;
  let driver: EngineDriver | undefined;

  beforeAll(async () => {
    server = await startServerProcess({ port: 0 });
    link = await startWeakLinkProxy({ target: { host: '127.0.0.1', port: server.port } });
  });

  afterAll(async () => {
    await driver?.close();
    await link?.close();
    await server?.stop();
  });

  it('offline start from the worker, queued with the gaps said, safety copy, photo, reopen, exactly one copy', async () => {
    const province = { link, dataDir: server.dataDir };
    driver = await launchWebKit();
    await steps.openOnline(driver, province);
    await steps.reloadOffline(driver, province);
    const id = await steps.fileRequestOffline(driver, province);
    await steps.checkGapNotices(driver, province, id);
    await steps.saveSafetyCopy(driver, province, id);
    await steps.downscalePhoto(driver);
    // Not through the form here: MiniBrowser's automation session is ephemeral, and WebKit cannot
    // store a Blob in IndexedDB in an ephemeral session (docs/architecture.md, "Engines").
    await steps.reopenOffline(driver, province, id);
    await steps.sendOnceOnline(driver, province, id);
  });
});
