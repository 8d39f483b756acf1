// Hand-off by QR code, through real images: each code drawn as pixels, read back by the JS
// decoder the app uses where BarcodeDetector is missing (jsQR), collected in any order and
// twice, reassembled and opened with the server's key. Corrupted codes are refused.
import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { fromBase45, toBase45 } from '../../../core/handoff/base45.ts';
import { makeHandoffBundle, openHandoffBundle, readHandoffBundle } from '../../../core/handoff/handoff-bundle.ts';
import { addScan, bundleToQrTexts, EMPTY_COLLECTION, QR_CHUNK_BYTES, type QrCollection, type ScanResult } from '../../../core/handoff/qr-parts.ts';
import { qrImage, qrMatrix } from '../../../core/handoff/qr-render.ts';
import { randomSecret, ulid } from '../../../core/ids.ts';
import type { SubmissionEnvelope } from '../../../core/protocol.ts';
import { makeServerKey } from './test-key.ts';

/** The code as an RGBA image: `scale` pixels per module, a 4-module quiet zone, black on white. */
function drawQr(text: string, scale = 4): { data: Uint8ClampedArray; width: number; height: number } {
  const matrix = qrMatrix(text);
  const modules = matrix.length + 8;
  const width = modules * scale;
  const data = new Uint8ClampedArray(width * width * 4).fill(255);
  matrix.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (!dark) return;
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) {
          const at = (((y + 4) * scale + dy) * width + (x + 4) * scale + dx) * 4;
          data[at] = data[at + 1] = data[at + 2] = 0;
        }
      }
    }),
  );
  return { data, width, height: width };
}

/** What the officer's camera reads off the resident's screen. */
function scanImage(image: { data: Uint8ClampedArray; width: number; height: number }): string | undefined {
  return jsQR(image.data, image.width, image.height)?.data;
}

function envelopeWith(data: Record<string, unknown>): SubmissionEnvelope {
  return { id: ulid(), formId: 'pengaduan', formVersion: 1, createdAt: new Date().toISOString(), data, secret: randomSecret() };
}

/** Varied words, as a long complaint is: deflate cannot shrink it to nothing. */
function longComplaint(words: number): string {
  const vocabulary = ['TPS', 'dusun', 'perahu', 'ombak', 'Pulau', 'Lepar', 'Pongok', 'Celagen', 'petugas', 'KPPS', 'surat', 'suara', 'kotak', 'hujan', 'listrik', 'genset', 'jam', 'pagi', 'malam', 'warga', 'lansia', 'nelayan', 'tidak', 'sempat', 'memilih', 'karena', 'jauh', 'dari', 'dermaga'];
  let seed = 12345;
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    out.push(vocabulary[seed % vocabulary.length]! + (seed % 7 === 0 ? ` ${seed % 1000}` : ''));
  }
  return out.join(' ');
}

async function scanAll(texts: readonly string[]): Promise<{ collection: QrCollection; results: ScanResult[] }> {
  let collection = EMPTY_COLLECTION;
  const results: ScanResult[] = [];
  for (const text of texts) {
    const step = await addScan(collection, text);
    collection = step.collection;
    results.push(step.result);
  }
  return { collection, results };
}

describe('base45', () => {
  it('round-trips every byte value and odd lengths, and refuses invalid text', () => {
    const all = Uint8Array.from({ length: 257 }, (_, i) => i % 256);
    expect(Buffer.from(fromBase45(toBase45(all))!).equals(Buffer.from(all))).toBe(true);
    expect(toBase45(new TextEncoder().encode('AB'))).toBe('BB8'); // RFC 9285's example
    expect(fromBase45('GGW')).toBeUndefined(); // 65535 < value
    expect(fromBase45('ab')).toBeUndefined();
  });
});

describe('QR hand-off', () => {
  it('carries a typical request in one code no larger than version 15', async () => {
    const key = await makeServerKey();
    const item = envelopeWith({ nama: 'Siti Aminah', isiPengaduan: 'TPS 03 Desa Tanjung Labu pindah tanpa pemberitahuan.' });
    const texts = await bundleToQrTexts(await makeHandoffBundle(key, item));
    expect(texts).toHaveLength(1);
    expect(qrMatrix(texts[0]!).length).toBeLessThanOrEqual(77);
    const image = qrImage(texts[0]!);
    expect(image.svg).toMatch(/^<svg[^>]*><rect width="\d+" height="\d+" fill="#fff"\/><path/);
    expect(image.modules).toBe(qrMatrix(texts[0]!).length + 8);
    expect(image.svg).toContain(`viewBox="0 0 ${image.modules} ${image.modules}"`);
  });

  it('round-trips a large submission through several QR images scanned out of order and twice', async () => {
    const key = await makeServerKey();
    const item = envelopeWith({ nama: 'Ahmad Fauzi', isiPengaduan: longComplaint(700), lokasi: 'Dusun Celagen, Pulau Lepar' });
    const bundle = await makeHandoffBundle(key, item);
    const texts = await bundleToQrTexts(bundle);
    expect(bundle.length).toBeGreaterThan(2 * QR_CHUNK_BYTES);
    expect(texts.length).toBeGreaterThanOrEqual(3);

    // Camera: every code drawn as an image and read back by the JS decoder.
    const scanned = texts.map((t) => scanImage(drawQr(t)));
    expect(scanned).toEqual(texts);

    const order = [...scanned.keys()].reverse();
    order.splice(1, 0, order[0]!); // the last code twice
    const { results } = await scanAll(order.map((i) => scanned[i]!));
    expect(results[1]).toMatchObject({ kind: 'again', received: 1, total: texts.length });
    const done = results.at(-1)!;
    expect(done.kind).toBe('complete');
    if (done.kind !== 'complete') return;

    // The officer's phone knows the id (to queue it) but cannot read the content.
    expect(readHandoffBundle(done.bundle)?.submissionId).toBe(item.id);
    expect(new TextDecoder().decode(done.bundle)).not.toContain('Ahmad');
    // The server opens it.
    expect(await openHandoffBundle(key, done.bundle)).toEqual({ ok: true, envelope: item });
  });

  it('refuses a corrupted code at once and still completes with the good one', async () => {
    const key = await makeServerKey();
    const texts = await bundleToQrTexts(await makeHandoffBundle(key, envelopeWith({ isiPengaduan: longComplaint(300) })));
    expect(texts.length).toBeGreaterThanOrEqual(2);
    const good = texts[0]!;
    const flip = (t: string, at: number) => t.slice(0, at) + (t[at] === '7' ? '8' : '7') + t.slice(at + 1);

    // A code altered in its content, and one printed over by a smudge the error correction could
    // not undo, come out as different text: both refused, nothing collected from them.
    const altered = flip(good, 40);
    const smudged = drawQr(good);
    for (let y = 60; y < 200; y++) smudged.data.fill(0, (y * smudged.width + 40) * 4, (y * smudged.width + 200) * 4);
    const fromSmudge = scanImage(smudged);
    expect(fromSmudge === undefined || fromSmudge !== good).toBe(true);

    let collection = EMPTY_COLLECTION;
    for (const bad of [altered, ...(fromSmudge !== undefined ? [fromSmudge] : [])]) {
      const step = await addScan(collection, bad);
      expect(step.result).toEqual({ kind: 'refused', reason: 'corrupt' });
      collection = step.collection;
    }
    expect(collection.chunks.size).toBe(0);
    expect((await addScan(collection, 'https://contoh.id/bukan-jangkau')).result).toEqual({ kind: 'refused', reason: 'not_jangkau' });

    const { results } = await scanAll(texts);
    expect(results.at(-1)?.kind).toBe('complete');
  });

  it('refuses a code from another hand-off without losing the codes already scanned', async () => {
    const key = await makeServerKey();
    const first = await bundleToQrTexts(await makeHandoffBundle(key, envelopeWith({ isiPengaduan: longComplaint(300) })));
    const other = await bundleToQrTexts(await makeHandoffBundle(key, envelopeWith({ isiPengaduan: 'lain' })));
    let { collection } = await addScan(EMPTY_COLLECTION, first[0]!);
    const step = await addScan(collection, other[0]!);
    expect(step.result).toEqual({ kind: 'refused', reason: 'other_handoff' });
    collection = step.collection;
    for (const t of first.slice(1)) ({ collection } = await addScan(collection, t));
    expect(collection.chunks.size).toBe(first.length);
  });

  it('refuses a bundle whose id outside differs from the sealed one inside', async () => {
    const key = await makeServerKey();
    const bundle = await makeHandoffBundle(key, envelopeWith({ isiPengaduan: 'x' }));
    const swapped = bundle.slice();
    swapped[16]! ^= 0x01; // the last byte of the clear submission id
    expect(await openHandoffBundle(key, swapped)).toEqual({ ok: false, reason: 'id_mismatch' });
  });
});
