// The safety copy's byte layout, without crypto or storage: header parsing refuses what is not
// ours, what is newer, and parameters we would never write.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ITERATIONS,
  encodeHeader,
  frameBody,
  fromBase64,
  MAGIC,
  parseFile,
  passphraseProblem,
  safetyCopyFileName,
  toBase64,
  unframeBody,
  type SafetyCopyHeader,
} from '../../../src/lib/safety-copy-format.ts';

const b64 = (n: number) => toBase64(new Uint8Array(n).fill(7));
const header = (over: Partial<SafetyCopyHeader['kdf']> = {}): SafetyCopyHeader => ({
  v: 1,
  kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: DEFAULT_ITERATIONS, salt: b64(16), ...over },
  cipher: { name: 'AES-GCM', iv: b64(12) },
  check: b64(16),
});
const file = (h: SafetyCopyHeader, tail = [1, 2, 3]) => new Uint8Array([...encodeHeader(h), ...tail]);

describe('header', () => {
  it('splits header and ciphertext', () => {
    const parsed = parseFile(file(header()));
    expect(parsed.ok && [...parsed.ciphertext]).toEqual([1, 2, 3]);
    expect(parsed.ok && parsed.header.kdf.iterations).toBe(DEFAULT_ITERATIONS);
  });

  it.each([
    ['too few iterations', header({ iterations: 1000 }), 'damaged'],
    ['absurd iterations', header({ iterations: 2e9 }), 'damaged'],
    ['short salt', header({ salt: b64(4) }), 'damaged'],
    ['other hash', header({ hash: 'SHA-1' as 'SHA-256' }), 'damaged'],
    ['newer version', { ...header(), v: 2 }, 'newer_format'],
    ['older unknown version', { ...header(), v: 0 }, 'damaged'],
  ] as const)('%s', (_name, h, reason) => {
    expect(parseFile(file(h))).toEqual({ ok: false, reason });
  });

  it('no magic → not a safety copy; magic without a line end → damaged', () => {
    expect(parseFile(new TextEncoder().encode('PK\u0003\u0004 zip'))).toEqual({ ok: false, reason: 'not_a_safety_copy' });
    expect(parseFile(new TextEncoder().encode(MAGIC + '{"v":1'))).toEqual({ ok: false, reason: 'damaged' });
  });
});

describe('body framing', () => {
  it('round-trips a manifest and the attachment bytes after it', () => {
    const body = frameBody({ attachments: [{ bytes: 3 }] }, [new Uint8Array([9, 8, 7])]);
    const out = unframeBody(body);
    expect(out?.manifest).toEqual({ attachments: [{ bytes: 3 }] });
    expect([...(out?.rest ?? [])]).toEqual([9, 8, 7]);
    expect(unframeBody(body.subarray(0, 6))).toBeUndefined();
    expect(unframeBody(new Uint8Array(2))).toBeUndefined();
  });
});

describe('helpers', () => {
  it('base64 round-trips and refuses junk', () => {
    const bytes = new Uint8Array(70_000).map((_, i) => i % 251);
    expect(fromBase64(toBase64(bytes))).toEqual(bytes);
    expect(fromBase64('a*b=')).toBeUndefined();
    expect(fromBase64('abc')).toBeUndefined();
  });

  it('passphrases: at least 8 characters, counted as people see them', () => {
    expect(passphraseProblem('1234567')).toBe('too_short');
    expect(passphraseProblem('12345678')).toBeUndefined();
    // Eight code points, seven characters once composed.
    expect(passphraseProblem('cafe\u0301caf')).toBe('too_short');
  });

  it('file name sorts by local time', () => {
    expect(safetyCopyFileName(new Date(2026, 10, 28, 7, 5).getTime())).toBe('jangkau-cadangan-20261128-0705.jangkau');
  });
});
