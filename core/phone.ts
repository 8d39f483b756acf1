// Indonesian mobile numbers: 08… or +628… (or 628…), 10–13 digits in national form.

export type PhoneErrorCode = 'phone_format';

/** Drops spaces, dashes, dots and brackets people type between digit groups. */
function compact(raw: string): string {
  return raw.trim().replace(/[\s\-.()]/g, '');
}

/** The national form (08…) of a valid mobile number, or undefined. */
export function nationalPhone(raw: string): string | undefined {
  const s = compact(raw);
  let national: string;
  if (s.startsWith('+62')) national = '0' + s.slice(3);
  else if (s.startsWith('62')) national = '0' + s.slice(2);
  else national = s;
  return /^08\d{8,11}$/.test(national) ? national : undefined;
}

/** The international form (+628…) used for storage and SMS. */
export function normalizePhone(raw: string): string | undefined {
  const national = nationalPhone(raw);
  return national ? '+62' + national.slice(1) : undefined;
}

export function checkPhone(raw: string): PhoneErrorCode[] {
  return nationalPhone(raw) ? [] : ['phone_format'];
}
