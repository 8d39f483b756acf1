// Coklit records of generated voters as a pantarlih's phone files them, for bench:voters and
// bench:server's coklit cases: the outcomes' mix (mostly sesuai, some ubah and TMS), the envelope
// naming the voter record and its base version, and the map from a generated voter to the record
// loadRecords stored for it.
import type { Kysely } from 'kysely';
import type { ListedVoter } from '../../core/assignments/voter-list.ts';
import type { SubmissionEnvelope } from '../../core/protocol.ts';
import type { Database } from '../../server/db/schema.ts';
import { formEnvelope } from '../../tests/server/auth-fixtures.ts';
import type { GeneratedVoter } from './voter-generator.ts';

/** A generated voter as an uploaded list carries it. */
export function toListed(v: GeneratedVoter): ListedVoter {
  return { desa: v.desa, tps: v.tps, nik: v.nik, kk: v.kk, nama: v.nama, jenisKelamin: v.jenisKelamin, tempatLahir: 'Pangkalpinang', tanggalLahir: v.tanggalLahir, alamat: 'Jl. Merdeka 1', rt: '001' };
}

/** The visits' outcomes in turn: 16 sesuai, 2 ubah (the address), 2 TMS. */
export const OUTCOMES: readonly Record<string, unknown>[] = [
  ...Array<Record<string, unknown>>(16).fill({ hasil: 'sesuai' }),
  { hasil: 'ubah', dataDiubah: ['alamat'], alamat: 'Jl. Depati Amir 12' },
  { hasil: 'ubah', dataDiubah: ['alamat'], alamat: 'Jl. Depati Amir 12' },
  { hasil: 'tms', alasanTms: '1' },
  { hasil: 'tms', alasanTms: '4' },
];

/** Share of a device's updates that are a second, stale update of a voter it already visited (base version 1). */
export const STALE_SHARE = 0.05;

/** A coklit record of a generated voter as the phone files it, with the voter record it updates (or none). */
export function coklitOf(v: GeneratedVoter, outcome: Record<string, unknown>, record?: { id: string; baseVersion: number }): SubmissionEnvelope {
  const listed = toListed(v);
  const e = formEnvelope('coklit-pilkada', { ...listed, rw: '001' });
  for (const k of ['hasil', 'dataDiubah', 'alasanTms', 'suratDokter']) delete (e.data as Record<string, unknown>)[k];
  return { ...e, data: { ...e.data, ...outcome } as SubmissionEnvelope['data'], ...(record ? { record } : {}) };
}

/** Whether a second update on the same base version opens a conflict (it says otherwise than the first). */
export function conflictsWith(first: Record<string, unknown>, second: Record<string, unknown>): boolean {
  return JSON.stringify(first) !== JSON.stringify(second);
}

/**
 * The stored record id of each generated voter (by its key): loadRecords appends each TPS list in
 * input order, so the n-th voter of a TPS in `voters` is at position n (on an empty list).
 */
export async function recordIdsOf(db: Kysely<Database>, voters: readonly GeneratedVoter[]): Promise<Map<string, string>> {
  const place = new Map<string, number>();
  const byPlace = new Map<string, string>();
  for (const v of voters) {
    const k = `${v.desa}/${v.tps}`;
    const p = place.get(k) ?? 0;
    place.set(k, p + 1);
    byPlace.set(`${k}/${p}`, v.key);
  }
  const recordOf = new Map<string, string>();
  for (const r of await db.selectFrom('assignment_voters').select(['record_id', 'village_code', 'tps', 'position']).execute()) {
    recordOf.set(byPlace.get(`${r.village_code}/${r.tps}/${r.position}`) ?? r.record_id, r.record_id);
  }
  return recordOf;
}
