// The lock screen on a 360 px phone (issue #17 point 5): it names the account, says how long to
// wait after wrong PINs (counting down, not a clock time), explains "Lupa PIN?" honestly, and
// "Keluar" leads out: the officer data goes, as the code does it, and a new login works.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchPhone } from '../support/chromium.ts';
import { createOfficers, logInOnPhone, OFFICER_PASSWORD } from '../support/officer-accounts.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';

describe.skipIf(!inject('chromium'))('the lock screen', () => {
  let server: ServerProcess;
  let profile: string;
  let context: BrowserContext | undefined;
  let page: Page;

  beforeAll(async () => {
    server = await startServerProcess({ port: 0 });
    await createOfficers(server, [{ username: 'rahma', role: 'operator', scope: '19', displayName: 'Rahma Wulandari' }]);
    profile = await mkdtemp(join(tmpdir(), 'jangkau-lock-'));
    context = await launchPhone(profile);
    page = context.pages()[0] ?? (await context.newPage());
  });

  afterAll(async () => {
    await context?.close();
    await server?.stop();
    await rm(profile, { recursive: true, force: true });
  });

  async function wrongPin(): Promise<void> {
    await page.getByLabel('PIN (6 angka)').fill('111111');
    await page.getByRole('button', { name: 'Buka', exact: true }).click();
    await page.locator('#pin-unlock-error').waitFor();
    await page.getByTestId('pin-unlock').and(page.locator(':not([aria-busy="true"])')).waitFor();
  }

  it('names the account, counts the wait down, explains a forgotten PIN, and leads out', async () => {
    await logInOnPhone(page, server.url, 'rahma');
    await page.getByRole('button', { name: 'Kunci sekarang' }).click();
    await page.getByRole('heading', { level: 1, name: 'Buka dengan PIN' }).waitFor();
    expect(await page.getByTestId('locked-account').textContent()).toContain('Rahma Wulandari (rahma)');

    // Three wrong PINs: the third asks for a wait, said as a number of seconds that goes down.
    for (let i = 0; i < 3; i++) await wrongPin();
    const error = page.locator('#pin-unlock-error');
    const seconds = async () => Number(/Coba lagi dalam (\d+) detik/.exec((await error.textContent()) ?? '')?.[1] ?? NaN);
    const first = await seconds();
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(30);
    expect(await error.textContent()).not.toMatch(/WIB|setelah/);
    await expect.poll(seconds, { timeout: 10_000 }).toBeLessThan(first);
    expect(await page.getByRole('button', { name: 'Buka', exact: true }).isDisabled()).toBe(true);

    // "Lupa PIN?" explains: log out, log in with the password, and what is lost on this phone.
    await page.getByRole('button', { name: 'Lupa PIN?' }).click();
    const help = page.getByTestId('forgot-pin');
    expect(await help.textContent()).toContain('masuk lagi dengan nama pengguna dan kata sandi');
    expect(await help.textContent()).toContain('belum terkirim');

    // "Keluar": confirmed, the officer data goes and the login form is back.
    await page.getByRole('button', { name: 'Keluar', exact: true }).click();
    await page.getByRole('button', { name: 'Ya, hapus data petugas dan keluar' }).click();
    await page.getByLabel('Nama pengguna').waitFor();
    await page.getByLabel('Nama pengguna').fill('rahma');
    await page.getByLabel('Kata sandi').fill(OFFICER_PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.getByRole('heading', { level: 1, name: 'Buat PIN' }).waitFor();
  });
});
