// NIK (Nomor Induk Kependudukan) structure rules. A NIK keeps the region and birth date of its
// first issue, so a mismatch with what the person states is only a warning, never a rejection.

export type NikErrorCode = 'nik_format' | 'nik_province' | 'nik_region' | 'nik_date' | 'nik_serial';
export type NikWarningCode = 'nik_birthdate_mismatch' | 'nik_sex_mismatch';
export type Sex = 'L' | 'P';

/** Province codes in use by Kemendagri (Papua's new provinces included). */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15', '16', '17', '18', '19', '21',
  '31', '32', '33', '34', '35', '36', '51', '52', '53',
  '61', '62', '63', '64', '65', '71', '72', '73', '74', '75', '76',
  '81', '82', '91', '92', '93', '94', '95', '96', '97',
]);

export interface NikParts {
  province: string;
  regency: string;
  district: string;
  day: number;
  month: number;
  year2: number;
  sex: Sex;
  serial: string;
}

export interface NikVerdict {
  errors: NikErrorCode[];
  warnings: NikWarningCode[];
  parts?: NikParts;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(month: number, year: number): number {
  return [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** The two-digit year may be 19xx or 20xx; a day is valid if it exists in either century. */
function dayExists(day: number, month: number, year2: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(month, 1900 + year2) || day <= daysInMonth(month, 2000 + year2);
}

export function parseNik(nik: string): NikParts | undefined {
  if (!/^\d{16}$/.test(nik)) return undefined;
  const rawDay = Number(nik.slice(6, 8));
  const sex: Sex = rawDay > 40 ? 'P' : 'L';
  return {
    province: nik.slice(0, 2),
    regency: nik.slice(2, 4),
    district: nik.slice(4, 6),
    day: sex === 'P' ? rawDay - 40 : rawDay,
    month: Number(nik.slice(8, 10)),
    year2: Number(nik.slice(10, 12)),
    sex,
    serial: nik.slice(12, 16),
  };
}

export interface NikContext {
  /** Stated birth date, ISO yyyy-mm-dd. */
  birthDate?: string;
  sex?: Sex;
}

export function checkNik(nik: string, context: NikContext = {}): NikVerdict {
  const parts = parseNik(nik);
  if (!parts) return { errors: ['nik_format'], warnings: [] };
  const errors: NikErrorCode[] = [];
  if (!PROVINCE_CODES.has(parts.province)) errors.push('nik_province');
  if (parts.regency === '00' || parts.district === '00') errors.push('nik_region');
  const rawDay = Number(nik.slice(6, 8));
  const dayInRange = (rawDay >= 1 && rawDay <= 31) || (rawDay >= 41 && rawDay <= 71);
  if (!dayInRange || !dayExists(parts.day, parts.month, parts.year2)) errors.push('nik_date');
  if (parts.serial === '0000') errors.push('nik_serial');
  if (errors.length > 0) return { errors, warnings: [], parts };

  const warnings: NikWarningCode[] = [];
  const stated = context.birthDate?.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (stated) {
    const [, y, m, d] = stated;
    if (Number(d) !== parts.day || Number(m) !== parts.month || Number(y) % 100 !== parts.year2) {
      warnings.push('nik_birthdate_mismatch');
    }
  }
  if (context.sex && context.sex !== parts.sex) warnings.push('nik_sex_mismatch');
  return { errors, warnings, parts };
}
