// Every service form, with no signal: a resident (or an officer) opens it from the services list,
// fills it the way a person would from its definition alone, and sends it into the queue. When
// the signal returns, every one reaches the province exactly once, and what the province stores
// passes the same validator against the same form version. A form added to PUBLISHED_FORMS is
// covered here without touching this file.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { PUBLISHED_FORMS, findForm, latestForms } from '../../core/forms/catalog/index.ts';
import type { FormDef } from '../../core/forms/definition.ts';
import { fullContext } from '../../core/forms/full-context.ts';
import { validateForm } from '../../core/forms/validate.ts';
import { SQLITE_FILE_NAME } from '../../server/db/sqlite.ts';
import { launchPhone } from '../support/chromium.ts';
import { fillForm, sampleAnswers } from '../support/form-filler.ts';
import { countSubmissions } from '../support/server-db.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { startWeakLinkProxy, type WeakLinkProxy } from '../support/weak-link/proxy.ts';

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
    return db.prepare('SELECT id, form_id, form_version, payload_json FROM submissions').all() as StoredRow[];
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
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    server = await startServerProcess({ port: 0 });
    link = await startWeakLinkProxy({ target: { host: '127.0.0.1', port: server.port } });
    profile = await mkdtemp(join(tmpdir(), 'jangkau-all-forms-'));
  });

  afterAll(async () => {
    await context?.close();
    await link?.close();
    await server?.stop();
    await rm(profile, { recursive: true, force: true });
  });

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
    for (const form of forms) {
      openedBy[form.formId] = await openForm(page, form);
      await fillForm(page, form, sampleAnswers(form));
      await page.getByRole('button', { name: 'Kirim permohonan' }).click();
      const detail = page.getByTestId('request-detail');
      await detail.waitFor();
      expect(await detail.getAttribute('data-state'), form.formId).toBe('queued');
      const id = ((await page.getByTestId('receipt-number').textContent()) ?? '').replace(/-/g, '');
      expect(id, form.formId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
      filed.set(id, form);
    }
    // Every public form is offered to a resident on the services list.
    for (const form of forms) if (form.audience === 'public') expect(openedBy[form.formId], form.formId).toBe('services list');
    expect(filed.size).toBe(forms.length);
    expect(countSubmissions(server.dataDir)).toBe(0);

    // Signal back: the `online` event drains the queue with no tap.
    await page.getByRole('navigation').getByRole('link', { name: 'Permohonan saya' }).click();
    for (const id of filed.keys()) expect(await page.locator(`[data-receipt="${id}"]`).getAttribute('data-state')).toBe('queued');
    await setSignal(true);
    for (const id of filed.keys()) await page.locator(`[data-receipt="${id}"][data-state="sent"]`).waitFor({ timeout: 60_000 });

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
