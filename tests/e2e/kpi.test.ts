// The KPI dashboard in Chromium against the real server holding generated data: the province
// admin sees every unit, a regency operator only their regency, a bad period is refused beside the
// field, and the CSV the dashboard downloads holds the rows and figures of the table on screen.
// A Pantarlih's practice (latihan) record shows in the operator's training-progress table only.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { openPreparedDatabase } from '../../server/db/prepare.ts';
import { coklit as coklitRecord } from '../server/auth-fixtures.ts';
import { upsertTpsAssignments } from '../../server/repositories/kpi.ts';
import { launchPhone } from '../support/chromium.ts';
import { apiToken, createOfficers, logInOnPhone, OFFICER_PASSWORD as PASSWORD } from '../support/officer-accounts.ts';
import { allTpsSizes, generateSubmissions } from '../support/seed/generator.ts';
import { loadSeed } from '../support/seed/load-db.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe.skipIf(!inject('chromium'))('KPI dashboard: scope per role, CSV equals the table', () => {
  let server: ServerProcess;
  let dataDir: string;
  let adminToken: string;
  const profiles: string[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'jangkau-kpi-'));
    const opened = await openPreparedDatabase({ dataDir });
    await loadSeed(opened.db, generateSubmissions({ count: 1500, seed: 11, from: '2025-01-01T00:00:00+07:00', days: 365 }));
    await upsertTpsAssignments(opened.db, allTpsSizes(), new Date().toISOString());
    await opened.close();
    server = await startServerProcess({ port: 0, dataDir });
    await createOfficers(server, [{ username: 'operator1', role: 'operator', scope: '19.01', displayName: 'Uji operator' }]);
    adminToken = await apiToken(server, 'admin');
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await server?.stop();
    for (const p of profiles) await rm(p, { recursive: true, force: true });
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function dashboardAs(username: string): Promise<Page> {
    const profile = await mkdtemp(join(tmpdir(), 'jangkau-kpi-phone-'));
    profiles.push(profile);
    const context = await launchPhone(profile);
    contexts.push(context);
    const page = context.pages()[0] ?? (await context.newPage());
    await logInOnPhone(page, server.url, username);
    await page.getByRole('link', { name: 'Kinerja layanan' }).click();
    await page.getByRole('heading', { level: 1, name: 'Kinerja layanan' }).waitFor();
    // A malformed period is refused beside the field; a year is shown.
    await page.getByLabel('Periode').fill('2025-13');
    await page.getByRole('button', { name: 'Tampilkan' }).click();
    await page.getByText('Periode tidak valid').waitFor();
    await page.getByLabel('Periode').fill('2025');
    await page.getByRole('button', { name: 'Tampilkan' }).click();
    await page.getByText('Periode 2025,').waitFor();
    return page;
  }

  async function unitKeys(page: Page): Promise<string[]> {
    return page.getByTestId('kpi-units').locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key') ?? ''));
  }

  it('the province sees every unit; the CSV holds the table’s rows and figures', async () => {
    const page = await dashboardAs('admin');
    expect(await unitKeys(page)).toEqual(['19', '19.01', '19.02', '19.03', '19.04', '19.05', '19.06', '19.71']);
    await page.getByTestId('kpi-islands').waitFor();
    await page.getByTestId('kpi-coklit').waitFor();
    // KPI_SCREENSHOTS=docs also saves the screen at desktop and phone width (docs/kpi-dashboard-*.png).
    const shots = process.env.KPI_SCREENSHOTS;
    if (shots) {
      for (const [name, width, height] of [['desktop', 1280, 900], ['360', 360, 780]] as const) {
        await page.setViewportSize({ width, height });
        await page.screenshot({ path: join(REPO_ROOT, shots, `kpi-dashboard-${name}.png`), fullPage: true });
      }
    }

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('kpi-units-csv').click()]);
    expect(download.suggestedFilename()).toBe('kpi-units-2025.csv');
    const csv = (await readFile((await download.path()) as string, 'utf8')).trimEnd().split('\r\n');
    const header = csv[0]!.split(',');
    const rows = csv.slice(1).map((line) => line.split(','));
    const screen = await page
      .getByTestId('kpi-units')
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-key'), ...[...tr.querySelectorAll('td')].map((td) => td.textContent)]));
    expect(rows.map((r) => r[0])).toEqual(screen.map((r) => r[0]));
    for (const [i, row] of rows.entries()) {
      // Received, open and overdue are the first three figures of both.
      const cells = screen[i]!;
      for (const [j, column] of (['received', 'open', 'overdue'] as const).entries()) {
        expect(Number(row[header.indexOf(column)]), `${row[0]} ${column}`).toBe(Number((cells[j + 1] ?? '').replace(/\./g, '')));
      }
      // Every unit has its own IKM (SKM v2 answers count at the office they rate): a grade on
      // screen, the index in the CSV, and the same index on both.
      const ikm = row[header.indexOf('ikm')] ?? '';
      expect(ikm, `${row[0]} ikm`).toMatch(/^\d+(\.\d+)?$/);
      expect(cells[10], `${row[0]} grade`).toMatch(/^[ABCD] \(/);
      expect(Number((cells[9] ?? '').replace(/\./g, '').replace(',', '.')), `${row[0]} ikm on screen`).toBe(Number(ikm));
    }
  });

  it('a regency operator sees only their regency, and their officers’ practice apart from the figures', async () => {
    // A Pantarlih of the regency files one practice coklit record from their own token.
    const created = await fetch(`${server.url}/api/v1/admin/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ username: 'pantarlih1', password: PASSWORD, role: 'pantarlih', scope: '19.01.01.1001', displayName: 'Uji pantarlih' }),
    });
    expect(created.status).toBeLessThan(300);
    const token = await apiToken(server, 'pantarlih1');
    const practice = { ...coklitRecord('19.01.01.1001'), practice: true };
    const pushed = await fetch(`${server.url}/api/v1/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ items: [practice] }),
    });
    expect(((await pushed.json()) as { results: { outcome: string }[] }).results[0]?.outcome).toBe('accepted');
    const inbox = await fetch(`${server.url}/api/v1/inbox?limit=200&form=coklit-pilkada`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(((await inbox.json()) as { items: { id: string }[] }).items.map((i) => i.id)).not.toContain(practice.id);

    const page = await dashboardAs('operator1');
    const progress = await page.getByTestId('kpi-practice').locator('tbody tr').evaluateAll((rows) =>
      rows.map((r) => [r.getAttribute('data-key'), r.querySelectorAll('td')[1]?.textContent]),
    );
    expect(progress).toEqual([['pantarlih1/coklit-pilkada', '1']]);
    expect(await unitKeys(page)).toEqual(['19.01']);
    const coklit = await page.getByTestId('kpi-coklit').locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
    expect(coklit).toEqual(['19.01']);
  });
});
