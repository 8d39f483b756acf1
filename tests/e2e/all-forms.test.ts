// Every service form, with no signal: a resident opens each public form from the services list,
// and a logged-in Pantarlih each officer form on a second phone; each is filled the way a person
// would from its definition alone and sent into the queue. When the signal returns, every one
// reaches the province exactly once, and what the province stores passes the same validator
// against the same form version. A form added to PUBLISHED_FORMS is covered here without
// touching this file.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { PUBLISHED_FORMS, findForm, latestForms } from '../../core/forms/catalog/index.ts';
import type { FormDef } from '../../core/forms/definition.ts';
import { fullContext } from '../../core/forms/full-context.ts';
import { submitLabel } from '../../core/forms/wording.ts';
import { validateForm } from '../../core/forms/validate.ts';
import { SQLITE_FILE_NAME } from '../../server/db/sqlite.ts';
import { launchPhone } from '../support/chromium.ts';
import { fillForm, sampleAnswers } from '../support/form-filler.ts';
import { countSubmissions } from '../support/server-db.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { startWeakLinkProxy, type WeakLinkProxy } from '../support/weak-link/proxy.ts';
import { rawPayloadOpener } from '../support/test-kek.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
const PASSWORD = 'kata-sandi-uji-2026';
const PIN = '274915';

interface StoredRow {
  id: string;
  form_id: string;
  form_version: number;
  payload_json: string;
}

/** What the province holds, read from its SQLite file rather than through its own API. */
function storedSubmissions(dataDir: string): StoredRow[] {
  const db = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true, fileMustExist: true });
  try {
    const open = rawPayloadOpener(db.prepare('SELECT id, wrapped FROM data_keys').all() as { id: string; wrapped: string | null }[]);
    return (db.prepare('SELECT id, form_id, form_version, payload_json FROM submissions').all() as StoredRow[]).map((row) => ({
      ...row,
      payload_json: open(row.id, row.payload_json),
    }));
  } finally {
    db.close();
  }
}

describe.skipIf(!inject('chromium'))('every service form, filed offline', () => {
  let server: ServerProcess;
  // "No signal" is cut in the proxy as well as in Playwright, so the service worker cannot sync
  // behind the test's back either.
  let link: WeakLinkProxy;
  let profile: string;
  let officerProfile: string;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    server = await startServerProcess({ port: 0 });
    link = await startWeakLinkProxy({ target: { host: '127.0.0.1', port: server.port } });
    profile = await mkdtemp(join(tmpdir(), 'jangkau-all-forms-'));
    officerProfile = await mkdtemp(join(tmpdir(), 'jangkau-all-forms-officer-'));
  });

  afterAll(async () => {
    await context?.close();
    await link?.close();
    await server?.stop();
    await rm(profile, { recursive: true, force: true });
    await rm(officerProfile, { recursive: true, force: true });
  });

  /** A Pantarlih account for the village the sample officer answers name, made as an admin would. */
  async function makePantarlih(village: string): Promise<string> {
    await run(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'server', 'cli.ts'), 'create-admin', 'admin'], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATA_DIR: server.dataDir, JANGKAU_ADMIN_PASSWORD: PASSWORD },
    });
    const call = async (path: string, body: unknown, token?: string) => {
      const res = await fetch(`${server.url}/api/v1${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      expect(res.status, path).toBeLessThan(300);
      return (await res.json()) as { token?: string };
    };
    const { token } = await call('/auth/login', { username: 'admin', password: PASSWORD, deviceLabel: 'uji' });
    await call('/admin/accounts', { username: 'pantarlih1', password: PASSWORD, role: 'pantarlih', scope: village, displayName: 'Uji Pantarlih' }, token);
    return 'pantarlih1';
  }

  async function setSignal(on: boolean): Promise<void> {
    link.setOnline(on);
    await context?.setOffline(!on);
  }

  /** Opens a form the way the UI offers it: its card on the services list, else its link. */
  async function openForm(page: Page, form: FormDef): Promise<'services list' | 'route'> {
    await page.getByRole('navigation').getByRole('link', { name: 'Layanan' }).click();
    await page.getByRole('heading', { level: 1, name: 'Pilih layanan' }).waitFor();
    const card = page.getByRole('region', { name: form.title.id, exact: true });
    // The card list renders from IndexedDB; give it a moment before deciding a form is not offered.
    await card.waitFor({ timeout: 5_000 }).catch(() => undefined);
    if ((await card.count()) === 1) {
      await card.getByRole('link').click();
      await page.getByRole('heading', { level: 1, name: form.title.id }).waitFor();
      return 'services list';
    }
    await page.goto(`${link.url}/#/ajukan/${encodeURIComponent(form.formId)}`);
    await page.getByRole('heading', { level: 1, name: form.title.id }).waitFor();
    return 'route';
  }

  it('queues every form with no signal; each arrives once and valid when the signal returns', async () => {
    const forms = latestForms(PUBLISHED_FORMS);
    // More than the PPID form: a catalogue shrunk by mistake must not pass quietly.
    expect(forms.length).toBeGreaterThan(1);

    // First visit online: the worker installs, precaches every chunk and takes control.
    context = await launchPhone(profile);
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${link.url}/`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 30_000 });

    // No signal from here on: the app and every form come from the device.
    await setSignal(false);
    await page.reload();
    await page.getByTestId('connection-state').getByText('Tanpa sinyal').waitFor();

    const filed = new Map<string, FormDef>();
    const openedBy: Record<string, string> = {};
    const publicForms = forms.filter((f) => f.audience === 'public');
    const officerForms = forms.filter((f) => f.audience === 'officer');
    for (const form of publicForms) {
      openedBy[form.formId] = await openForm(page, form);
      await fillForm(page, form, sampleAnswers(form));
      await page.getByRole('button', { name: submitLabel(form).id }).click();
      const detail = page.getByTestId('request-detail');
      await detail.waitFor();
      expect(await detail.getAttribute('data-state'), form.formId).toBe('queued');
      const id = ((await page.getByTestId('receipt-number').textContent()) ?? '').replace(/-/g, '');
      expect(id, form.formId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
      filed.set(id, form);
    }
    // Every public form is offered to a resident on the services list.
    for (const form of publicForms) expect(openedBy[form.formId], form.formId).toBe('services list');
    expect(filed.size).toBe(publicForms.length);
    expect(countSubmissions(server.dataDir)).toBe(0);

    // Signal back: the `online` event drains the queue with no tap.
    await page.getByRole('navigation').getByRole('link', { name: 'Permohonan saya' }).click();
    for (const id of filed.keys()) expect(await page.locator(`[data-receipt="${id}"]`).getAttribute('data-state')).toBe('queued');
    await setSignal(true);
    for (const id of filed.keys()) await page.locator(`[data-receipt="${id}"][data-state="sent"]`).waitFor({ timeout: 60_000 });
    await context.close();

    // The officer forms, on a Pantarlih's phone: logged in once online (officer forms are taken
    // only with an officer's token covering their village), then filed with no signal.
    const villages = new Set(officerForms.map((f) => JSON.stringify(sampleAnswers(f)).match(/"(19\.\d\d\.\d\d\.\d{4})"/)?.[1]));
    expect(villages.size).toBe(1);
    const username = await makePantarlih([...villages][0] ?? '');
    context = await launchPhone(officerProfile);
    const officer = context.pages()[0] ?? (await context.newPage());
    await officer.goto(`${link.url}/#/petugas`);
    await officer.getByRole('heading', { level: 1, name: 'Petugas' }).waitFor();
    await officer.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 30_000 });
    await officer.getByLabel('Nama pengguna').fill(username);
    await officer.getByLabel('Kata sandi').fill(PASSWORD);
    await officer.getByRole('button', { name: 'Masuk' }).click();
    await officer.getByLabel('PIN (6 angka)').fill(PIN);
    await officer.getByLabel('Ulangi PIN').fill(PIN);
    await officer.getByRole('button', { name: 'Simpan PIN' }).click();
    await officer.getByTestId('officer-account').waitFor();
    await setSignal(false);
    const officerFiled: string[] = [];
    for (const form of officerForms) {
      await officer.goto(`${link.url}/#/ajukan/${encodeURIComponent(form.formId)}`);
      await officer.getByRole('heading', { level: 1, name: form.title.id }).waitFor();
      await fillForm(officer, form, sampleAnswers(form));
      await officer.getByRole('button', { name: submitLabel(form).id }).click();
      await officer.getByTestId('request-detail').waitFor();
      const id = ((await officer.getByTestId('receipt-number').textContent()) ?? '').replace(/-/g, '');
      expect(id, form.formId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
      filed.set(id, form);
      officerFiled.push(id);
    }
    expect(countSubmissions(server.dataDir)).toBe(publicForms.length);
    await setSignal(true);
    await officer.getByRole('button', { name: 'Kirim sekarang' }).click().catch(() => undefined);
    await expect.poll(() => officerFiled.every((id) => countSubmissions(server.dataDir, id) === 1), { timeout: 60_000 }).toBe(true);

    // The province holds each exactly once, under its receipt number, and it is valid against
    // the very version the device filled (with the server's own context: regions and today).
    const rows = storedSubmissions(server.dataDir);
    expect(rows.map((r) => r.id).sort()).toEqual([...filed.keys()].sort());
    const context_ = fullContext();
    for (const row of rows) {
      const form = filed.get(row.id)!;
      expect({ formId: row.form_id, version: row.form_version }).toEqual({ formId: form.formId, version: form.version });
      const definition = findForm(PUBLISHED_FORMS, row.form_id, row.form_version);
      expect(definition, `${row.form_id}@${row.form_version}`).toBeDefined();
      const payload: unknown = JSON.parse(row.payload_json);
      expect(validateForm(definition!, payload, context_).errors, row.form_id).toEqual([]);
      // What was typed is what arrived: file references (hash, type, size) and GPS points too.
      expect(payload, row.form_id).toEqual(sampleAnswers(form));
    }
  });
});
