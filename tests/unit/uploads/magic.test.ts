// Magic-byte sniffing of finished uploads: what a file is, whatever it claims to be.
import { describe, expect, it } from 'vitest';
import { isAllowedType, sniffType } from '../../../server/uploads/magic.ts';

const bytes = (...values: number[]) => Uint8Array.from(values);
const ascii = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));

describe('sniffType', () => {
  const table: Array<[string, Uint8Array, string | undefined]> = [
    ['JPEG (JFIF)', bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10), 'image/jpeg'],
    ['JPEG (Exif)', bytes(0xff, 0xd8, 0xff, 0xe1), 'image/jpeg'],
    ['PNG', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13), 'image/png'],
    ['WebP', ascii('RIFF\x24\x00\x00\x00WEBPVP8 '), 'image/webp'],
    ['PDF', ascii('%PDF-1.7\n'), 'application/pdf'],
    ['Windows executable (MZ)', ascii('MZ\x90\x00\x03\x00\x00\x00'), undefined],
    ['ELF executable', ascii('\x7fELF\x02\x01\x01'), undefined],
    ['ZIP / APK', ascii('PK\x03\x04'), undefined],
    ['WAV is RIFF but not WebP', ascii('RIFF\x24\x00\x00\x00WAVEfmt '), undefined],
    ['HTML', ascii('<!doctype html>'), undefined],
    ['truncated PNG signature', bytes(0x89, 0x50, 0x4e), undefined],
    ['empty', bytes(), undefined],
  ];
  it.each(table)('%s', (_label, head, expected) => {
    expect(sniffType(head)).toBe(expected);
  });
});

describe('isAllowedType', () => {
  it.each([
    ['image/jpeg', true],
    ['image/png', true],
    ['image/webp', true],
    ['application/pdf', true],
    ['image/gif', false],
    ['application/x-msdownload', false],
    ['IMAGE/JPEG', false],
  ] as const)('%s → %s', (type, allowed) => {
    expect(isAllowedType(type)).toBe(allowed);
  });
});
