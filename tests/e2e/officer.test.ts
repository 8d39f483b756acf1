// Officers end to end, in Chromium against the real server: a Pantarlih logs in once, sets a PIN,
// loses signal for a simulated week (the page's clock set back: the login a week ago, the field days
// after it), restarts the browser, unlocks with the PIN offline, records 50 coklit entries each with
// its own sticker photo (their NIK and photos unreadable in IndexedDB, each entry sealed to the
// server's key), and syncs when the signal returns: every
// entry and every photo reaches the server's database once. A PPS of another village cannot
// see them through the inbox API; the regency operator sees them in the inbox screen, and answers a
// resident's request there, which reaches the resident's phone (a second profile).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
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
import Database from 'better-sqlite3';
import { domId } from '../../src/features/requests/fields/paths.ts';
import { SQLITE_FILE_NAME } from '../../server/db/sqlite.ts';
import { fillForm, sampleAnswers, sampleFileBytes } from '../support/form-filler.ts';
import { portableBytes, readDatabase } from '../support/phone-rows.ts';
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
const ENTRIES = 50;
const DAY = 24 * 60 * 60 * 1000;


const coklit = latestForms(PUBLISHED_FORMS).find((f) => f.formId === 'coklit-pilkada') as FormDef;
const photoField = coklit.fields.find((f) => f.name === 'fotoStiker')!;

/** The sample sticker photo with one more JPEG comment naming the entry, so each entry's photo is its own. */
function stickerPhoto(entry: number): Buffer {
  const base = sampleFileBytes(photoField);
  const label = Buffer.from(`Stiker coklit rumah nomor ${String(entry).padStart(3, '0')}`, 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xfffe, 0);
  head.writeUInt16BE(label.length + 2, 2);
  const at = base.indexOf(Buffer.from([0xff, 0xdb]));
  return Buffer.concat([base.subarray(0, at), head, label, base.subarray(at)]);
}

interface HeldPhotos {
  refs: { submission_id: string; field: string; sha256: string }[];
  arrived: string[];
}

/** What the server's SQLite holds of the entries' photos: the references and the arrivals. */
function heldPhotos(dataDir: string, ids: readonly string[]): HeldPhotos {
  const db = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true, fileMustExist: true });
  try {
    const marks = ids.map(() => '?').join(',');
    const refs = db.prepare(`SELECT submission_id, field, sha256 FROM submission_attachments WHERE submission_id IN (${marks})`).all(...ids) as HeldPhotos['refs'];
    const shas = [...new Set(refs.map((r) => r.sha256))];
    const arrived = shas.length === 0
      ? []
      : (db.prepare(`SELECT sha256 FROM attachment_arrivals WHERE sha256 IN (${shas.map(() => '?').join(',')})`).all(...shas) as { sha256: string }[]).map((r) => r.sha256);
    return { refs, arrived };
  } finally {
    db.close();
  }
}

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

  // 50 entries typed field by field take most of the run: about 1.5 to 2.5 s each on a busy machine.
  it('runs the officer day', { timeout: 420_000 }, async () => {
    // ---- The Pantarlih: login online once, PIN, then no signal and a browser restart.
    // The device's clock says a week ago: the login, the PIN and the field days are that old when
    // the signal comes back.
    const realNow = Date.now();
    const pantarlih = await phone();
    const { profile } = pantarlih;
    let { context, page } = pantarlih;
    await context.clock.setSystemTime(realNow - 7 * DAY);
    await logInThroughUi(page, 'pantarlih1');
    expect(await page.evaluate(() => Date.now())).toBeLessThan(realNow - 6 * DAY);
    expect(await page.getByTestId('officer-role').textContent()).toBe('Pantarlih');
    expect(await page.getByTestId('officer-region').textContent()).toContain(VILLAGE);

    link.setOnline(false);
    await context.setOffline(true);
    await context.close();
    ({ context, page } = await reopen(profile, { offline: true }));
    await context.clock.setSystemTime(realNow - 6 * DAY);
    await page.goto(`${link.url}/#/petugas/lapangan`);
    await page.getByRole('heading', { level: 1, name: 'Buka dengan PIN' }).waitFor();
    await page.getByLabel('PIN (6 angka)').fill('000001');
    await page.getByRole('button', { name: 'Buka' }).click();
    await page.getByText('PIN salah.').waitFor();
    await page.getByLabel('PIN (6 angka)').fill(PIN);
    await page.getByRole('button', { name: 'Buka' }).click();
    await page.getByRole('heading', { level: 1, name: 'Pendataan lapangan' }).waitFor();

    // ---- Coklit entries, offline, each with its own sticker photo.
    const ids: string[] = [];
    const niks: string[] = [];
    const photoShas = new Set<string>();
    const { fotoStiker: _photo, ...answers } = sampleAnswers(coklit);
    for (let i = 0; i < ENTRIES; i++) {
      const nik = `190102450190${String(i + 1000)}`;
      niks.push(nik);
      await page.evaluate(() => (window.location.hash = '#/petugas/lapangan'));
      await page.getByTestId('field-form').and(page.locator(`[data-form="${coklit.formId}"]`)).getByRole('link', { name: /Isi baru/ }).click();
      await page.getByRole('heading', { level: 1, name: coklit.title.id }).waitFor();
      await fillForm(page, coklit, { ...answers, nik });
      const photo = stickerPhoto(i);
      photoShas.add(createHash('sha256').update(photo).digest('hex'));
      await page.locator(`[id="${domId('fotoStiker')}"]`).setInputFiles({ name: `stiker-${i}.jpg`, mimeType: 'image/jpeg', buffer: photo });
      await page.getByText(/Terpilih:/).first().waitFor();
      await page.getByRole('button', { name: 'Simpan hasil coklit' }).click();
      await page.getByTestId('request-detail').waitFor();
      ids.push(((await page.getByTestId('receipt-number').textContent()) ?? '').replace(/-/g, ''));
    }
    await page.evaluate(() => (window.location.hash = '#/petugas/lapangan'));
    const progress = page.getByTestId('field-form').and(page.locator(`[data-form="${coklit.formId}"]`)).getByTestId('field-progress');
    await expect.poll(() => progress.getAttribute('data-waiting')).toBe(String(ENTRIES));

    // What IndexedDB holds, read raw in the browser: no NIK, no name in the clear; every entry
    // sealed to the server's key; every photo and preview sealed, none of its bytes (each carries
    // its own label) readable.
    const { text, rows } = await readDatabase(page);
    const label = Buffer.from('Stiker coklit rumah nomor');
    let plainFiles = 0;
    let labelled = 0;
    let fileBytes = 0;
    for (const row of rows.attachments ?? []) {
      for (const file of [row.blob, row.thumb]) {
        if (file === undefined) continue;
        const { bytes, plainFile } = portableBytes((file as Record<string, unknown>)['~sealed'] ?? file);
        if (plainFile) plainFiles++;
        fileBytes += bytes.length;
        if (bytes.includes(label)) labelled++;
      }
    }
    const outbox = (rows.outbox ?? []).map((r) => r.envelope as Record<string, unknown>);
    const stored = {
      text,
      sealedToServer: outbox.filter((e) => typeof e.sealed === 'string' && e.sealed.length > 0).length,
      files: (rows.attachments ?? []).length,
      plainFiles,
      labelled,
      fileBytes,
      lastOutcome: (rows.meta ?? []).find((r) => r.key === 'lastSyncOutcome')?.value,
    };
    expect(stored.text).toContain('~sealed');
    for (const nik of niks) expect(stored.text).not.toContain(nik);
    expect(stored.sealedToServer).toBe(ENTRIES);
    expect(stored.files).toBe(ENTRIES);
    expect(stored.fileBytes).toBeGreaterThan(ENTRIES * sampleFileBytes(photoField).length);
    expect(stored.plainFiles).toBe(0);
    expect(stored.labelled).toBe(0);
    // The tries without signal were counted as such (offline), not as a storage failure.
    expect(stored.lastOutcome).toBe('offline');
    expect(countSubmissions(server.dataDir)).toBe(0);

    // ---- A week later the signal is back: the device's clock is today again, the stored token
    // still opens the server, and the queue goes, entries and photos.
    await context.clock.setSystemTime(Date.now());
    link.setOnline(true);
    await context.setOffline(false);
    await page.getByRole('button', { name: 'Kirim sekarang' }).click().catch(() => undefined);
    await expect.poll(() => progress.getAttribute('data-sent'), { timeout: 120_000 }).toBe(String(ENTRIES));
    expect(new Set(ids).size).toBe(ENTRIES);
    for (const id of ids) expect(countSubmissions(server.dataDir, id)).toBe(1);
    expect(countSubmissions(server.dataDir)).toBe(ENTRIES);
    // Every entry refers to its own photo, and every photo has arrived (once: the arrival is keyed
    // by its sha256), byte for byte what the officer picked.
    await expect.poll(() => heldPhotos(server.dataDir, ids).arrived.length, { timeout: 120_000 }).toBe(ENTRIES);
    const held = heldPhotos(server.dataDir, ids);
    expect(held.refs).toHaveLength(ENTRIES);
    expect(held.refs.every((r) => r.field === 'fotoStiker')).toBe(true);
    expect(new Set(held.refs.map((r) => r.sha256))).toEqual(photoShas);
    expect(new Set(held.arrived)).toEqual(photoShas);
    for (const sha of photoShas) expect(existsSync(join(server.dataDir, 'uploads', sha))).toBe(true);
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
    // 51 requests fill more than one page of the list: the operator loads the rest.
    const listed = operator.page.getByTestId('inbox-item');
    const loadMore = operator.page.getByRole('button', { name: 'Tampilkan lebih banyak' });
    await listed.first().waitFor();
    while (await loadMore.isVisible()) {
      const shown = await listed.count();
      await loadMore.click();
      await expect.poll(() => listed.count()).toBeGreaterThan(shown);
    }
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

    // ---- An admin resets the operator's forgotten password: every device of the account is logged
    // out (401 token_revoked, no wipe), the next sync says "Perlu masuk ulang", the officer screen
    // offers the login again, and after it the device syncs.
    const newPassword = 'kata-sandi-baru-2026';
    expect((await api('POST', `/admin/accounts/${accountIds.operator1}/password`, { newPassword }, admin)).status).toBe(200);
    await operator.page.getByRole('button', { name: 'Kirim sekarang' }).click();
    await operator.page.getByTestId('connection-state').getByText('Perlu masuk ulang').waitFor({ timeout: 30_000 });
    await operator.page.goto(`${link.url}/#/petugas`);
    await operator.page.getByTestId('needs-relogin').waitFor();
    await operator.page.getByLabel('Kata sandi').fill(newPassword);
    await operator.page.getByRole('button', { name: 'Masuk' }).click();
    await operator.page.getByTestId('needs-relogin').waitFor({ state: 'detached' });
    await operator.page.getByTestId('connection-state').getByText('Tersinkron').waitFor({ timeout: 30_000 });

    // ---- Then the phone is lost: the admin revokes it (401 token_revoked_wipe). Its next sync
    // erases the officer's data: the PIN lock and the token are gone, the officer screen shows the
    // plain login.
    const devices = await api<{ devices: { id: string; revoked: boolean }[] }>('GET', `/admin/accounts/${accountIds.operator1}/devices`, undefined, admin);
    for (const d of devices.body.devices.filter((x) => !x.revoked)) {
      const revoked = await api<{ wipeOnContact: boolean }>('POST', `/admin/devices/${d.id}/revoke`, {}, admin);
      expect([revoked.status, revoked.body.wipeOnContact]).toEqual([200, true]);
    }
    await operator.page.getByRole('button', { name: 'Kirim sekarang' }).click();
    await operator.page.getByTestId('connection-state').getByText('Perlu masuk ulang').waitFor({ timeout: 30_000 });
    await operator.page.goto(`${link.url}/#/petugas`);
    await operator.page.getByTestId('officer-login').waitFor();
    const officerKeys = await operator.page.evaluate(
      () =>
        new Promise<string[]>((resolve, reject) => {
          const open = indexedDB.open('jangkau');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const read = open.result.transaction('meta').objectStore('meta').getAllKeys();
            read.onsuccess = () => resolve((read.result as string[]).filter((k) => k === 'officerPinLock' || k === 'officerSession'));
            read.onerror = () => reject(read.error);
          };
        }),
    );
    expect(officerKeys).toEqual([]);
  });
});
