// The Konflik queue as the API answers it (GET /voters/conflicts, POST /voters/conflicts/:id/resolve,
// GET /voters/records/:id/history): one definition for the server, which builds the answers
// (server/repositories/voter-updates.ts), and the officer screens, which read them
// (src/auth/officer-api.ts, src/features/officer/conflicts-screen.tsx).
import type { FieldDiff } from './merge.ts';
import type { Outcome, RecordState } from './record.ts';

/** One side of a voter-record conflict: the record's state as that side has it. */
export type ConflictSide = RecordState;

/** A conflict of the Konflik queue: both sides (personal data: reading them is audited), and the fields where they differ. */
export interface VoterConflict {
  id: string;
  recordId: string;
  village: string;
  tps: string;
  baseVersion: number | null;
  currentVersion: number;
  incomingKind: string;
  status: string;
  resolution: string | null;
  createdAt: string;
  current: ConflictSide;
  incoming: ConflictSide;
  fields: FieldDiff[];
}

/** What staff decide on a conflict (the resolve body): one side, a merge per field, or back to the field. */
export type ConflictResolution =
  | { resolution: 'current' | 'incoming' | 'field' }
  | { resolution: 'merge'; pick: Record<string, 'current' | 'incoming'> };

/** One entry of a voter record's history (no personal data): which change, by which role, when. */
export interface VoterHistoryEntry {
  version: number | null;
  kind: string;
  outcome: Outcome | null;
  submissionId: string | null;
  actorRole: string;
  at: string;
}
