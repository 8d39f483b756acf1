// When the law keeps a record the data subject (or the retention purge) would remove. Each hold
// is a row of data; `holdsOn` is the one pure function both the erasure flow and the purge ask,
// so the table test in tests/unit/privacy/legal-hold.test.ts covers both.
import { FINAL_STATUSES, type ServerStatus } from '../protocol.ts';
import { withinRetention } from './retention.ts';

export type HoldId = 'open_request' | 'open_keberatan' | 'election_retention';
export type HoldPurpose = 'erasure' | 'purge';

/** The services a pending keberatan (UU 14/2008 objection) concerns: the request and the objection. */
export const KEBERATAN_FORM = 'keberatan-informasi';

export interface LegalHold {
  id: HoldId;
  /** Which removals the hold stops. */
  purposes: readonly HoldPurpose[];
  /** The forms it applies to; absent: every form. */
  forms?: readonly string[];
  /** Why, for docs and the staff's screen. */
  basis: string;
}

export const LEGAL_HOLDS: readonly LegalHold[] = [
  {
    // An unanswered request past its retention is a failure to answer, not data to forget; the
    // data subject may still withdraw (erase) it.
    id: 'open_request',
    purposes: ['purge'],
    basis: 'Permohonan belum dijawab (status belum selesai/ditolak)',
  },
  {
    id: 'open_keberatan',
    purposes: ['erasure', 'purge'],
    forms: ['ppid-permohonan', KEBERATAN_FORM],
    basis: 'Keberatan informasi publik masih berjalan (UU 14/2008 Pasal 35–36)',
  },
  {
    // Voter-list work is evidence in the election's disputes; it is kept for its whole retention.
    id: 'election_retention',
    purposes: ['erasure'],
    forms: ['coklit-pilkada', 'tanggapan-dps', 'pindah-memilih'],
    basis: 'Arsip pemutakhiran data pemilih disimpan selama masa retensi (UU 7/2017, PKPU pemutakhiran)',
  },
];

export interface HeldRecord {
  formId: string;
  status: ServerStatus;
  receivedAt: string;
  /** The form's retention (core/privacy/retention.ts). */
  retentionDays: number;
}

export interface HoldContext {
  now: Date;
  /** Whether a keberatan by the same data subject (same NIK) is still open. */
  openKeberatan: boolean;
}

function applies(hold: LegalHold, record: HeldRecord, ctx: HoldContext): boolean {
  switch (hold.id) {
    case 'open_request':
      return !FINAL_STATUSES.includes(record.status);
    case 'open_keberatan':
      return ctx.openKeberatan;
    case 'election_retention':
      return withinRetention(record.receivedAt, record.retentionDays, ctx.now);
  }
}

/** The holds that stop removing `record` for `purpose`; empty means it may go. */
export function holdsOn(record: HeldRecord, purpose: HoldPurpose, ctx: HoldContext, holds: readonly LegalHold[] = LEGAL_HOLDS): HoldId[] {
  return holds
    .filter((h) => h.purposes.includes(purpose) && (h.forms === undefined || h.forms.includes(record.formId)) && applies(h, record, ctx))
    .map((h) => h.id);
}

/** Whether any of a subject's records is a keberatan still open (holds their PPID records). */
export function hasOpenKeberatan(records: readonly Pick<HeldRecord, 'formId' | 'status'>[]): boolean {
  return records.some((r) => r.formId === KEBERATAN_FORM && !FINAL_STATUSES.includes(r.status));
}
