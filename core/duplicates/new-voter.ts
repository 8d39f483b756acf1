// The phone's own pemilih-ganda check, offline: a coklit entry of a new voter (hasil = baru) whose
// NIK is already on the voter lists the officer downloaded is flagged beside the NIK field at once.
// A warning, not an error: the list may be the one that is wrong, and the server's search still
// sees both records. Kept apart from the name rules so the form screen loads none of them.
import type { FieldIssue } from '../forms/validate.ts';

/** A NIK as it is compared: digits only. */
export function comparableNik(nik: string): string {
  return nik.replace(/\D/g, '');
}

/** Listed records whose NIK equals `nik`; the record with `ownKey` left out. */
export function sameNikOnList<T extends { nik: string; key?: string }>(nik: string, listed: Iterable<T>, ownKey?: string): T[] {
  const wanted = comparableNik(nik);
  if (wanted.length !== 16) return [];
  const out: T[] = [];
  for (const r of listed) if (comparableNik(r.nik) === wanted && (ownKey === undefined || r.key !== ownKey)) out.push(r);
  return out;
}

/** The warning for a new voter already listed (its first TPS as a parameter), or undefined. */
export function newVoterNikIssue(data: Readonly<Record<string, unknown>>, listed: Iterable<{ nik: string; tps: string }>): FieldIssue | undefined {
  if (data.hasil !== 'baru' || typeof data.nik !== 'string') return undefined;
  const [first] = sameNikOnList(data.nik, listed);
  return first ? { field: 'nik', code: 'nik_on_list', params: { tps: Number(first.tps) } } : undefined;
}
