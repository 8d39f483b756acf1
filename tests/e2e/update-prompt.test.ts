// A new version waits for the person: "Versi baru tersedia" appears, nothing reloads on its own,
// and after "Muat ulang" the half-filled draft is still there.
import { cp, appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { launchPhone } from '../support/chromium.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';

const DIST = new URL('../../dist', import.meta.url).pathname;

describe.skipIf(!inject('chromium'))('update prompt', () => {
  let server: ServerProcess;
  let staticDir: string;
  let profile: string;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    staticDir = await mkdtemp(join(tmpdir(), 'jangkau-static-'));
    await cp(DIST, staticDir, { recursive: true });
    server = await startServerProcess({ port: 0, env: { STATIC_DIR: staticDir } });
    profile = await mkdtemp(join(tmpdir(), 'jangkau-phone-'));
  });

  afterAll(async () => {
    await context?.close();
    await server?.stop();
    await rm(profile, { recursive: true, force: true });
    await rm(staticDir, { recursive: true, force: true });
  });

  it('asks before updating and keeps the draft', async () => {
    context = await launchPhone(profile);
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${server.url}/#/ajukan/ppid-permohonan`);
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 30_000 });
    await page.locator('#f-nama').fill('Siti Aminah');
    await page.locator('#f-pekerjaan').fill('Nelayan');
    await page.getByTestId('save-state').getByText('Draf tersimpan').waitFor();

    // Deploy a new version: the worker script changes.
    await appendFile(join(staticDir, 'sw.js'), '\n// release 2\n');
    let reloads = 0;
    page.on('load', () => reloads++);
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    await page.getByText('Versi baru tersedia.').waitFor({ timeout: 30_000 });
    expect(reloads).toBe(0);
    // What the person typed is still on screen while the prompt waits.
    expect(await page.locator('#f-nama').inputValue()).toBe('Siti Aminah');

    await Promise.all([
      page.waitForEvent('load', { timeout: 30_000 }),
      page.getByRole('button', { name: 'Muat ulang' }).click(),
    ]);
    await page.getByRole('link', { name: 'Permohonan saya' }).click();
    await page.getByRole('link', { name: /Lanjutkan|Draf/ }).first().click();
    await expect.poll(() => page.locator('#f-nama').inputValue()).toBe('Siti Aminah');
    expect(await page.locator('#f-pekerjaan').inputValue()).toBe('Nelayan');
    expect(await page.getByText('Versi baru tersedia.').count()).toBe(0);
    expect(reloads).toBe(1);
  });
});
