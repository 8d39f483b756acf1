// WCAG 2.1 A/AA and axe's best practices, checked by axe-core in real Chromium on a 360×640
// phone: the services list, the request list (with requests in every state a person can meet),
// and every service form, empty, with its errors shown and filled in, in Bahasa Indonesia and in
// English; and on every screen, at 360 px and at desktop width, the target size of WCAG 2.2 (SC 2.5.8:
// every target at least 24×24 CSS px, the main actions 44 px; tests/support/target-size.ts). With
// UPDATE_SCREENSHOTS=1 it also refreshes the screenshots in docs/screenshots/ that
// the README shows.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { PUBLISHED_FORMS, latestForms } from '../../core/forms/catalog/index.ts';
import { ppidPermohonanV1 } from '../../core/forms/catalog/ppid-permohonan.ts';
import type { FormDef } from '../../core/forms/definition.ts';
import { randomSecret, ulid } from '../../core/ids.ts';
import type { Lang } from '../../core/local-text.ts';
import type { SubmissionEnvelope } from '../../core/protocol.ts';
import { auditPage, formatViolations } from '../support/axe.ts';
import { launchPhone } from '../support/chromium.ts';
import { fillForm, sampleAnswers } from '../support/form-filler.ts';
import { domId } from '../../src/features/requests/fields/paths.ts';
import { answerRequest, startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startWeakLinkProxy, type WeakLinkProxy } from '../support/weak-link/proxy.ts';
import { formatSmallTargets, smallTargetsAtEveryWidth } from '../support/target-size.ts';

const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const UPDATE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';
const LANGS: readonly Lang[] = ['id', 'en'];

/**
 * Queues a submission straight into the device's store, as an older app version might have: the
 * page's own validator would never let this one through, but the server refuses it, which is the
 * only way to reach "perlu perbaikan".
 */
async function queueUnchecked(page: Page, env: SubmissionEnvelope, title: string): Promise<void> {
  await page.evaluate(
    async ({ env, title }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open('jangkau');
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      const tx = db.transaction(['outbox', 'receipts'], 'readwrite');
      const now = Date.now();
      tx.objectStore('outbox').put({ id: env.id, envelope: env, bytes: JSON.stringify(env).length, state: 'queued', queuedAt: now, attempts: 0 });
      tx.objectStore('receipts').put({ id: env.id, formId: env.formId, formVersion: env.formVersion, title, createdAt: now, state: 'queued' });
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    { env, title },
  );
}

/** Error messages shown beside a field that no control or group points at with aria-describedby. */
async function unlinkedErrors(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const described = new Set(
      [...document.querySelectorAll('[aria-describedby]')].flatMap((el) => (el.getAttribute('aria-describedby') ?? '').split(/\s+/)),
    );
    return [...document.querySelectorAll('main .field .error')].filter((p) => !p.id || !described.has(p.id)).map((p) => p.id || p.textContent || '');
  });
}

/** Every target big enough (WCAG 2.2 SC 2.5.8) at 360 px and at desktop width. */
async function expectBigTargets(page: Page, where: string, report: string[]): Promise<void> {
  for (const [width, small] of Object.entries(await smallTargetsAtEveryWidth(page))) {
    const text = formatSmallTargets(`${where} at ${width}`, small);
    report.push(text);
    expect(small, text).toEqual([]);
  }
}

describe.skipIf(!inject('chromium'))('accessibility (axe-core: WCAG 2.1 A/AA and best practices; target size of WCAG 2.2)', () => {
  let server: ServerProcess;
  let link: WeakLinkProxy;
  let profile: string;
  let context: BrowserContext | undefined;
  let page: Page;
  const forms = latestForms(PUBLISHED_FORMS);
  const report: string[] = [];

  async function setSignal(on: boolean): Promise<void> {
    link.setOnline(on);
    await context?.setOffline(!on);
  }

  async function useLang(lang: Lang): Promise<void> {
    if ((await page.getAttribute('html', 'lang')) === lang) return;
    await page.locator('header button.lang-switch').click();
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
  }

  /** Waits for lazily loaded field components and the region catalogue before judging a form. */
  async function settled(): Promise<void> {
    await page.waitForFunction(() => !document.querySelector('main [aria-busy="true"]'));
    await page.locator('main form button[type="submit"]:enabled').waitFor();
  }

  async function expectNoViolations(where: string): Promise<void> {
    const violations = await auditPage(page);
    report.push(formatViolations(where, violations));
    expect(violations, formatViolations(where, violations)).toEqual([]);
    await expectBigTargets(page, where, report);
  }

  async function screenshot(name: string): Promise<void> {
    if (!UPDATE_SCREENSHOTS) return;
    await mkdir(SCREENSHOTS, { recursive: true });
    // The viewport only: what a person sees on a 360×640 phone without scrolling.
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), animations: 'disabled', caret: 'hide' });
  }

  async function openForm(form: FormDef): Promise<void> {
    await page.goto(`${link.url}/#/ajukan/${encodeURIComponent(form.formId)}`);
    // The other language's pass left a draft: the form offers it first; this pass starts afresh.
    await page.locator('main form h1, [data-testid="draft-offer"], [data-testid="officer-only"]').first().waitFor();
    // An officer's form, on this resident's phone, opens to a notice to log in as an officer.
    if (form.audience === 'officer') return void (await page.getByTestId('officer-only').waitFor());
    const offer = page.getByTestId('draft-offer');
    if ((await offer.count()) > 0) await offer.locator('button.secondary').click();
    await page.locator('main form h1').waitFor();
    await settled();
  }

  beforeAll(async () => {
    server = await startServerProcess({ port: 0 });
    link = await startWeakLinkProxy({ target: { host: '127.0.0.1', port: server.port } });
    profile = await mkdtemp(join(tmpdir(), 'jangkau-a11y-'));
    context = await launchPhone(profile);
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${link.url}/`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 30_000 });

    // Requests in every state: three sent and answered differently by the province, one refused
    // by the server (needs attention), one queued with no signal, and one draft.
    const answers = sampleAnswers(ppidPermohonanV1);
    const sent: string[] = [];
    for (const rincian of ['Salinan DPT Desa Tanjung Labu', 'Hasil rekapitulasi Kecamatan Lepar Pongok', 'Jadwal coklit Pulau Celagen']) {
      await openForm(ppidPermohonanV1);
      await fillForm(page, ppidPermohonanV1, { ...answers, rincianInformasi: rincian });
      await page.getByRole('button', { name: 'Kirim permohonan' }).click();
      await page.getByTestId('request-detail').waitFor();
      sent.push(((await page.getByTestId('receipt-number').textContent()) ?? '').replace(/-/g, ''));
    }
    const refused: SubmissionEnvelope = {
      id: ulid(),
      formId: ppidPermohonanV1.formId,
      formVersion: ppidPermohonanV1.version,
      createdAt: new Date().toISOString(),
      data: { ...answers, nik: '1901020000000000', rincianInformasi: 'Daftar pemilih Pulau Mendanau' },
      secret: randomSecret(),
    };
    await queueUnchecked(page, refused, 'Daftar pemilih Pulau Mendanau');
    await page.goto(`${link.url}/#/permohonan`);
    await page.getByTestId('request-list').waitFor();
    await page.getByRole('button', { name: 'Kirim sekarang' }).click();
    for (const id of sent) await page.locator(`[data-receipt="${id}"][data-state="sent"]`).waitFor({ timeout: 30_000 });
    await page.locator(`[data-receipt="${refused.id}"][data-state="needs_fix"]`).waitFor({ timeout: 30_000 });
    await answerRequest(server.dataDir, sent[0]!, 'selesai', 'Salinan DPT dikirim ke email Anda.');
    await answerRequest(server.dataDir, sent[1]!, 'ditolak', 'Informasi dikecualikan (UU 14/2008 pasal 17).');
    await answerRequest(server.dataDir, sent[2]!, 'diproses');
    await page.getByRole('button', { name: 'Kirim sekarang' }).click();
    await page.locator(`[data-receipt="${sent[0]}"][data-state="answered"]`).waitFor({ timeout: 30_000 });
    await page.locator(`[data-receipt="${sent[1]}"][data-state="answered"]`).waitFor({ timeout: 30_000 });
    await page.locator(`[data-receipt="${sent[2]}"]`).getByText('Diproses').waitFor({ timeout: 30_000 });

    // No signal from here on: the screens as a person on an island sees them.
    await setSignal(false);
    await openForm(ppidPermohonanV1);
    await fillForm(page, ppidPermohonanV1, { ...answers, rincianInformasi: 'Daftar TPS Pulau Pongok' });
    await page.getByRole('button', { name: 'Kirim permohonan' }).click();
    await page.locator('[data-testid="request-detail"][data-state="queued"]').waitFor();
    await openForm(ppidPermohonanV1);
    await page.locator(`[id="${domId('rincianInformasi')}"]`).fill('Peta TPS Pulau Nepi');
    await page.getByTestId('save-state').getByText('Draf tersimpan').waitFor();
  });

  afterAll(async () => {
    console.log(report.join('\n'));
    await context?.close();
    await link?.close();
    await server?.stop();
    await rm(profile, { recursive: true, force: true });
  });

  it('services list and my requests, in both languages', async () => {
    for (const lang of LANGS) {
      await page.goto(`${link.url}/#/`);
      await useLang(lang);
      await page.locator('main h1').waitFor();
      // Every residents' form's card (officer forms need an officer's login) is there before the audit.
      await expect.poll(() => page.locator('main section.card').count()).toBe(forms.filter((f) => f.audience === 'public').length);
      await expectNoViolations(`services list (${lang})`);

      await page.goto(`${link.url}/#/permohonan`);
      await page.getByTestId('request-list').waitFor();
      const states = await page.getByTestId('request-item').evaluateAll((items) => items.map((i) => i.getAttribute('data-state')));
      expect(new Set(states)).toEqual(new Set(['queued', 'sent', 'answered', 'needs_fix']));
      if (lang === 'id') {
        // Scrolled to the list, as a person would, so the picture shows the states side by side.
        await page.locator('main h1').evaluate((h) => h.scrollIntoView());
        await screenshot('daftar-permohonan');
      }
      await expectNoViolations(`request list (${lang})`);

      // One request of each state, opened.
      for (const state of ['queued', 'sent', 'answered', 'needs_fix']) {
        await page.goto(`${link.url}/#/permohonan`);
        await page.locator(`[data-testid="request-item"][data-state="${state}"] a`).first().click();
        await page.locator(`[data-testid="request-detail"][data-state="${state}"]`).waitFor();
        await expectNoViolations(`request, ${state} (${lang})`);
      }
    }
  });

  it('QR and SMS hand-off and the carried list, in both languages', async () => {
    await page.goto(`${link.url}/#/permohonan`);
    const queued = await page.locator('[data-testid="request-item"][data-state="queued"]').first().getAttribute('data-receipt');
    expect(queued).toBeTruthy();
    for (const lang of LANGS) {
      await page.goto(`${link.url}/#/`);
      await useLang(lang);
      await page.goto(`${link.url}/#/permohonan/${queued}/serahkan`);
      await page.getByTestId('handoff-codes').waitFor();
      await expectNoViolations(`QR hand-off (${lang})`);
      await page.goto(`${link.url}/#/permohonan/${queued}/sms`);
      await page.locator('main h1').waitFor();
      await expectNoViolations(`SMS hand-off (${lang})`);
      // A resident's phone: the carried list asks for an officer's login first.
      await page.goto(`${link.url}/#/titipan`);
      await page.getByTestId('carry-needs-officer').waitFor();
      await expectNoViolations(`carried list, no officer (${lang})`);
    }
  });

  it('safety copy screens: save and open, with their errors and results, in both languages', async () => {
    const copyDir = await mkdtemp(join(tmpdir(), 'jangkau-a11y-copy-'));
    try {
      for (const lang of LANGS) {
        await page.goto(`${link.url}/#/`);
        await useLang(lang);
        // "Simpan cadangan": the waiting requests, the warning, the passphrase pair.
        await page.goto(`${link.url}/#/cadangan/simpan`);
        await page.getByTestId('backup-estimate').waitFor();
        await expectNoViolations(`save safety copy (${lang})`);
        await page.locator('#backup-pass').fill('pendek');
        await page.locator('main form button[type="submit"]').click();
        await page.locator('#backup-pass-error').waitFor();
        expect(await unlinkedErrors(page), 'save safety copy: errors not linked to their field').toEqual([]);
        await expectNoViolations(`save safety copy with errors (${lang})`);
        await page.locator('#backup-pass').fill('kata sandi panjang');
        await page.locator('#backup-pass-again').fill('kata sandi panjang');
        const [download] = await Promise.all([page.waitForEvent('download'), page.locator('main form button[type="submit"]').click()]);
        const path = join(copyDir, `${lang}-${download.suggestedFilename()}`);
        await download.saveAs(path);
        await page.getByTestId('backup-saved').waitFor();
        await expectNoViolations(`save safety copy, saved (${lang})`);

        // "Buka cadangan": empty, refused (wrong passphrase beside its field), then opened.
        await page.goto(`${link.url}/#/cadangan/buka`);
        await page.locator('#backup-file').waitFor();
        await expectNoViolations(`open safety copy (${lang})`);
        await page.locator('#backup-file').setInputFiles(path);
        await page.locator('#backup-open-pass').fill('kata sandi salah');
        await page.locator('main form button[type="submit"]').click();
        await page.locator('#backup-open-pass-error').waitFor();
        expect(await unlinkedErrors(page), 'open safety copy: errors not linked to their field').toEqual([]);
        await expectNoViolations(`open safety copy, wrong passphrase (${lang})`);
        await page.locator('#backup-open-pass').fill('kata sandi panjang');
        await page.locator('main form button[type="submit"]').click();
        await page.getByTestId('backup-imported').waitFor();
        await expectNoViolations(`open safety copy, opened (${lang})`);
      }
    } finally {
      await rm(copyDir, { recursive: true, force: true });
    }
  });

  it.each(forms.map((f) => [f.formId, f] as const))('%s, empty, with its errors shown and filled in, in both languages', async (_, form) => {
    for (const lang of LANGS) {
      await page.goto(`${link.url}/#/`);
      await useLang(lang);
      await openForm(form);
      // Pictures before audits: axe scrolls the page while it measures contrast.
      if (lang === 'id' && form.formId === ppidPermohonanV1.formId) await screenshot('formulir-ppid');
      await expectNoViolations(`${form.formId} (${lang})`);
      if (form.audience === 'officer') continue;

      // Sent empty: the summary of errors takes the focus, and each message is tied to its field.
      await page.locator('main form button[type="submit"]').click();
      await page.locator('main .error-summary').waitFor();
      await page.waitForFunction(() => document.activeElement?.classList.contains('error-summary') === true);
      expect(await page.locator('main .field .error').count(), form.formId).toBeGreaterThan(0);
      expect(await unlinkedErrors(page), `${form.formId}: errors not linked to their field`).toEqual([]);
      if (lang === 'id' && form.formId === 'tanggapan-dps') await screenshot('formulir-tanggapan-dps-galat');
      await expectNoViolations(`${form.formId} with errors (${lang})`);

      // Filled in: repeat entries added, files chosen, coordinates typed, hidden branches open.
      await fillForm(page, form, sampleAnswers(form));
      // Filled in, every error is gone (officer forms stopped above, on this resident's phone).
      const left: { id: string; text: string }[] = [];
      await expect
        .poll(() => page.locator('main .field .error').evaluateAll((ps) => ps.map((p) => ({ id: p.id, text: p.textContent }))), {
          message: `${form.formId} filled`,
        })
        .toEqual(left);
      expect(await unlinkedErrors(page), `${form.formId} filled: errors not linked to their field`).toEqual([]);
      await expectNoViolations(`${form.formId} filled in (${lang})`);
    }
  });

  it('officer screens: login (with its errors), PIN set and unlock, account, inbox, field work, registers and the voter list\'s screens, in both languages', async () => {
    // Its own phone, online: the shared one above is a resident's and has no signal.
    const password = 'kata-sandi-a11y-2026';
    await promisify(execFile)(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../server/cli.ts', import.meta.url)), 'create-admin', 'a11y'], {
      env: { ...process.env, DATA_DIR: server.dataDir, JANGKAU_ADMIN_PASSWORD: password },
    });
    const officerProfile = await mkdtemp(join(tmpdir(), 'jangkau-a11y-officer-'));
    const officerContext = await launchPhone(officerProfile);
    try {
      const officer = officerContext.pages()[0] ?? (await officerContext.newPage());
      const audit = async (where: string) => {
        await officer.waitForFunction(() => !document.querySelector('main [aria-busy="true"]'));
        const violations = await auditPage(officer);
        report.push(formatViolations(where, violations));
        expect(violations, formatViolations(where, violations)).toEqual([]);
        expect(await unlinkedErrors(officer), `${where}: errors not linked to their field`).toEqual([]);
        await expectBigTargets(officer, where, report);
      };
      const switchTo = async (lang: Lang) => {
        if ((await officer.getAttribute('html', 'lang')) === lang) return;
        await officer.locator('header button.lang-switch').click();
        await officer.waitForFunction((l) => document.documentElement.lang === l, lang);
      };
      await officer.goto(`${server.url}/#/petugas`);
      for (const lang of LANGS) {
        await switchTo(lang);
        await officer.getByTestId('officer-login').waitFor();
        await audit(`officer login (${lang})`);
        await officer.getByTestId('officer-login').locator('input').first().fill('');
        await officer.locator('#officer-deviceLabel').fill('');
        await officer.getByTestId('officer-login').locator('button[type="submit"]').click();
        await officer.locator('#officer-username-error').waitFor();
        await audit(`officer login with errors (${lang})`);
      }
      await switchTo('id');
      await officer.locator('#officer-username').fill('a11y');
      await officer.locator('#officer-password').fill(password);
      await officer.locator('#officer-deviceLabel').fill('Ponsel uji');
      await officer.getByRole('button', { name: 'Masuk' }).click();
      await officer.getByTestId('pin-setup').waitFor();
      for (const lang of LANGS) {
        await switchTo(lang);
        await audit(`PIN setup (${lang})`);
        await officer.locator('#pin-new').fill('111111');
        await officer.locator('#pin-again').fill('111111');
        await officer.getByTestId('pin-setup').locator('button[type="submit"]').click();
        await officer.locator('#pin-new-error').waitFor();
        await audit(`PIN setup with errors (${lang})`);
      }
      await officer.locator('#pin-new').fill('274915');
      await officer.locator('#pin-again').fill('274915');
      await officer.getByTestId('pin-setup').locator('button[type="submit"]').click();
      await officer.getByTestId('officer-account').waitFor();
      for (const lang of LANGS) {
        await switchTo(lang);
        await officer.goto(`${server.url}/#/petugas`);
        await officer.getByTestId('officer-account').waitFor();
        await audit(`officer account (${lang})`);
        await officer.goto(`${server.url}/#/petugas/kotak-masuk`);
        await officer.getByTestId('inbox-list').waitFor();
        await audit(`inbox (${lang})`);
        await officer.getByTestId('inbox-item').first().locator('a').click();
        await officer.getByTestId('request-data').waitFor();
        await audit(`inbox request (${lang})`);
        await officer.goto(`${server.url}/#/petugas/lapangan`);
        await officer.getByTestId('field-form').first().waitFor();
        await audit(`field work (${lang})`);
        await officer.goto(`${server.url}/#/petugas/kinerja`);
        await officer.getByTestId('kpi-units').waitFor();
        await officer.getByTestId('kpi-versions').waitFor();
        await audit(`KPI dashboard (${lang})`);
        await officer.goto(`${server.url}/#/petugas/sop`);
        await officer.locator('main h1').waitFor();
        await audit(`SOPs (${lang})`);
        await officer.goto(`${server.url}/#/titipan`);
        // Nothing carried yet: the list is there, empty.
        await officer.getByTestId('carried-list').waitFor({ state: 'attached' });
        await audit(`carried requests (${lang})`);
        await officer.goto(`${server.url}/#/petugas/akun`);
        await officer.getByTestId('accounts').waitFor();
        await audit(`accounts (${lang})`);
        await officer.getByTestId('account-create').locator('button[type="submit"]').click();
        await officer.locator('#account-username-error').waitFor();
        await audit(`accounts with errors (${lang})`);
        // The office's registers and the voter list's screens (no records yet: their empty states,
        // filters and buttons).
        await officer.goto(`${server.url}/#/petugas/register`);
        await officer.locator('#register-period').waitFor();
        await audit(`PPID registers (${lang})`);
        await officer.locator('main form.actions button[type="submit"]').click();
        await officer.getByTestId('register').waitFor();
        await audit(`PPID register shown (${lang})`);
        await officer.goto(`${server.url}/#/petugas/konflik`);
        await officer.getByTestId('conflict-count').waitFor();
        await audit(`voter conflicts (${lang})`);
        await officer.goto(`${server.url}/#/petugas/ganda`);
        await officer.getByTestId('duplicates-status-line').waitFor();
        await audit(`duplicate voters (${lang})`);
        await officer.goto(`${server.url}/#/petugas/rekap`);
        await officer.getByTestId('recap-scope').waitFor();
        await audit(`coklit recap (${lang})`);
      }
      // Locked: the PIN screen, and a wrong PIN beside its field.
      await officer.reload();
      await officer.getByTestId('pin-unlock').waitFor();
      for (const lang of LANGS) {
        await switchTo(lang);
        await audit(`unlock (${lang})`);
        await officer.locator('#pin-unlock').fill('000001');
        await officer.getByTestId('pin-unlock').locator('button[type="submit"]').click();
        await officer.locator('#pin-unlock-error').waitFor();
        await audit(`unlock with a wrong PIN (${lang})`);
      }
    } finally {
      await officerContext.close();
      await rm(officerProfile, { recursive: true, force: true });
    }
  });
});
