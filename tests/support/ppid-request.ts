// A resident files the PPID request through the app's own screens (the services list, the form,
// "Kirim permohonan") and lands on the request's screen; with no signal it stays queued there.
import type { Page } from 'playwright-core';
import { ppidPermohonanV1 } from '../../core/forms/catalog/ppid-permohonan.ts';
import { fillForm, sampleAnswers } from './form-filler.ts';

/** Files the sample PPID request (with `details` as its details, if given); returns its receipt id. */
export async function filePpidRequest(page: Page, details?: string): Promise<string> {
  await page.goto(page.url().replace(/#.*$/, '') + '#/');
  await page.getByRole('region', { name: ppidPermohonanV1.title.id }).getByRole('link', { name: 'Isi formulir' }).click();
  await page.getByRole('heading', { name: ppidPermohonanV1.title.id }).waitFor();
  // A draft of this form left on the phone is offered first: this request is a new one.
  const offer = page.getByTestId('draft-offer');
  await page.locator('main form, [data-testid="draft-offer"]').first().waitFor();
  if ((await offer.count()) > 0) await page.getByRole('button', { name: 'Mulai baru' }).click();
  const answers = sampleAnswers(ppidPermohonanV1);
  await fillForm(page, ppidPermohonanV1, details ? { ...answers, rincianInformasi: details } : answers);
  await page.getByTestId('save-state').getByText('Draf tersimpan').waitFor();
  await page.getByRole('button', { name: 'Kirim permohonan' }).click();
  await page.getByTestId('request-detail').waitFor();
  return ((await page.getByTestId('receipt-number').textContent()) ?? '').replace(/-/g, '');
}
