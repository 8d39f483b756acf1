// Officers end to end, in Chromium against the real server: a Pantarlih logs in once, sets a PIN,
// loses signal, restarts the browser, unlocks with the PIN offline, records coklit entries (their
// NIK unreadable in IndexedDB), and syncs when the signal returns. A PPS of another village cannot
// see them through the inbox API; the regency operator sees them in the inbox screen, and answers a
// resident's request there, which reaches the resident's phone (a second profile).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { latestForms, PUBLISHED_FORMS } from '../../core/forms/catalog/index.ts';
import { ppidPermohonanV1 } from '../../core/forms/catalog/ppid-permohonan.ts';
import type { FormDef } from '../../core/forms/definition.ts';
import { launchPhone } from '../support/chromium.ts';
import { fillForm, sampleAnswers } from '../support/form-filler.ts';
import { countSubmissions } from '../support/server-db.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { startWeakLinkProxy, type WeakLinkProxy } from '../support/weak-link/proxy.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

const REGENCY = '19.01';
const VILLAGE = '19.01.01.1001';
const OTHER_VILLAGE = '19.01.01.1002';
const PASSWORD = 'kata-sandi-uji-2026';
const PIN = '274915';
const ENTRIES = 3;

const coklit = latestForms(PUBLISHED_FORMS).find((f) => f.formId === 'coklit-pilkada') as FormDef;

describe.skipIf(!inject('chromium'))('officers: field work offline, inbox in scope, answers reach residents', () => {
  let server: ServerProcess;
  let link: WeakLinkProxy;
  const profiles: string[] = [];
  const contexts: BrowserContext[] = [];
  let admin = '';
  const accountIds: Record<string, string> = {};

  async function api<T>(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: T }> {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  async function tokenOf(username: string): Promise<string> {
    const res = await api<{ token: string }>('POST', '/auth/login', { username, password: PASSWORD, deviceLabel: 'uji' });
    expect(res.status).toBe(200);
    return res.body.token;
  }

  async function phone(options: { offline?: boolean } = {}): Promise<{ context: BrowserContext; page: Page; profile: string }> {
    const profile = await mkdtemp(join(tmpdir(), 'jangkau-officer-'));
    profiles.push(profile);
    return reopen(profile, options);
  }

  async function reopen(profile: string, options: { offline?: boolean } = {}): Promise<{ context: BrowserContext; page: Page; profile: string }> {
    const context = await launchPhone(profile, options);
    contexts.push(context);
    const page = context.pages()[0] ?? (await context.newPage());
    return { context, page, profile };
  }

  async function logInThroughUi(page: Page, username: string): Promise<void> {
    await page.goto(`${link.url}/#/petugas`);
    await page.getByRole('heading', { level: 1, name: 'Petugas' }).waitFor();
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 30_000 });
    await page.getByLabel('Nama pengguna').fill(username);
    await page.getByLabel('Kata sandi').fill(PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.getByRole('heading', { level: 1, name: 'Buat PIN' }).waitFor();
    // A weak PIN is refused beside the field.
    await page.getByLabel('PIN (6 angka)').fill('123456');
    await page.getByLabel('Ulangi PIN').fill('123456');
    await page.getByRole('button', { name: 'Simpan PIN' }).click();
    await page.getByText('PIN terlalu mudah ditebak').waitFor();
    await page.getByLabel('PIN (6 angka)').fill(PIN);
    await page.getByLabel('Ulangi PIN').fill(PIN);
    await page.getByRole('button', { name: 'Simpan PIN' }).click();
    await page.getByTestId('officer-account').waitFor();
  }

  beforeAll(async () => {
    server = await startServerProcess({ port: 0 });
    link = await startWeakLinkProxy({ target: { host: '127.0.0.1', port: server.port } });
    await run(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'server', 'cli.ts'), 'create-admin', 'admin'], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATA_DIR: server.dataDir, JANGKAU_ADMIN_PASSWORD: PASSWORD },
    });
    admin = await tokenOf('admin');
    for (const [username, role, scope] of [
      ['pantarlih1', 'pantarlih', VILLAGE],
      ['pps2', 'pps', OTHER_VILLAGE],
      ['operator1', 'operator', REGENCY],
    ] as const) {
      const res = await api<{ id: string }>('POST', '/admin/accounts', { username, password: PASSWORD, role, scope, displayName: `Uji ${username}` }, admin);
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
      accountIds[username] = res.body.id;
    }
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await link?.close();
    await server?.stop();
    for (const p of profiles) await rm(p, { recursive: true, force: true });
  });

  it('runs the officer day', async () => {
    // ---- The Pantarlih: login online once, PIN, then no signal and a browser restart.
    const pantarlih = await phone();
    const { profile } = pantarlih;
    let { context, page } = pantarlih;
    await logInThroughUi(page, 'pantarlih1');
    expect(await page.getByTestId('officer-role').textContent()).toBe('Pantarlih');
    expect(await page.getByTestId('officer-region').textContent()).toContain(VILLAGE);

    link.setOnline(false);
    await context.setOffline(true);
    await context.close();
    ({ context, page } = await reopen(profile, { offline: true }));
    await page.goto(`${link.url}/#/petugas/lapangan`);
    await page.getByRole('heading', { level: 1, name: 'Buka dengan PIN' }).waitFor();
    await page.getByLabel('PIN (6 angka)').fill('000001');
    await page.getByRole('button', { name: 'Buka' }).click();
    await page.getByText('PIN salah.').waitFor();
    await page.getByLabel('PIN (6 angka)').fill(PIN);
    await page.getByRole('button', { name: 'Buka' }).click();
    await page.getByRole('heading', { level: 1, name: 'Pendataan lapangan' }).waitFor();

    // ---- Coklit entries, offline.
    const ids: string[] = [];
    const niks: string[] = [];
    for (let i = 0; i < ENTRIES; i++) {
      const nik = `19010245019000${String(i + 10)}`;
      niks.push(nik);
      await page.evaluate(() => (window.location.hash = '#/petugas/lapangan'));
      await page.getByTestId('field-form').and(page.locator(`[data-form="${coklit.formId}"]`)).getByRole('link', { name: /Isi baru/ }).click();
      await page.getByRole('heading', { level: 1, name: coklit.title.id }).waitFor();
      await fillForm(page, coklit, { ...sampleAnswers(coklit), nik });
      await page.getByRole('button', { name: 'Kirim permohonan' }).click();
      await page.getByTestId('request-detail').waitFor();
      ids.push(((await page.getByTestId('receipt-number').textContent()) ?? '').replace(/-/g, ''));
    }
    await page.evaluate(() => (window.location.hash = '#/petugas/lapangan'));
    const progress = page.getByTestId('field-form').and(page.locator(`[data-form="${coklit.formId}"]`)).getByTestId('field-progress');
    await expect.poll(() => progress.getAttribute('data-waiting')).toBe(String(ENTRIES));

    // What IndexedDB holds, read raw in the browser: no NIK, no name in the clear.
    const stored = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open('jangkau');
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      const names = [...db.objectStoreNames];
      const rows = await Promise.all(
        names.map(
          (name) =>
            new Promise<unknown[]>((resolve) => {
              const req = db.transaction(name).objectStore(name).getAll();
              req.onsuccess = () => resolve(req.result as unknown[]);
            }),
        ),
      );
      db.close();
      return JSON.stringify(rows);
    });
    expect(stored).toContain('~sealed');
    for (const nik of niks) expect(stored).not.toContain(nik);
    expect(countSubmissions(server.dataDir)).toBe(0);

    // ---- Signal back: the queue goes with the officer's token.
    link.setOnline(true);
    await context.setOffline(false);
    await page.getByRole('button', { name: 'Kirim sekarang' }).click().catch(() => undefined);
    await expect.poll(() => progress.getAttribute('data-sent'), { timeout: 30_000 }).toBe(String(ENTRIES));
    for (const id of ids) expect(countSubmissions(server.dataDir, id)).toBe(1);
    await context.close();

    // ---- A PPS of another village sees none of them.
    const pps = await tokenOf('pps2');
    const ppsList = await api<{ items: { id: string }[] }>('GET', '/inbox?limit=200', undefined, pps);
    expect(ppsList.status).toBe(200);
    expect(ppsList.body.items.filter((item) => ids.includes(item.id))).toEqual([]);
    expect((await api('GET', `/inbox/${ids[0]}`, undefined, pps)).status).toBe(404);

    // ---- A resident files a PPID request to the regency's KPU.
    const resident = await phone();
    await resident.page.goto(`${link.url}/#/ajukan/${ppidPermohonanV1.formId}`);
    await resident.page.getByRole('heading', { level: 1, name: ppidPermohonanV1.title.id }).waitFor();
    await fillForm(resident.page, ppidPermohonanV1, { ...sampleAnswers(ppidPermohonanV1), ditujukanKepada: REGENCY });
    await resident.page.getByRole('button', { name: 'Kirim permohonan' }).click();
    await resident.page.getByTestId('request-detail').waitFor();
    const requestId = ((await resident.page.getByTestId('receipt-number').textContent()) ?? '').replace(/-/g, '');
    await resident.page.locator('[data-testid="request-detail"][data-state="sent"]').waitFor({ timeout: 30_000 });

    // ---- The regency operator, through the screens: sees the coklit entries and answers.
    const operator = await phone();
    await logInThroughUi(operator.page, 'operator1');
    await operator.page.getByRole('link', { name: 'Kotak masuk permohonan' }).click();
    await operator.page.getByTestId('inbox-list').waitFor();
    for (const id of [...ids, requestId]) await operator.page.locator(`[data-testid="inbox-item"][data-id="${id}"]`).waitFor();
    await operator.page.locator(`[data-testid="inbox-item"][data-id="${requestId}"] a`).click();
    await operator.page.getByTestId('request-data').waitFor();
    await operator.page.getByLabel('Status baru').selectOption('selesai');
    await operator.page.getByRole('button', { name: 'Simpan status' }).click();
    await operator.page.getByText('Isi jawaban untuk pemohon.').waitFor();
    const answer = 'Salinan DPT Desa Kelabat kami kirim ke alamat email Anda.';
    await operator.page.getByLabel('Jawaban untuk pemohon').fill(answer);
    await operator.page.getByRole('button', { name: 'Simpan status' }).click();
    await operator.page.getByTestId('status-outcome').getByText('Status disimpan: Selesai.').waitFor();

    // ---- The answer reaches the resident's phone on its next sync.
    await resident.page.getByRole('button', { name: 'Kirim sekarang' }).click();
    await resident.page.getByTestId('answer').getByText(answer).waitFor({ timeout: 30_000 });

    // ---- The admin revokes the operator's device: the next sync says "Perlu masuk ulang", the
    // officer screen offers the login again, and after it the device syncs.
    const devices = await api<{ devices: { id: string; revoked: boolean }[] }>('GET', `/admin/accounts/${accountIds.operator1}/devices`, undefined, admin);
    for (const d of devices.body.devices.filter((x) => !x.revoked)) {
      expect((await api('POST', `/admin/devices/${d.id}/revoke`, {}, admin)).status).toBe(200);
    }
    await operator.page.getByRole('button', { name: 'Kirim sekarang' }).click();
    await operator.page.getByTestId('connection-state').getByText('Perlu masuk ulang').waitFor({ timeout: 30_000 });
    await operator.page.goto(`${link.url}/#/petugas`);
    await operator.page.getByTestId('needs-relogin').waitFor();
    await operator.page.getByLabel('Kata sandi').fill(PASSWORD);
    await operator.page.getByRole('button', { name: 'Masuk' }).click();
    await operator.page.getByTestId('needs-relogin').waitFor({ state: 'detached' });
    await operator.page.getByTestId('connection-state').getByText('Tersinkron').waitFor({ timeout: 30_000 });
  });
});
