// Every form version the province has published, oldest first. A version once published stays
// here for ever: the server accepts submissions made against any of them (invariant 6).
import type { FormDef } from '../definition.ts';
import { ppidPermohonanV1 } from './ppid-permohonan.ts';
import { keberatanInformasiV1 } from './keberatan-informasi.ts';
import { tanggapanDpsV1 } from './tanggapan-dps.ts';
import { pindahMemilihV1 } from './pindah-memilih.ts';
import { pengaduanV1 } from './pengaduan.ts';
import { skmV1, skmV2 } from './skm.ts';
import { akreditasiPemantauV1 } from './akreditasi-pemantau.ts';
import { coklitPilkadaV1 } from './coklit-pilkada.ts';
import { surveiTpsV1 } from './survei-tps.ts';

export const PUBLISHED_FORMS: readonly FormDef[] = [
  ppidPermohonanV1,
  keberatanInformasiV1,
  tanggapanDpsV1,
  pindahMemilihV1,
  pengaduanV1,
  skmV1,
  akreditasiPemantauV1,
  coklitPilkadaV1,
  surveiTpsV1,
  skmV2,
];

export function findForm(forms: readonly FormDef[], formId: string, version: number): FormDef | undefined {
  return forms.find((f) => f.formId === formId && f.version === version);
}

/** The newest version of each form, for the list of services a device offers. */
export function latestForms(forms: readonly FormDef[]): FormDef[] {
  const newest = new Map<string, FormDef>();
  for (const f of forms) {
    const seen = newest.get(f.formId);
    if (!seen || f.version > seen.version) newest.set(f.formId, f);
  }
  return [...newest.values()];
}
