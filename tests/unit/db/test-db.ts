// Fixtures shared by the storage and sync tests: a fresh database per test (fake-indexeddb keeps
// them apart by name) and answers that pass the PPID form.
import { ulid } from '../../../core/ids.ts';
import { ppidPermohonanV1 } from '../../../core/forms/catalog/ppid-permohonan.ts';
import { submitDraft } from '../../../src/db/outbox.ts';
import { JangkauDb, type ReceiptRow } from '../../../src/db/schema.ts';

let counter = 0;

export function openTestDb(): JangkauDb {
  counter += 1;
  return new JangkauDb(`test-${counter}-${ulid()}`);
}

export const PPID = ppidPermohonanV1;

/** PPID answers are all text, so tests can treat them as strings. */
export function validPpid(overrides: Partial<Record<string, string>> = {}): Record<string, string> {
  return {
    ditujukanKepada: '19.01',
    nik: '1901024501900001',
    nama: 'Siti Aminah',
    alamat: 'Jl. Merdeka No. 1, Sungailiat',
    pekerjaan: 'Nelayan',
    telepon: '0812 3456 7890',
    rincianInformasi: 'Daftar pemilih tetap Desa Kelabat pada Pemilu 2024',
    tujuanPenggunaan: 'Penelitian skripsi',
    caraMenerima: 'ambil',
    ...overrides,
  };
}

/** Files `n` valid PPID requests, one ms apart, and returns their receipts in filing order. */
export async function fileRequests(db: JangkauDb, n: number, start = Date.parse('2026-12-01T01:00:00Z')): Promise<ReceiptRow[]> {
  const out: ReceiptRow[] = [];
  for (let i = 0; i < n; i++) {
    const at = start + i;
    const result = await submitDraft(db, PPID, ulid(at), validPpid({ rincianInformasi: `Salinan daftar pemilih nomor ${i}` }), at);
    if (!result.ok) throw new Error(`fixture refused: ${JSON.stringify(result)}`);
    out.push(result.receipt);
  }
  return out;
}

/**
 * Makes writes to the chosen tables fail the way a full origin does: the IndexedDB request
 * rejects with a QuotaExceededError DOMException. A Dexie middleware, so Dexie's own transaction
 * handling (abort, rollback, error wrapping) is what runs.
 */
export function withQuota(db: JangkauDb): { fullFor: Set<string> } {
  const control = { fullFor: new Set<string>() };
  db.use({
    stack: 'dbcore',
    name: 'quota-full',
    create(down) {
      return {
        ...down,
        table(name) {
          const table = down.table(name);
          return {
            ...table,
            mutate(req) {
              if (control.fullFor.has(name) && req.type !== 'delete') {
                return Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
              }
              return table.mutate(req);
            },
          };
        },
      };
    },
  });
  return control;
}
