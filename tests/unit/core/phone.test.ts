// Indonesian mobile numbers as people type them.
import { describe, expect, it } from 'vitest';
import { checkPhone, nationalPhone, normalizePhone } from '../../../core/phone.ts';

describe('phone numbers', () => {
  it.each([
    { raw: '081234567890', national: '081234567890' },
    { raw: '0812 3456 7890', national: '081234567890' },
    { raw: '0812-3456-7890', national: '081234567890' },
    { raw: '(0812) 3456.7890', national: '081234567890' },
    { raw: '  0812 3456 7890  ', national: '081234567890' },
    { raw: '+6281234567890', national: '081234567890' },
    { raw: '+62 812-3456-7890', national: '081234567890' },
    { raw: '6281234567890', national: '081234567890' },
    { raw: '0812345678', national: '0812345678' },
    { raw: '0812345678901', national: '0812345678901' },
  ])('accepts $raw', ({ raw, national }) => {
    expect(checkPhone(raw)).toEqual([]);
    expect(nationalPhone(raw)).toBe(national);
    expect(normalizePhone(raw)).toBe(`+62${national.slice(1)}`);
  });

  it.each([
    { raw: '081234567', why: 'too short (9 digits)' },
    { raw: '0812', why: 'far too short' },
    { raw: '08123456789012', why: 'too long (14 digits)' },
    { raw: '+628123456789012', why: 'too long in international form' },
    { raw: '0712345678', why: 'a landline, not 08' },
    { raw: '+62712345678', why: 'a landline in international form' },
    { raw: '62081234567890', why: '62 followed by the national 0' },
    { raw: '8123456789', why: 'no leading 0' },
    { raw: '+1 202 555 0100', why: 'not Indonesian' },
    { raw: '0812-3456-789O', why: 'a letter O for a zero' },
    { raw: '', why: 'empty' },
  ])('refuses $raw: $why', ({ raw }) => {
    expect(checkPhone(raw)).toEqual(['phone_format']);
    expect(normalizePhone(raw)).toBeUndefined();
  });
});
