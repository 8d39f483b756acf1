// What a term typed into the inbox's search names: a receipt number (the id, with or without its
// dashes, any case), a NIK (16 digits), or words of the requester's name (at least one word of two
// letters or more, core/duplicates/names.ts nameTokens). One rule for the server, which looks the
// term up through its keyed indexes, and the screen, which says beside the field when it is none.
import { nameTokens } from '../duplicates/names.ts';
import { isUlid, receiptKey } from '../ids.ts';

export type SearchKind = 'receipt' | 'nik' | 'name';

export function searchKind(term: string): SearchKind | undefined {
  const key = receiptKey(term);
  if (isUlid(key)) return 'receipt';
  if (/^[0-9]{16}$/.test(key)) return 'nik';
  if (/\p{L}/u.test(term) && nameTokens(term).length > 0) return 'name';
  return undefined;
}
