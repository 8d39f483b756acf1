// Pemilih ganda: when two voter records are likely the same person. Pure rules over plain
// records, shared by the server (which groups blind keys made from matchKeys and judges the pairs
// inside small blocks) and the phone (which warns of a NIK already on its downloaded lists).
//
//   nik        the same NIK on two records anywhere in the province            score 100
//   nama-lahir the same normalised name and the same birth date               score 90–95
//   mirip      a near-identical name (nameSimilarity ≥ NEAR_NAME), the same
//              birth date, and the same village or the same KK               score 70–89
import { nameKey, nameSimilarity } from './names.ts';
import { comparableNik } from './new-voter.ts';

export type DuplicateKind = 'nik' | 'nama-lahir' | 'mirip';

/** The fields of a voter record the rules read. */
export interface MatchRecord {
  /** The record's stable key: two records with the same key are one record, never a pair. */
  key: string;
  nik: string;
  nama: string;
  /** ISO yyyy-mm-dd. */
  tanggalLahir: string;
  /** Village code (19.01.01.1001). */
  desa: string;
  kk: string;
}

export interface DuplicateVerdict {
  kind: DuplicateKind;
  /** 0–100: how sure the rule is that the two are one person. */
  score: number;
}

/** The least name similarity for a `mirip` pair. */
export const NEAR_NAME = 0.92;

/** Plaintext grouping keys of a record; the server keeps only their keyed hashes (blind keys). */
export interface MatchKeys {
  nik: string;
  /** Normalised name + birth date. */
  nameBirth: string;
  /** Birth date + village: the block near names are compared in. */
  birthVillage: string;
  /** Birth date + KK. */
  birthKk: string;
}

export function matchKeys(r: Omit<MatchRecord, 'key'>): MatchKeys {
  return {
    nik: `nik:${comparableNik(r.nik)}`,
    nameBirth: `nl:${nameKey(r.nama)}|${r.tanggalLahir}`,
    birthVillage: `ld:${r.tanggalLahir}|${r.desa}`,
    birthKk: `lk:${r.tanggalLahir}|${comparableNik(r.kk)}`,
  };
}

/**
 * Whether two records are likely one person, and how sure: undefined when no rule holds.
 * Symmetric: judge(a, b) equals judge(b, a).
 */
export function judgePair(a: MatchRecord, b: MatchRecord): DuplicateVerdict | undefined {
  if (a.key === b.key) return undefined;
  const nikA = comparableNik(a.nik);
  if (nikA.length > 0 && nikA === comparableNik(b.nik)) return { kind: 'nik', score: 100 };
  if (a.tanggalLahir !== b.tanggalLahir) return undefined;
  const sameVillage = a.desa === b.desa;
  const sameKk = comparableNik(a.kk) !== '' && comparableNik(a.kk) === comparableNik(b.kk);
  if (nameKey(a.nama) === nameKey(b.nama)) return { kind: 'nama-lahir', score: 90 + (sameVillage ? 3 : 0) + (sameKk ? 2 : 0) };
  if (!sameVillage && !sameKk) return undefined;
  const similarity = nameSimilarity(a.nama, b.nama);
  if (similarity < NEAR_NAME) return undefined;
  // 0.92 → 70, 1.0 → 85; the same KK as well adds 4.
  const score = 70 + Math.floor(((similarity - NEAR_NAME) / (1 - NEAR_NAME)) * 15) + (sameVillage && sameKk ? 4 : 0);
  return { kind: 'mirip', score: Math.min(89, score) };
}

/** A pair's two keys in one order, so (a, b) and (b, a) are one pair. */
export function pairKeys(a: string, b: string): readonly [string, string] {
  return a < b ? [a, b] : [b, a];
}

/**
 * All pairs among records by the rules, the way the server finds them but in memory: group by
 * each key, judge pairs inside a group. For tests and for the bench's reference; a block larger
 * than `maxBlock` is skipped for the near-name comparison (a common birth date in a big village
 * says little), never for NIK or name + birth date.
 */
export function findPairsInMemory(records: readonly MatchRecord[], maxBlock = 200): Map<string, DuplicateVerdict & { a: string; b: string }> {
  const out = new Map<string, DuplicateVerdict & { a: string; b: string }>();
  const groups = new Map<string, MatchRecord[]>();
  for (const r of records) {
    const k = matchKeys(r);
    for (const g of [k.nik, k.nameBirth, k.birthVillage, k.birthKk]) {
      const list = groups.get(g);
      if (list) list.push(r);
      else groups.set(g, [r]);
    }
  }
  for (const [g, list] of groups) {
    if (list.length < 2) continue;
    if ((g.startsWith('ld:') || g.startsWith('lk:')) && list.length > maxBlock) continue;
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const v = judgePair(list[i]!, list[j]!);
        if (!v) continue;
        const [a, b] = pairKeys(list[i]!.key, list[j]!.key);
        const id = `${a}|${b}`;
        const had = out.get(id);
        if (!had || had.score < v.score) out.set(id, { ...v, a, b });
      }
    }
  }
  return out;
}
