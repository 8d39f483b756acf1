// Practice mode (latihan) end to end, in Chromium against the real server: a Pantarlih files one
// real coklit entry (the form's tips show on this first open), switches to practice, files one
// practice entry (no tips the second time) under the LATIHAN banner, and syncs. The server keeps
// it flagged: not in the regency operator's inbox, not in the KPI figures nor their CSV, counted in
// the training progress. Switched back, the real list holds the real entry only, and each IndexedDB
// database holds only its own; a practice entry filed without signal and left queued when the
// officer switches back is still sent, as practice.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { latestForms, PUBLISHED_FORMS } from '../../core/forms/catalog/index.ts';
import type { FormDef } from '../../core/forms/definition.ts';
import { periodOf } from '../../core/kpi/periods.ts';
import { SQLITE_FILE_NAME } from '../../server/db/sqlite.ts';
import { launchPhone } from '../support/chromium.ts';
import { createOfficers, logInOnPhone, OFFICER_PASSWORD as PASSWORD, OFFICER_PIN as PIN } from '../support/officer-accounts.ts';
import { fillForm, sampleAnswers } from '../support/form-filler.ts';
import { readDatabase } from '../support/phone-rows.ts';
import { countSubmissions } from '../support/server-db.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';

const REGENCY = '19.01';
const VILLAGE = '19.01.01.1001';

const coklit = latestForms(PUBLISHED_FORMS).find((f) => f.formId === 'coklit-pilkada') as FormDef;

/** The practice flag the server stored for a submission. */
function storedPractice(dataDir: string, id: string): number | undefined {
  const db = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT practice FROM submissions WHERE id = ?').get(id) as { practice: number } | undefined;
    return row?.practice;
  } finally {
    db.close();
  }
}

/** Receipt ids in one of the page's IndexedDB databases, read raw. */
async function receiptIds(page: Page, name: string): Promise<string[]> {
  return ((await readDatabase(page, name)).rows.receipts ?? []).map((r) => String(r.id));
}

describe.skipIf(!inject('chromium'))('practice mode (latihan)', () => {
  let server: ServerProcess;
  const profiles: string[] = [];
  const contexts: BrowserContext[] = [];
  const accountIds: Record<string, string> = {};

  async function api<T>(path: string, token: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: T; text: string }> {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(init.body ? { body: JSON.stringify(init.body) } : {}),
    });
    const text = await res.text();
    let body: T = undefined as T;
    try {
      body = JSON.parse(text) as T;
    } catch {
      // CSV
    }
    return { status: res.status, body, text };
  }

  async function tokenOf(username: string): Promise<string> {
    const res = await api<{ token: string }>('/auth/login', '', { method: 'POST', body: { username, password: PASSWORD, deviceLabel: 'uji' } });
    expect(res.status).toBe(200);
    return res.body.token;
  }

  beforeAll(async () => {
    server = await startServerProcess({ port: 0 });
    Object.assign(
      accountIds,
      await createOfficers(server, [
        { username: 'pantarlih1', role: 'pantarlih', scope: VILLAGE, displayName: 'Uji pantarlih1' },
        { username: 'operator1', role: 'operator', scope: REGENCY, displayName: 'Uji operator1' },
      ]),
    );
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await server?.stop();
    for (const p of profiles) await rm(p, { recursive: true, force: true });
  });

  async function fileCoklit(page: Page): Promise<string> {
    await fillForm(page, coklit, sampleAnswers(coklit));
    await page.getByRole('button', { name: 'Simpan hasil coklit' }).click();
    await page.getByTestId('request-detail').waitFor();
    const id = ((await page.getByTestId('receipt-number').textContent()) ?? '').replace(/-/g, '');
    // Sent and acknowledged: the device's own sync, as the officer would see it.
    await page.locator('[data-testid="request-detail"][data-state="sent"]').waitFor({ timeout: 60_000 });
    return id;
  }

  async function openNewCoklit(page: Page): Promise<void> {
    await page.evaluate(() => (window.location.hash = '#/petugas/lapangan'));
    await page.getByTestId('field-form').and(page.locator(`[data-form="${coklit.formId}"]`)).getByRole('link', { name: /Isi baru/ }).click();
    await page.getByRole('heading', { level: 1, name: coklit.title.id }).waitFor();
  }

  async function requestList(page: Page): Promise<string[]> {
    await page.evaluate(() => (window.location.hash = '#/permohonan'));
    await page.getByRole('heading', { level: 1, name: 'Permohonan saya' }).waitFor();
    return page.getByTestId('request-item').evaluateAll((items) => items.map((i) => i.getAttribute('data-receipt') ?? ''));
  }

  it('keeps practice apart on the phone and out of the figures on the server', { timeout: 240_000 }, async () => {
    const profile = await mkdtemp(join(tmpdir(), 'jangkau-practice-'));
    profiles.push(profile);
    const context = await launchPhone(profile);
    contexts.push(context);
    const page = context.pages()[0] ?? (await context.newPage());
    await logInOnPhone(page, server.url, 'pantarlih1');
    expect(await page.getByTestId('practice-banner').count()).toBe(0);

    // ---- A real entry. First open of the form: its tips, step by step, from its definition.
    await openNewCoklit(page);
    const tips = page.getByTestId('form-tips');
    await tips.getByRole('heading', { name: 'Petunjuk formulir (1 dari 4)' }).waitFor();
    await tips.getByText(coklit.summary.id).waitFor();
    await tips.getByRole('button', { name: 'Berikutnya' }).click();
    await tips.getByRole('heading', { name: 'Yang wajib diisi' }).waitFor();
    const firstRequired = coklit.fields.find((f) => f.required && !f.showIf && !f.requiredIf)!;
    await tips.getByRole('listitem').filter({ hasText: firstRequired.label.id }).first().waitFor();
    await tips.getByRole('button', { name: 'Tutup petunjuk' }).click();
    await page.locator('[data-testid="tips-open"][data-checked="true"]').waitFor();
    expect(await tips.count()).toBe(0);
    // "Petunjuk" opens them again.
    await page.getByRole('button', { name: 'Petunjuk' }).click();
    await tips.getByRole('heading', { name: 'Petunjuk formulir (1 dari 4)' }).waitFor();
    await tips.getByRole('button', { name: 'Tutup petunjuk' }).click();
    const realId = await fileCoklit(page);

    // ---- Practice on: the banner on every screen, the real entry out of sight.
    await page.evaluate(() => (window.location.hash = '#/petugas'));
    await page.getByTestId('practice-switch').getByRole('button', { name: 'Mulai mode latihan' }).click();
    const banner = page.getByTestId('practice-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('LATIHAN');
    expect(await requestList(page)).toEqual([]);
    await banner.waitFor();

    // Second open of the form: no tips this time.
    await openNewCoklit(page);
    await banner.waitFor();
    await page.locator('[data-testid="tips-open"][data-checked="true"]').waitFor();
    expect(await page.getByTestId('form-tips').count()).toBe(0);
    const practiceId = await fileCoklit(page);
    expect(await banner.isVisible()).toBe(true);
    expect(await requestList(page)).toEqual([practiceId]);

    // ---- The server: stored once, flagged; real entry not.
    expect(countSubmissions(server.dataDir, practiceId)).toBe(1);
    expect(storedPractice(server.dataDir, practiceId)).toBe(1);
    expect(storedPractice(server.dataDir, realId)).toBe(0);

    // The regency operator: the inbox lists the real entry only; the KPI figures and their CSV
    // count one coklit entry (the real one); the training progress counts the practice one.
    const operator = await tokenOf('operator1');
    const inbox = await api<{ items: { id: string }[] }>('/inbox?limit=200', operator);
    expect(inbox.status).toBe(200);
    expect(inbox.body.items.map((i) => i.id)).toEqual([realId]);
    expect((await api(`/inbox/${practiceId}`, operator)).status).toBe(404);
    const period = periodOf(new Date().toISOString(), 'year');
    const table = await api<{ rows: { key: string; syncDelay: { count: number } }[] }>(`/kpi/table?period=${period}&by=service`, operator);
    expect(table.status).toBe(200);
    expect(table.body.rows.find((r) => r.key === coklit.formId)?.syncDelay.count).toBe(1);
    const csv = await api(`/kpi/table?period=${period}&by=service&format=csv`, operator);
    const header = csv.text.split('\r\n')[0]!.split(',');
    const line = csv.text.split('\r\n').find((l) => l.startsWith(`${coklit.formId},`));
    // Counted from the end: the label before the figures may hold a quoted comma.
    expect(line?.split(',').at(header.indexOf('sync_delay_count') - header.length)).toBe('1');
    const progress = await api<{ rows: { accountId: string; formId: string; count: number }[] }>('/kpi/practice', operator);
    expect(progress.status).toBe(200);
    expect(progress.body.rows).toEqual([expect.objectContaining({ accountId: accountIds.pantarlih1, formId: coklit.formId, count: 1 })]);

    // ---- Each database on the phone holds its own entry only.
    expect(await receiptIds(page, 'jangkau-latihan')).toEqual([practiceId]);
    expect(await receiptIds(page, 'jangkau')).toEqual([realId]);

    // ---- Practice off: the banner goes, the real list and field progress are as they were.
    await page.evaluate(() => (window.location.hash = '#/petugas'));
    await page.getByTestId('practice-switch').getByRole('button', { name: 'Akhiri mode latihan' }).click();
    await page.getByTestId('practice-switch').getByRole('button', { name: 'Mulai mode latihan' }).waitFor();
    expect(await banner.count()).toBe(0);
    expect(await requestList(page)).toEqual([realId]);
    await page.evaluate(() => (window.location.hash = '#/petugas/lapangan'));
    const field = page.getByTestId('field-form').and(page.locator(`[data-form="${coklit.formId}"]`)).getByTestId('field-progress');
    await expect.poll(() => field.getAttribute('data-filed')).toBe('1');
    expect(await field.getAttribute('data-sent')).toBe('1');
    // ---- Practice filed without signal, then switched back before it went: still sent, as practice.
    await context.setOffline(true);
    await page.evaluate(() => (window.location.hash = '#/petugas'));
    await page.getByTestId('practice-switch').getByRole('button', { name: 'Mulai mode latihan' }).click();
    await banner.waitFor();
    await openNewCoklit(page);
    await fillForm(page, coklit, sampleAnswers(coklit));
    await page.getByRole('button', { name: 'Simpan hasil coklit' }).click();
    await page.locator('[data-testid="request-detail"][data-state="queued"]').waitFor();
    const leftId = ((await page.getByTestId('receipt-number').textContent()) ?? '').replace(/-/g, '');
    await page.evaluate(() => (window.location.hash = '#/petugas'));
    await page.getByTestId('practice-switch').getByRole('button', { name: 'Akhiri mode latihan' }).click();
    await page.getByTestId('practice-switch').getByText('1 isian latihan masih menunggu dikirim').waitFor();
    expect(countSubmissions(server.dataDir, leftId)).toBe(0);
    await context.setOffline(false);
    await page.getByRole('button', { name: 'Kirim sekarang' }).click();
    await expect.poll(() => storedPractice(server.dataDir, leftId), { timeout: 60_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('practice-switch').getByText('menunggu dikirim').count()).toBe(0);
    expect(await requestList(page)).toEqual([realId]);

    // Across a restart of the app, the mode it was left in holds.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Buka dengan PIN' }).waitFor();
    await page.getByLabel('PIN (6 angka)').fill(PIN);
    await page.getByRole('button', { name: 'Buka' }).click();
    expect(await requestList(page)).toEqual([realId]);
    expect(await banner.count()).toBe(0);
  });
});
