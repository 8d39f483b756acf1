// The coklit assignment end to end, in Chromium against the real server: the province admin
// uploads a TPS voter list (CSV); a Pantarlih logs in, downloads it (audited on the server), loses
// signal, opens a voter and finds the coklit form prefilled from the list, with the list and the
// draft unreadable in IndexedDB. Back online, the Pantarlih changes the password: the account's
// other device is logged out, this one stays.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { domId } from '../../src/features/requests/fields/paths.ts';
import { launchPhone } from '../support/chromium.ts';
import { createOfficers, logInOnPhone, OFFICER_PASSWORD as PASSWORD } from '../support/officer-accounts.ts';
import { readDatabase } from '../support/phone-rows.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';

const VILLAGE = '19.01.01.1001';
const NEW_PASSWORD = 'kata-sandi-baru-2026';
const SITI = { nik: '1901024501900001', nama: 'Siti Aminah' };
const RINA = { nik: '1901026902040001', nama: 'Rina Marlina' };
const CSV =
  'desa,tps,nik,kk,nama,jenisKelamin,tempatLahir,tanggalLahir,alamat,rt,rw\r\n' +
  `${VILLAGE},003,${SITI.nik},1901020101200001,${SITI.nama},P,Mentok,1990-01-05,Jl. Pelabuhan No. 4,002,001\r\n` +
  `${VILLAGE},003,${RINA.nik},1901020101200001,${RINA.nama},P,Mentok,2004-02-29,Jl. Pelabuhan No. 4,002,001\r\n`;

describe.skipIf(!inject('chromium'))('coklit assignment: download, offline, prefilled record', () => {
  let server: ServerProcess;
  let context: BrowserContext | undefined;
  let profile = '';

  async function api(method: string, path: string, init: { token?: string; json?: unknown; csv?: string } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: {
        ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(init.csv !== undefined ? { 'content-type': 'text/csv' } : {}),
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      },
      ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : init.csv !== undefined ? { body: init.csv } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  async function tokenOf(username: string, password = PASSWORD): Promise<string> {
    const res = await api('POST', '/auth/login', { json: { username, password, deviceLabel: 'uji' } });
    expect(res.status).toBe(200);
    return res.body.token as string;
  }

  beforeAll(async () => {
    server = await startServerProcess({ port: 0 });
    await createOfficers(server, [{ username: 'pantarlih1', role: 'pantarlih', scope: VILLAGE, displayName: 'Uji Pantarlih' }]);
    const admin = await tokenOf('admin');
    const uploaded = await api('POST', '/assignments', { token: admin, csv: CSV });
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(200);
    profile = await mkdtemp(join(tmpdir(), 'jangkau-assignment-'));
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await server?.stop();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('downloads the list, opens a voter offline prefilled, and changes the password', { timeout: 150_000 }, async () => {
    context = await launchPhone(profile);
    const page = context.pages()[0] ?? (await context.newPage());
    await logInOnPhone(page, server.url, 'pantarlih1');
    // The worker controls the page before the signal goes.
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 30_000 });

    // ---- Download, online.
    await page.evaluate(() => (window.location.hash = '#/petugas/lapangan'));
    await page.getByRole('heading', { level: 1, name: 'Pendataan lapangan' }).waitFor();
    await page.getByRole('button', { name: 'Unduh daftar pemilih' }).click();
    await expect.poll(() => page.getByTestId('assignment-notice').textContent()).toContain('2 pemilih dari 1 TPS');
    const progress = page.getByTestId('assignment-progress');
    expect(await progress.getAttribute('data-visited')).toBe('0');
    expect(await progress.getAttribute('data-remaining')).toBe('2');

    // The server wrote the download into the audit log.
    const audit = await api('GET', '/audit?limit=500', { token: await tokenOf('admin') });
    const downloads = (audit.body.entries as { action: string; actorRole: string; regionCode: string }[]).filter((e) => e.action === 'assignment.download');
    expect(downloads).toEqual([expect.objectContaining({ actorRole: 'pantarlih', regionCode: VILLAGE })]);

    // ---- No signal: the list is on the device; a voter opens the coklit form prefilled.
    await context.setOffline(true);
    await page.getByTestId('assignment-voter').filter({ hasText: SITI.nama }).click();
    await page.getByRole('heading', { level: 1, name: 'Coklit Pemilih (Pilkada)' }).waitFor();
    await expect.poll(() => page.locator(`[id="${domId('nama')}"]`).inputValue()).toBe(SITI.nama);
    expect(await page.locator(`[id="${domId('nik')}"]`).inputValue()).toBe(SITI.nik);
    expect(await page.locator(`[id="${domId('tps')}"]`).inputValue()).toBe('003');
    expect(await page.locator(`[id="${domId('rt')}"]`).inputValue()).toBe('002');
    await page.evaluate(() => (window.location.hash = '#/petugas/lapangan'));
    await expect
      .poll(() => page.getByTestId('assignment-voter').filter({ hasText: SITI.nama }).getAttribute('data-state'))
      .toBe('started');

    // IndexedDB, read raw: neither voter's NIK or name in the clear, in the list or the draft.
    const stored = await readDatabase(page);
    expect(stored.rows.assignment).toHaveLength(2);
    for (const secret of [SITI.nik, SITI.nama, RINA.nik, RINA.nama]) expect(stored.text).not.toContain(secret);

    // ---- Signal back: change the password; the account's other device is logged out.
    await context.setOffline(false);
    const otherDevice = await tokenOf('pantarlih1');
    await page.evaluate(() => (window.location.hash = '#/petugas'));
    await page.getByTestId('password-change').locator('summary').click();
    await page.getByLabel('Kata sandi sekarang').fill('bukan-kata-sandinya');
    await page.getByLabel('Kata sandi baru', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Ulangi kata sandi baru').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Simpan kata sandi baru' }).click();
    await page.getByText('Kata sandi sekarang salah.').waitFor();
    await page.getByLabel('Kata sandi sekarang').fill(PASSWORD);
    await page.getByRole('button', { name: 'Simpan kata sandi baru' }).click();
    // The server checks the current password and hashes the new one (two scrypt runs, seconds on a
    // loaded machine): wait for the result to be shown, then read it.
    await page.getByTestId('password-result').waitFor();
    expect(await page.getByTestId('password-result').textContent()).toContain('1 perangkat lain dikeluarkan');
    expect((await api('GET', '/auth/me', { token: otherDevice })).status).toBe(401);
    expect((await api('POST', '/auth/login', { json: { username: 'pantarlih1', password: NEW_PASSWORD, deviceLabel: 'uji' } })).status).toBe(200);
    // This device keeps its token: the list downloads again.
    await page.evaluate(() => (window.location.hash = '#/petugas/lapangan'));
    await page.getByRole('button', { name: 'Unduh ulang' }).click();
    await expect.poll(() => page.getByTestId('assignment-notice').textContent()).toContain('2 pemilih dari 1 TPS');
    expect(await page.getByTestId('assignment-voter').filter({ hasText: SITI.nama }).getAttribute('data-state')).toBe('started');
  });
});
