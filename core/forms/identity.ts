// The family card (KK) number: 16 digits that start with the region code of the issuing office,
// like a NIK, then the issue date and a serial. The KK changes whenever a family changes, so it is
// checked for shape only: no date rule, and it is never a key.
import { PROVINCE_CODES } from '../nik.ts';

export type KkErrorCode = 'kk_format' | 'kk_province' | 'kk_region';

export function checkKk(raw: string): KkErrorCode[] {
  if (!/^\d{16}$/.test(raw)) return ['kk_format'];
  const errors: KkErrorCode[] = [];
  if (!PROVINCE_CODES.has(raw.slice(0, 2))) errors.push('kk_province');
  if (raw.slice(2, 4) === '00' || raw.slice(4, 6) === '00') errors.push('kk_region');
  return errors;
}
