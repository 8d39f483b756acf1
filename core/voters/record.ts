// A voter record as coklit keeps it (issue #13): the voter's data as listed and corrected, its
// stable key and version, and the outcome so far. Pure types and helpers shared by phone and server.
import type { ListedVoter } from '../assignments/voter-list.ts';

export type Outcome = 'sesuai' | 'ubah' | 'baru' | 'tms';
export const OUTCOMES: readonly Outcome[] = ['sesuai', 'ubah', 'baru', 'tms'];

/** The sealed JSON of a record: the upload's columns, plus what coklit adds. */
export interface VoterData extends ListedVoter {
  statusKawin?: string;
  /** Disability codes 1–6 (health data). */
  disabilitas?: string[];
  ktpEl?: string;
}

/** The fields of VoterData a change may set; `desa` and `tps` move a record between lists. */
export const VOTER_FIELDS = [
  'desa',
  'tps',
  'nik',
  'kk',
  'nama',
  'tempatLahir',
  'tanggalLahir',
  'jenisKelamin',
  'alamat',
  'rt',
  'rw',
  'statusKawin',
  'disabilitas',
  'ktpEl',
] as const;
export type VoterField = (typeof VOTER_FIELDS)[number];

/** A record's state: its data and outcome at one version. */
export interface RecordState {
  recordId: string;
  version: number;
  data: VoterData;
  outcome: Outcome | null;
  tmsCode: string | null;
}

/** What the phone keeps of a listed voter's record: its key, the version it saw, the outcome so far. */
export interface RecordRef {
  id: string;
  version: number;
  outcome: Outcome | null;
  tmsCode: string | null;
}
