// Every published form, filled in the real page from its definition alone (the filler knows each
// field type), is accepted by the page's validator and queued, then accepted by the server.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { PUBLISHED_FORMS, latestForms } from '../../core/forms/catalog/index.ts';
import { launchPhone } from '../support/chromium.ts';
import { fillForm, sampleAnswers } from '../support/form-filler.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { countSubmissions } from '../support/server-db.ts';

describe.skipIf(!inject('chromium'))('every form in the real page', () => {
  let server: ServerProcess;
  let profile: string;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    server = await startServerProcess({ port: 0 });
    profile = await mkdtemp(join(tmpdir(), 'jangkau-forms-'));
    context = await launchPhone(profile);
  });

  afterAll(async () => {
    await context?.close();
    await server?.stop();
    await rm(profile, { recursive: true, force: true });
  });

  it.each(latestForms(PUBLISHED_FORMS).map((f) => [f.formId, f] as const))('%s is filled, queued and accepted', async (_, form) => {
    const page = context!.pages()[0] ?? (await context!.newPage());
    await page.goto(`${server.url}/#/ajukan/${form.formId}`);
    await page.getByRole('heading', { name: form.title.id }).waitFor();
    const before = countSubmissions(server.dataDir);
    await fillForm(page, form, sampleAnswers(form));
    await page.getByRole('button', { name: 'Kirim permohonan' }).click();
    const detail = page.getByTestId('request-detail');
    await detail.waitFor();
    await page.getByRole('button', { name: 'Kirim sekarang' }).click();
    await expect.poll(() => countSubmissions(server.dataDir), { timeout: 20_000 }).toBe(before + 1);
  });
});
