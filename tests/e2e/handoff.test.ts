// QR hand-off end to end (issue #8), in Chromium against the real server, with two browser
// profiles as two phones. The resident's phone has no signal throughout: it files a request and
// shows it as QR codes. Screenshots of those codes go to the officer's phone through "Pilih
// gambar" (the scanner's picture path, jsQR over the image). The officer's phone goes online and
// delivers; the server holds the request once. When the resident's phone later finds signal it
// sends the same request itself: still once, and it shows the province's answer. The scan screen
// refuses to carry anything until the phone is logged in as an officer, and says so.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closeLinkedPhones, openLinkedPhone, setSignal, type LinkedPhone } from '../support/linked-phone.ts';
import { createOfficers, logInOnPhone } from '../support/officer-accounts.ts';
import { filePpidRequest } from '../support/ppid-request.ts';
import { answerRequest, startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { countSubmissions } from '../support/server-db.ts';
import { JSQR_SCRIPT, readQrPicture } from '../support/qr-picture.ts';

describe.skipIf(!inject('chromium'))('QR hand-off between two phones', () => {
  let server: ServerProcess;
  const phones: LinkedPhone[] = [];

  beforeAll(async () => {
    server = await startServerProcess({ port: 0 });
    await createOfficers(server, [{ username: 'pps.celagen', role: 'pps', scope: '19.03.08.2002', displayName: 'Budi Santoso' }]);
  });

  afterAll(async () => {
    await closeLinkedPhones(phones);
    await server?.stop();
  });

  /** A phone whose first visit is online: the worker installs and the first sync runs. */
  const newPhone = () => openLinkedPhone(server.port, phones, '/', (page) => page.getByRole('heading', { level: 1 }).first());

  /**
   * A long request, so its hand-off takes several codes: the details name the polling stations
   * one by one (varied text, which compression cannot fold away).
   */
  const LONG_DETAILS =
    'Salinan DPT per TPS untuk: ' +
    Array.from({ length: 24 }, (_, i) => `TPS ${String(i + 1).padStart(3, '0')} Desa ${['Celagen', 'Pongok', 'Nepi', 'Seliuk', 'Kelabat', 'Tanjung Labu'][i % 6]} RT ${(i * 7) % 13 + 1}`).join('; ');

  it('an officer carries a request from a phone with no signal; it arrives once and the resident sees the answer', async () => {
    // The resident's first visit keeps the server's sealing key for later, then the signal goes.
    const resident = await newPhone();
    await resident.page.waitForFunction(() => localStorage.getItem('jangkau.channelSettings') !== null, undefined, { timeout: 30_000 });
    await setSignal(resident, false);
    await resident.page.reload();
    await resident.page.getByTestId('connection-state').getByText('Tanpa sinyal').waitFor();
    const id = await filePpidRequest(resident.page, LONG_DETAILS);
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(await resident.page.getByTestId('request-detail').getAttribute('data-state')).toBe('queued');

    // Its codes, one at a time: a picture of each, as the officer's camera would see it.
    await resident.page.getByRole('link', { name: 'Serahkan ke petugas (QR)' }).click();
    const codes = resident.page.getByTestId('handoff-codes');
    await codes.waitFor();
    const counter = (await resident.page.getByTestId('handoff-code-of').textContent()) ?? '';
    const total = Number(/dari (\d+)/.exec(counter)?.[1]);
    expect(total).toBeGreaterThanOrEqual(2);
    const pictures: Buffer[] = [];
    console.log(`hand-off: ${total} QR codes for a PPID request with ${LONG_DETAILS.length} characters of details`);
    for (let i = 1; i <= total; i++) {
      await resident.page.getByTestId('handoff-code-of').getByText(`Kode ${i} dari ${total}`).waitFor();
      // The whole screen, as the officer's camera sees it (an element's crop can catch a layout shift).
      pictures.push(await resident.page.screenshot({ fullPage: true }));
      if (i < total) await resident.page.getByRole('button', { name: 'Kode berikutnya' }).click();
    }

    // Every code reads at every phone width, and stays the same code while the screen is redrawn:
    // drawn at a fraction of a pixel per module the JS decoder missed about one picture in ten (the
    // officer's "Pilih gambar" then stopped at "1 dari 2"), and the codes were made anew (sealed
    // again) whenever the queue's row changed, sending the resident back to the first code.
    // Each code at widths from 300 to 430 px, decoded with jsQR in a blank page.
    const decoder = await resident.context.newPage();
    await decoder.addScriptTag({ path: JSQR_SCRIPT });
    const unread: string[] = [];
    for (let i = total; i > 1; i--) await resident.page.getByRole('button', { name: 'Kode sebelumnya' }).click();
    for (let width = 300; width <= 430; width += 7) {
      await resident.page.setViewportSize({ width, height: 640 });
      for (let i = 1; i <= total; i++) {
        if (i > 1) await resident.page.getByRole('button', { name: 'Kode berikutnya' }).click();
        await resident.page.getByTestId('handoff-code-of').getByText(`Kode ${i} dari ${total}`).waitFor();
        if ((await readQrPicture(decoder, await resident.page.screenshot({ fullPage: true }))) === null) unread.push(`code ${i} at ${width} px`);
      }
      for (let i = total; i > 1; i--) await resident.page.getByRole('button', { name: 'Kode sebelumnya' }).click();
    }
    await decoder.close();
    await resident.page.setViewportSize({ width: 360, height: 640 });
    expect(unread).toEqual([]);

    // The officer's phone. Not logged in, it carries nothing and says why.
    const officer = await newPhone();
    await officer.page.goto(officer.link.url + '/#/titipan');
    await officer.page.getByTestId('carry-needs-officer').getByText('hanya bisa dibawa oleh ponsel petugas yang sudah masuk').waitFor();
    expect(await officer.page.getByTestId('scan-handoff').count()).toBe(0);
    // Logged in (the hand-offs then travel under the officer's device token), it scans.
    await logInOnPhone(officer.page, officer.link.url, 'pps.celagen');

    // Without signal it scans (pictures in reverse order, the first twice) and carries the item.
    await setSignal(officer, false);
    await officer.page.goto(officer.link.url + '/#/titipan');
    await officer.page.getByTestId('scan-handoff').waitFor();
    const files = [...pictures].reverse().concat(pictures.slice(0, 1)).map((buffer, i) => ({ name: `kode-${i}.png`, mimeType: 'image/png', buffer }));
    // A full phone first: the carried item cannot be written. The scan must not say "tersimpan"
    // (the resident would hand over a request nobody holds); it says why and takes the codes again.
    await officer.page.evaluate(() => {
      const put = IDBObjectStore.prototype.put;
      const full = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
        if (this.name === 'meta' && (value as { key?: unknown } | null)?.key === 'handoffsCarried') throw new DOMException('storage full', 'QuotaExceededError');
        return put.call(this, value, key);
      };
      IDBObjectStore.prototype.put = full;
      (globalThis as { roomAgain?: () => void }).roomAgain = () => (IDBObjectStore.prototype.put = put);
    });
    await officer.page.getByLabel('Pilih gambar kode (foto atau tangkapan layar)').setInputFiles(files);
    await officer.page.getByTestId('scan-not-stored').waitFor({ timeout: 120_000 });
    expect(await officer.page.getByTestId('scan-status').textContent()).not.toContain('tersimpan');
    expect(await officer.page.locator(`[data-carried="${id}"]`).count()).toBe(0);
    await officer.page.evaluate(() => (globalThis as { roomAgain?: () => void }).roomAgain?.());
    await officer.page.getByLabel('Pilih gambar kode (foto atau tangkapan layar)').setInputFiles(files);
    // Decoding every picture is CPU work: on CI's two busy cores it took over 30 s once.
    await officer.page.getByTestId('scan-status').getByText('tersimpan').waitFor({ timeout: 120_000 });
    const carried = officer.page.locator(`[data-carried="${id}"]`);
    await carried.waitFor();
    expect(await carried.getAttribute('data-state')).toBe('carried');
    expect(countSubmissions(server.dataDir, id)).toBe(0);

    // The resident confirms the hand-off: the receipt notes it, the request stays queued.
    await resident.page.getByLabel('Nama petugas (boleh dikosongkan)').fill('Budi Santoso');
    await resident.page.getByRole('button', { name: 'Sudah dipindai petugas' }).click();
    await resident.page.getByTestId('handed-over').getByText('Diserahkan ke petugas Budi Santoso').waitFor();
    expect(await resident.page.getByTestId('request-detail').getAttribute('data-state')).toBe('queued');

    // The officer finds signal: the sync delivers the carried item; the server holds it once.
    await setSignal(officer, true);
    await officer.page.locator(`[data-carried="${id}"][data-state="delivered"]`).waitFor({ timeout: 30_000 });
    expect(countSubmissions(server.dataDir, id)).toBe(1);
    expect(countSubmissions(server.dataDir)).toBe(1);

    // The province answers; the resident's phone finds signal, sends its own copy (a duplicate)
    // and learns the answer. Still once on the server.
    const answer = 'Salinan DPT dikirim lewat petugas PPS Desa Celagen.';
    await answerRequest(server.dataDir, id, 'selesai', answer);
    await setSignal(resident, true);
    await resident.page.getByRole('button', { name: 'Kirim sekarang' }).click();
    await resident.page.getByTestId('answer').getByText(answer).waitFor({ timeout: 30_000 });
    expect(await resident.page.getByTestId('request-state').textContent()).toBe('Selesai');
    expect(countSubmissions(server.dataDir, id)).toBe(1);
    expect(countSubmissions(server.dataDir)).toBe(1);
  });
});
