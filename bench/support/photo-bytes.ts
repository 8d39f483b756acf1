// Phone-photo stand-ins for the attachment benchmark: the byte layout of a baseline JPEG (SOI,
// JFIF APP0, quantisation and Huffman tables, frame and scan headers, entropy-coded data, EOI)
// so the server's magic-byte check accepts it, with the scan data drawn from a seeded PRNG. A
// downscaled photo's scan data is already compressed, so random bytes are the honest stand-in:
// gzip gains nothing on either.
import { createHash } from 'node:crypto';

type Rng = () => number;

function segment(marker: number, payload: readonly number[]): number[] {
  const length = payload.length + 2;
  return [0xff, marker, length >> 8, length & 0xff, ...payload];
}

function header(width: number, height: number): number[] {
  const jfif = [0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x48, 0x00, 0x48, 0x00, 0x00];
  // One 8-bit quantisation table (id 0), the standard luminance one at roughly quality 80.
  const dqt = [0x00, ...Array.from({ length: 64 }, (_, i) => 4 + (i % 23))];
  const sof0 = [0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x01, 0x01, 0x11, 0x00];
  // A minimal DC Huffman table (class 0, id 0): one code of length 1 for symbol 0.
  const dht = [0x00, 0x01, ...new Array<number>(15).fill(0), 0x00];
  const sos = [0x01, 0x01, 0x00, 0x00, 0x3f, 0x00];
  return [0xff, 0xd8, ...segment(0xe0, jfif), ...segment(0xdb, dqt), ...segment(0xc0, sof0), ...segment(0xc4, dht), ...segment(0xda, sos)];
}

/** A `bytes`-long JPEG-shaped file, 1600×1200, different for every draw of `rng`. */
export function photoBytes(rng: Rng, bytes: number): Buffer {
  const head = header(1600, 1200);
  const out = Buffer.alloc(bytes);
  out.set(head, 0);
  const end = bytes - 2;
  for (let i = head.length; i < end; i++) {
    // Entropy-coded data never holds a bare 0xFF (it would read as a marker): stuff it as FF 00.
    const b = Math.floor(rng() * 256);
    if (b === 0xff && i + 1 < end) {
      out[i++] = 0xff;
      out[i] = 0x00;
    } else out[i] = b === 0xff ? 0xfe : b;
  }
  out[end] = 0xff;
  out[end + 1] = 0xd9;
  return out;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
