// Takes the pictures of docs/handoff.md from the real app: the built PWA served by the real server
// (a temp data folder), two phones in Debian's Chromium at 360 px. The resident, with no signal,
// files PPID requests, sees "Kirim lewat SMS" and hands one over as two QR codes; the officer's
// phone refuses to carry before its login, then films the first code with its camera (Chromium's
// fake camera playing a picture of it) and reads the second from a picture; the resident's request
// then says who took it. Run after `npm run build`:
//   node --import tsx scripts/capture-handoff-screenshots.ts
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from '../tests/support/chromium.ts';
import { closeLinkedPhones, openLinkedPhone, setSignal, type LinkedPhone } from '../tests/support/linked-phone.ts';
import { createOfficers, logInOnPhone } from '../tests/support/officer-accounts.ts';
import { filePpidRequest } from '../tests/support/ppid-request.ts';
import { startServerProcess } from '../tests/support/server-process.ts';

const OUT_DIR = fileURLToPath(new URL('../docs/handoff/', import.meta.url));
/** docs/ keeps pictures small; a phone screen of text and one QR code fits well under this. */
const MAX_BYTES = 150 * 1024;
const OFFICER = { username: 'pps.celagen', role: 'pps', scope: '19.03.08.2002', displayName: 'Budi Santoso' } as const;

async function shoot(page: Page, name: string): Promise<void> {
  const path = join(OUT_DIR, name);
  // Fonts and the QR canvas settle before the picture; the caret would blink into it.
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path, fullPage: true, caret: 'hide', animations: 'disabled' });
  const size = statSync(path).size;
  if (size > MAX_BYTES) throw new Error(`${name} is ${Math.round(size / 1024)} KB, more than ${MAX_BYTES / 1024} KB`);
  console.log(`${name}: ${Math.round(size / 1024)} KB`);
}

/** Details long enough that the hand-off takes two codes (polling stations named one by one). */
const LONG_DETAILS =
  'Salinan DPT per TPS untuk: ' +
  Array.from({ length: 24 }, (_, i) => `TPS ${String(i + 1).padStart(3, '0')} Desa ${['Celagen', 'Pongok', 'Nepi', 'Seliuk', 'Kelabat', 'Tanjung Labu'][i % 6]} RT ${((i * 7) % 13) + 1}`).join('; ');

const FRAME = { width: 640, height: 480 };

/**
 * A one-frame Y4M video of `png` on white, for Chromium's fake camera (it loops the file): the
 * officer's phone then films the resident's code as a real camera would. The page decodes the
 * picture (a blob, which the app's CSP allows); the colour conversion is BT.601, full range.
 */
async function cameraVideoOf(page: Page, png: Buffer): Promise<Buffer> {
  const rgbaBase64 = await page.evaluate(
    async ({ base64, width, height }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(width, height);
      const g = canvas.getContext('2d')!;
      g.fillStyle = '#fff';
      g.fillRect(0, 0, width, height);
      const scale = Math.min((height * 0.9) / bitmap.height, (width * 0.9) / bitmap.width);
      const w = bitmap.width * scale;
      const h = bitmap.height * scale;
      g.imageSmoothingEnabled = false;
      g.drawImage(bitmap, (width - w) / 2, (height - h) / 2, w, h);
      const data = g.getImageData(0, 0, width, height).data;
      let binary = '';
      for (let i = 0; i < data.length; i += 0x8000) binary += String.fromCharCode(...data.subarray(i, i + 0x8000));
      return btoa(binary);
    },
    { base64: png.toString('base64'), ...FRAME },
  );
  const rgba = Buffer.from(rgbaBase64, 'base64');
  const { width, height } = FRAME;
  const y = Buffer.alloc(width * height);
  const u = Buffer.alloc((width / 2) * (height / 2));
  const v = Buffer.alloc((width / 2) * (height / 2));
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const i = (row * width + col) * 4;
      y[row * width + col] = Math.round(0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]!);
    }
  }
  for (let row = 0; row < height / 2; row++) {
    for (let col = 0; col < width / 2; col++) {
      let r = 0;
      let gr = 0;
      let b = 0;
      for (const [dy, dx] of [[0, 0], [0, 1], [1, 0], [1, 1]] as const) {
        const i = ((row * 2 + dy) * width + col * 2 + dx) * 4;
        r += rgba[i]! / 4;
        gr += rgba[i + 1]! / 4;
        b += rgba[i + 2]! / 4;
      }
      u[row * (width / 2) + col] = Math.round(-0.1687 * r - 0.3313 * gr + 0.5 * b + 128);
      v[row * (width / 2) + col] = Math.round(0.5 * r - 0.4187 * gr - 0.0813 * b + 128);
    }
  }
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F1:1 Ip A1:1 C420jpeg\nFRAME\n`), y, u, v]);
}

async function main(): Promise<void> {
  if (!chromiumAvailable()) throw new Error('Chromium not found at /usr/bin/chromium (or CHROMIUM_PATH)');
  const server = await startServerProcess({ port: 0, env: { SMS_NUMBER: '+6281100009999' } });
  const phones: LinkedPhone[] = [];
  const work = mkdtempSync(join(tmpdir(), 'jangkau-shots-'));
  try {
    await createOfficers(server, [OFFICER]);
    const newPhone = (args: readonly string[] = []) =>
      openLinkedPhone(server.port, phones, '/', (page) => page.getByRole('heading', { level: 1 }).first(), { args });

    // The resident's phone keeps the sealing key and the SMS number on its first visit, then loses signal.
    const resident = await newPhone();
    await resident.page.waitForFunction(() => localStorage.getItem('jangkau.channelSettings') !== null, undefined, { timeout: 30_000 });
    await setSignal(resident, false);
    await resident.page.reload();
    await resident.page.getByTestId('connection-state').getByText('Tanpa sinyal').waitFor();
    const base = resident.page.url().replace(/#.*$/, '');

    // A short request goes by SMS; a long one is handed over as two QR codes.
    const short = await filePpidRequest(resident.page);
    await resident.page.goto(`${base}#/permohonan/${short}/sms`);
    await resident.page.getByTestId('send-by-sms').waitFor();
    await shoot(resident.page, 'warga-kirim-sms.png');

    const id = await filePpidRequest(resident.page, LONG_DETAILS);
    await resident.page.getByRole('link', { name: 'Serahkan ke petugas (QR)' }).click();
    const codes = resident.page.getByTestId('handoff-codes');
    await resident.page.getByTestId('handoff-code-of').getByText('Kode 1 dari 2').waitFor();
    await shoot(resident.page, 'warga-serahkan-qr.png');
    const first = await codes.locator('.qr').screenshot();
    await resident.page.getByRole('button', { name: 'Kode berikutnya' }).click();
    await resident.page.getByTestId('handoff-code-of').getByText('Kode 2 dari 2').waitFor();
    const second = await codes.locator('.qr').screenshot();

    // The officer's phone films the first code with its (fake) camera.
    const video = join(work, 'kamera.y4m');
    writeFileSync(video, await cameraVideoOf(resident.page, first));
    const officer = await newPhone(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`]);
    await officer.page.goto(`${officer.link.url}/#/titipan`);
    await officer.page.getByTestId('carry-needs-officer').waitFor();
    await shoot(officer.page, 'petugas-belum-masuk.png');
    await logInOnPhone(officer.page, officer.link.url, OFFICER.username);
    await setSignal(officer, false);
    await officer.page.goto(`${officer.link.url}/#/titipan`);
    await officer.page.getByTestId('scan-status').getByText('Terkumpul 1 dari 2 kode').waitFor({ timeout: 30_000 });
    await shoot(officer.page, 'petugas-pindai-kamera.png');
    // The second code from a picture ("Pilih gambar"), as when the camera will not focus.
    await officer.page
      .getByLabel('Pilih gambar kode (foto atau tangkapan layar)')
      .setInputFiles([{ name: 'kode-2.png', mimeType: 'image/png', buffer: second }]);
    await officer.page.getByTestId('scan-status').getByText('tersimpan').waitFor();
    await officer.page.locator(`[data-carried="${id}"]`).waitFor();
    await shoot(officer.page, 'petugas-titipan-dibawa.png');

    // The resident notes who took it; the request stays queued on the phone.
    await resident.page.getByLabel('Nama petugas (boleh dikosongkan)').fill(OFFICER.displayName);
    await resident.page.getByRole('button', { name: 'Sudah dipindai petugas' }).click();
    await resident.page.getByTestId('handed-over').getByText(`Diserahkan ke petugas ${OFFICER.displayName}`).waitFor();
    await shoot(resident.page, 'warga-diserahkan.png');
  } finally {
    await closeLinkedPhones(phones);
    await server.stop();
    rmSync(server.dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
