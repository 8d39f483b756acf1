// Reads a QR code off a screenshot the way the officer's "Pilih gambar" does (jsQR over the
// decoded pixels), in a page of its own: the app's pages forbid inline script, and the decoder is
// loaded into this one from the installed package.
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

export const JSQR_SCRIPT = createRequire(import.meta.url).resolve('jsqr/dist/jsQR.js');

/** The text of the code in `png`, or null when jsQR finds none. `page` must have JSQR_SCRIPT loaded. */
export function readQrPicture(page: Page, png: Buffer): Promise<string | null> {
  return page.evaluate(async (base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d')!;
    context.drawImage(bitmap, 0, 0);
    const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height);
    type Decode = (data: Uint8ClampedArray, width: number, height: number, options: object) => { data: string } | null;
    return (globalThis as unknown as { jsQR: Decode }).jsQR(pixels.data, pixels.width, pixels.height, { inversionAttempts: 'attemptBoth' })?.data ?? null;
  }, png.toString('base64'));
}
