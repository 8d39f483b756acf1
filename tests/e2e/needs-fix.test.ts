// A submission the server refuses goes to "perlu perbaikan" with the reason beside the field; the
// person corrects it under the same receipt number, or discards it. The rest of the queue flows.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { ppidPermohonanV1 } from '../../core/forms/catalog/ppid-permohonan.ts';
import { ulid, randomSecret } from '../../core/ids.ts';
import type { SubmissionEnvelope } from '../../core/protocol.ts';
import { SQLITE_FILE_NAME } from '../../server/db/sqlite.ts';
import { launchPhone } from '../support/chromium.ts';
import { writeRows } from '../support/phone-rows.ts';
import { envelopeBytes } from '../../src/db/outbox.ts';
import { sampleAnswers } from '../support/form-filler.ts';
import { countSubmissions } from '../support/server-db.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { rawPayloadOpener } from '../support/test-kek.ts';

/** Puts a submission in the device's outbox the way an older app version might have. */
async function queueRaw(page: Page, envelope: SubmissionEnvelope): Promise<void> {
  const now = Date.now();
  const { id, formId, formVersion } = envelope;
  await writeRows(page, {
    outbox: [{ id, envelope, bytes: envelopeBytes(envelope), state: 'queued', queuedAt: now, attempts: 0 }],
    receipts: [{ id, formId, formVersion, title: id, createdAt: now, state: 'queued' }],
  });
}

function envelope(data: Record<string, unknown>): SubmissionEnvelope {
  return { id: ulid(), formId: 'ppid-permohonan', formVersion: 1, createdAt: new Date().toISOString(), data, secret: randomSecret() };
}

describe.skipIf(!inject('chromium'))('needs attention', () => {
  let server: ServerProcess;
  let profile: string;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    server = await startServerProcess({ port: 0 });
    profile = await mkdtemp(join(tmpdir(), 'jangkau-phone-'));
  });

  afterAll(async () => {
    await context?.close();
    await server?.stop();
    await rm(profile, { recursive: true, force: true });
  });

  it('refused items wait for the person; the good one is sent; a fix keeps the receipt number', async () => {
    context = await launchPhone(profile);
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(server.url + '/#/permohonan');
    await page.getByRole('heading', { name: 'Permohonan saya' }).waitFor();

    const good = envelope(sampleAnswers(ppidPermohonanV1));
    const badNik = envelope({ ...sampleAnswers(ppidPermohonanV1), nik: '1901020000000000' });
    const doomed = envelope({ ...sampleAnswers(ppidPermohonanV1), telepon: '12345' });
    for (const env of [badNik, good, doomed]) await queueRaw(page, env);
    await page.reload();
    await page.getByRole('button', { name: 'Kirim sekarang' }).click();

    await page.locator(`[data-receipt="${good.id}"][data-state="sent"]`).waitFor({ timeout: 30_000 });
    await page.locator(`[data-receipt="${badNik.id}"][data-state="needs_fix"]`).waitFor();
    await page.locator(`[data-receipt="${doomed.id}"][data-state="needs_fix"]`).waitFor();
    expect(countSubmissions(server.dataDir)).toBe(1);

    // Fix the NIK under the same receipt number.
    await page.locator(`[data-receipt="${badNik.id}"] a`).click();
    await page.getByTestId('rejection').getByText('NIK: Empat angka terakhir NIK tidak boleh 0000.').waitFor();
    await page.getByRole('link', { name: 'Perbaiki isian' }).click();
    await page.locator('#f-nik').fill('1901024501900001');
    await page.getByRole('button', { name: 'Kirim ulang' }).click();
    await page.getByTestId('request-detail').waitFor();
    await page.locator('[data-testid="request-detail"][data-state="sent"]').waitFor({ timeout: 30_000 });
    expect(countSubmissions(server.dataDir, badNik.id)).toBe(1);
    const db = new Database(join(server.dataDir, SQLITE_FILE_NAME), { readonly: true });
    const stored = db.prepare('SELECT payload_json FROM submissions WHERE id = ?').get(badNik.id) as { payload_json: string };
    const open = rawPayloadOpener(db.prepare('SELECT id, wrapped FROM data_keys').all() as { id: string; wrapped: string | null }[]);
    db.close();
    expect(JSON.parse(open(badNik.id, stored.payload_json)).nik).toBe('1901024501900001');

    // Discard the other: it leaves the device, and never reaches the server.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.goto(server.url + `/#/permohonan/${doomed.id}`);
    await page.getByRole('button', { name: 'Hapus permohonan' }).click();
    await page.getByRole('heading', { name: 'Permohonan saya' }).waitFor();
    expect(await page.locator(`[data-receipt="${doomed.id}"]`).count()).toBe(0);
    expect(countSubmissions(server.dataDir)).toBe(2);
    expect(countSubmissions(server.dataDir, doomed.id)).toBe(0);
  });
});
