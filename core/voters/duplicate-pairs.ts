// Pemilih ganda as the API answers it (GET /voters/duplicates, POST /voters/duplicates/:id/decision):
// one definition for the server, which builds the pairs (server/repositories/voter-duplicates.ts),
// and the officer screens, which read them (src/auth/officer-api.ts,
// src/features/officer/duplicates-screen.tsx).
import type { DuplicateKind } from '../duplicates/rules.ts';

/** One record of a pair as the server opens it for staff (personal data: each page read is audited). */
export interface DuplicateCard {
  key: string;
  nik: string;
  nama: string;
  tanggalLahir: string;
  desa: string;
  tps: string;
  kk: string;
  jenisKelamin?: string;
}

export type DuplicateStatus = 'terbuka' | 'ganda' | 'bukan_ganda';

export interface DuplicatePair {
  id: string;
  kind: DuplicateKind;
  score: number;
  status: DuplicateStatus;
  foundAt: string;
  decidedAt?: string;
  tmsKey?: string;
  a: DuplicateCard;
  b: DuplicateCard;
}

/** One page of pairs, surest first: `next` is the cursor of the page after, `open` the open pairs in scope. */
export interface DuplicatePairsPage {
  pairs: DuplicatePair[];
  open: number;
  next?: string;
}

/** The decision body: ganda (the record `tms` gets TMS kode 2) or bukan ganda. */
export type DuplicateDecision = { keputusan: 'ganda'; tms: string } | { keputusan: 'bukan_ganda' };
