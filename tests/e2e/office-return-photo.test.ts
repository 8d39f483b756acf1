// A return for completion that asks for a new photo (issue 14), in Chromium against the real server
// process: a resident files a complaint with a photo of evidence with no signal, and it arrives with
// its photo once the signal is back. The office returns it for a clearer photo; after one sync the
// phone, offline again, shows the reason, and the person picks a new photo on the completion screen
// and sends it (queued). With the signal back the completion goes under the same receipt number,
// then its photo; staff see the new photo arrive, and the first one kept with the first version.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { pengaduanV1 } from '../../core/forms/catalog/pengaduan.ts';
import { submitLabel } from '../../core/forms/wording.ts';
import { domId } from '../../src/features/requests/fields/paths.ts';
import { launchPhone } from '../support/chromium.ts';
import { fillForm, sampleAnswers, sampleFileBytes } from '../support/form-filler.ts';
import { createOfficers, logInOnPhone } from '../support/officer-accounts.ts';
import { countSubmissions } from '../support/server-db.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { startWeakLinkProxy, type WeakLinkProxy } from '../support/weak-link/proxy.ts';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const REASON = 'Foto bukti terlalu gelap. Kirim foto antrean yang lebih jelas.';
const bukti = pengaduanV1.fields.find((f) => f.name === 'bukti')!;
// Small JPEGs the photo field keeps as they are (form-filler.ts), so their sha256 is known here.
const FIRST = sampleFileBytes(bukti);
const SECOND = sampleFileBytes({ ...bukti, name: 'buktiBaru' });

describe.skipIf(!inject('chromium'))('the office asks for a new photo; the resident sends it offline, then online', () => {
  let server: ServerProcess;
  let link: WeakLinkProxy;
  const profiles: string[] = [];
  const contexts: BrowserContext[] = [];
  let resident: BrowserContext;

  async function profile(): Promise<string> {
    const p = await mkdtemp(join(tmpdir(), 'jangkau-office-photo-'));
    profiles.push(p);
    return p;
  }

  async function setSignal(on: boolean): Promise<void> {
    link.setOnline(on);
    await resident.setOffline(!on);
  }

  beforeAll(async () => {
    server = await startServerProcess({ port: 0, startTimeoutMs: 90_000 });
    link = await startWeakLinkProxy({ target: { host: '127.0.0.1', port: server.port } });
    // The province's admin (scope 19) answers the complaint.
    await createOfficers(server, []);
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await link?.close();
    await server?.stop();
    for (const p of profiles) await rm(p, { recursive: true, force: true });
  });

  it('return for a photo → new photo offline → completion and photo arrive → staff see it', { timeout: 300_000 }, async () => {
    expect(sha256(FIRST)).not.toBe(sha256(SECOND));
    resident = await launchPhone(await profile());
    contexts.push(resident);
    const phone = resident.pages()[0] ?? (await resident.newPage());
    await phone.goto(link.url + '/');
    await phone.getByRole('heading', { level: 1 }).first().waitFor();
    await phone.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 120_000 });
    await setSignal(false);
    await phone.reload();
    await phone.getByTestId('connection-state').getByText('Tanpa sinyal').waitFor();

    // Filed with no signal, with a photo of evidence.
    await phone.goto(link.url + '/#/');
    await phone.getByRole('region', { name: pengaduanV1.title.id, exact: true }).getByRole('link', { name: 'Isi formulir' }).click();
    await phone.getByRole('heading', { name: pengaduanV1.title.id }).waitFor();
    await fillForm(phone, pengaduanV1, { ...sampleAnswers(pengaduanV1), jenis: 'pengaduan', ditujukanKepada: '19' });
    await phone.getByTestId('save-state').getByText('Draf tersimpan').waitFor();
    await phone.getByRole('button', { name: submitLabel(pengaduanV1).id }).click();
    await phone.getByTestId('request-detail').waitFor();
    const id = ((await phone.getByTestId('receipt-number').textContent()) ?? '').replace(/-/g, '');
    await phone.locator(`[data-testid="attachment"][data-sha256="${sha256(FIRST)}"][data-state="waiting"]`).waitFor();

    // Signal: the request and its photo arrive.
    await setSignal(true);
    await phone.locator('[data-testid="request-detail"][data-state="sent"]').waitFor({ timeout: 60_000 });
    await phone.locator(`[data-testid="attachment"][data-sha256="${sha256(FIRST)}"][data-state="done"]`).waitFor({ timeout: 60_000 });
    expect(countSubmissions(server.dataDir)).toBe(1);

    // The office sees the photo arrived and returns the request for a new one.
    const officeContext = await launchPhone(await profile());
    contexts.push(officeContext);
    const office = officeContext.pages()[0] ?? (await officeContext.newPage());
    await office.setViewportSize({ width: 1280, height: 900 });
    await logInOnPhone(office, server.url, 'admin');
    await office.goto(`${server.url}/#/petugas/kotak-masuk/${id}`);
    await office.locator('[data-testid="request-files"] li[data-field="bukti"][data-arrived="true"]').waitFor();
    const returnForm = office.getByTestId('return-form');
    await office.getByLabel('Alasan pengembalian').fill(REASON);
    await returnForm.getByLabel('Foto bukti').check();
    await returnForm.getByRole('button', { name: 'Kembalikan ke pemohon' }).click();
    await office.getByTestId('status-outcome').getByText('Permohonan dikembalikan untuk dilengkapi.').waitFor();

    // One sync, then no signal: the person picks a new photo and sends the completion (queued).
    await phone.getByRole('button', { name: 'Kirim sekarang' }).click();
    await phone.getByTestId('returned-reason').getByText(REASON).waitFor({ timeout: 60_000 });
    await setSignal(false);
    await phone.reload();
    await phone.getByTestId('connection-state').getByText('Tanpa sinyal').waitFor();
    await phone.getByTestId('complete-request').click();
    await phone.getByTestId('completion-reason').getByText(REASON).waitFor();
    expect(await phone.locator(`#${domId('isi')}`).count()).toBe(0);
    await phone.locator(`#${domId('bukti')}`).setInputFiles({ name: 'IMG_antrean.jpg', mimeType: 'image/jpeg', buffer: SECOND });
    await phone.getByTestId('file-status').getByText('Terpilih:').waitFor({ timeout: 60_000 });
    expect(await phone.getByTestId('file-status').getAttribute('data-sha256')).toBe(sha256(SECOND));
    await phone.getByRole('button', { name: 'Kirim kelengkapan' }).click();
    await phone.locator('[data-testid="request-detail"][data-state="queued"]').waitFor();
    expect((await phone.getByTestId('receipt-number').textContent())?.replace(/-/g, '')).toBe(id);
    await phone.locator(`[data-testid="attachment"][data-sha256="${sha256(SECOND)}"][data-state="waiting"]`).waitFor();

    // Signal again: the completion, then its photo.
    await setSignal(true);
    await phone.getByRole('button', { name: 'Kirim sekarang' }).click();
    await phone.locator('[data-testid="request-detail"][data-state="sent"]').waitFor({ timeout: 60_000 });
    await phone.locator(`[data-testid="attachment"][data-sha256="${sha256(SECOND)}"][data-state="done"]`).waitFor({ timeout: 60_000 });
    expect(countSubmissions(server.dataDir)).toBe(1);

    // Staff see the new photo arrived, and the first kept with the first version (the request
    // opened again, through the inbox: the same address would not load it anew).
    await office.goto(`${server.url}/#/petugas/kotak-masuk`);
    await office.locator(`a[href*="${id}"]`).first().waitFor();
    await office.goto(`${server.url}/#/petugas/kotak-masuk/${id}`);
    await office.getByTestId('request-revisions').waitFor();
    const files = office.getByTestId('request-files');
    await files.locator('li[data-field="bukti"][data-arrived="true"]:not([data-kept])').waitFor();
    expect(await files.locator('li[data-field="bukti"][data-kept="0"]').textContent()).toContain('versi awal, diganti saat dilengkapi');
    expect(await office.getByTestId('request-status').textContent()).toContain('Diproses');
  });
});
