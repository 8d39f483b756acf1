// QR code images of the hand-off texts, with the size limits of qr-parts.ts enforced.
import { encodeQR } from 'qr';
import { QR_ECC, QR_MAX_VERSION } from './qr-parts.ts';

const MAX_MODULES = 17 + 4 * QR_MAX_VERSION;

/** The modules of the code for `text` (true = dark), without the quiet zone. */
export function qrMatrix(text: string): boolean[][] {
  // The library always adds a border; ask for one module and take it off.
  const matrix = encodeQR(text, 'raw', { ecc: QR_ECC, encoding: 'alphanumeric', border: 1 })
    .slice(1, -1)
    .map((row) => row.slice(1, -1));
  if (matrix.length > MAX_MODULES) throw new Error(`QR code larger than version ${QR_MAX_VERSION}`);
  return matrix;
}

/** A code's picture: SVG markup and its side in modules, quiet zone included. */
export interface QrImage {
  svg: string;
  modules: number;
}

/**
 * The code as SVG markup (scales to any screen), dark on an opaque white ground with the 4-module
 * quiet zone, so a dark theme behind it cannot hide the code; drawn without anti-aliasing, so a
 * module's edge never turns grey. The screen sizes it to a whole number of device pixels per module.
 */
export function qrImage(text: string): QrImage {
  const modules = qrMatrix(text).length + 8;
  const svg = encodeQR(text, 'svg', { ecc: QR_ECC, encoding: 'alphanumeric', border: 4 }).replace(
    /^<svg([^>]*)>/,
    `<svg$1 shape-rendering="crispEdges"><rect width="${modules}" height="${modules}" fill="#fff"/>`,
  );
  return { svg, modules };
}
