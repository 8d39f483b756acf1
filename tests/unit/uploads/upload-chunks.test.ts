// Chunk sizing and tus headers of the upload client: pure, table-driven.
import { describe, expect, it } from 'vitest';
import {
  chunkBytesFor,
  createHeaders,
  encodeUploadMetadata,
  MAX_CHUNK_BYTES,
  MIN_CHUNK_BYTES,
  nextThroughput,
  patchHeaders,
  readOffset,
} from '../../../src/lib/upload-chunks.ts';
import { parseMetadataHeader, readUploadMetadata } from '../../../server/uploads/metadata.ts';

const KB = 1024;

describe('chunkBytesFor', () => {
  // [label, bytes per second, expected chunk]
  const table: Array<[string, number | undefined, number]> = [
    ['unknown link: the smallest chunk', undefined, MIN_CHUNK_BYTES],
    ['nonsense estimate', Number.NaN, MIN_CHUNK_BYTES],
    ['zero', 0, MIN_CHUNK_BYTES],
    ['pulau-2g, 32 kbit/s = 4 KB/s: floor', 4_000, MIN_CHUNK_BYTES],
    ['pulau-edge, 200 kbit/s = 25 KB/s: 6 s in 16 KB steps', 25_000, 144 * KB],
    ['3g-slow, 330 kbit/s', 41_250, 240 * KB],
    ['fast link: capped', 5_000_000, MAX_CHUNK_BYTES],
  ];
  it.each(table)('%s', (_label, bps, expected) => {
    expect(chunkBytesFor(bps)).toBe(expected);
  });

  it('keeps every chunk between the bounds and in 16 KB steps', () => {
    for (let bps = 1; bps < 1e7; bps *= 1.37) {
      const size = chunkBytesFor(bps);
      expect(size).toBeGreaterThanOrEqual(MIN_CHUNK_BYTES);
      expect(size).toBeLessThanOrEqual(MAX_CHUNK_BYTES);
      expect(size % MIN_CHUNK_BYTES).toBe(0);
    }
  });
});

describe('nextThroughput', () => {
  const table: Array<[string, number | undefined, number, number, number | undefined]> = [
    ['first sample is taken as is', undefined, 10_000, 1_000, 10_000],
    ['a new sample moves a third of the way', 9_000, 12_000, 1_000, 10_000],
    ['no bytes: unchanged', 5_000, 0, 1_000, 5_000],
    ['no time: unchanged', 5_000, 100, 0, 5_000],
  ];
  it.each(table)('%s', (_label, previous, bytes, ms, expected) => {
    expect(nextThroughput(previous, bytes, ms)).toBe(expected);
  });
});

describe('tus headers', () => {
  const sha = 'ab'.repeat(32);

  it('encodes metadata the server reads back', () => {
    const header = encodeUploadMetadata({ sha256: sha, type: 'image/jpeg', name: 'foto ktp é.jpg' });
    expect(parseMetadataHeader(header)).toEqual({ sha256: sha, type: 'image/jpeg', name: 'foto ktp é.jpg' });
    expect(readUploadMetadata(header)).toEqual({ ok: true, metadata: { sha256: sha, type: 'image/jpeg' } });
  });

  it('builds create and patch headers', () => {
    expect(createHeaders('Device x.y', 1234, sha, 'application/pdf')).toEqual({
      authorization: 'Device x.y',
      'tus-resumable': '1.0.0',
      'upload-length': '1234',
      'upload-metadata': encodeUploadMetadata({ sha256: sha, type: 'application/pdf' }),
    });
    expect(patchHeaders('Device x.y', 99)).toEqual({
      authorization: 'Device x.y',
      'tus-resumable': '1.0.0',
      'upload-offset': '99',
      'content-type': 'application/offset+octet-stream',
    });
  });

  const offsets: Array<[string | null, number | undefined]> = [
    ['0', 0],
    [' 2048 ', 2048],
    [null, undefined],
    ['', undefined],
    ['-1', undefined],
    ['1e3', undefined],
    ['12abc', undefined],
  ];
  it.each(offsets)('reads offset %j as %j', (raw, expected) => {
    expect(readOffset(raw)).toBe(expected);
  });

  const metadata: Array<[string | undefined, string]> = [
    [undefined, 'missing_sha256'],
    ['sha256', 'missing_sha256'],
    ['sha256 !!!!', 'malformed'],
    ['sha256 YQ== extra', 'malformed'],
    [`sha256 ${Buffer.from(sha).toString('base64')},sha256 YQ==`, 'malformed'],
    [`sha256 ${Buffer.from(sha.toUpperCase()).toString('base64')},type YQ==`, 'missing_sha256'],
    [`sha256 ${Buffer.from(sha).toString('base64')}`, 'missing_type'],
  ];
  it.each(metadata)('refuses metadata %j (%s)', (header, reason) => {
    expect(readUploadMetadata(header)).toEqual({ ok: false, reason });
  });
});
