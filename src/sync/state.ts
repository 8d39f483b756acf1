// The sync state the screens show, and the pure rules that derive it.
import type { SyncOutcome } from '../db/meta.ts';

export type SyncReason = 'start' | 'online' | 'visible' | 'manual' | 'timer' | 'background-sync' | 'queued';

export type SyncPhase = 'idle' | 'syncing' | 'offline' | 'error' | 'auth_required';

export interface Progress {
  items: number;
  bytes: number;
}

/** Files the running upload phase sends: how many, how many done, bytes the server holds of them. */
export interface UploadTotals {
  files: number;
  done: number;
  bytes: number;
  sentBytes: number;
}

export interface SyncState {
  phase: SyncPhase;
  /** When a sync last completed fully (ms since epoch). */
  lastSyncAt?: number;
  lastOutcome?: SyncOutcome;
  /** Submissions waiting to be sent. */
  queued: number;
  /** Submissions the province refused, waiting for the person ("perlu perbaikan"). */
  needsFix: number;
  /** Progress of the running push: answered so far, out of `total`. */
  sent: Progress;
  total: Progress;
  /** When the backoff timer will try again (ms since epoch). */
  nextAttemptAt?: number;
  /** Progress of the upload phase of the running sync, once it started. */
  uploads?: UploadTotals;
}

export const INITIAL_STATE: SyncState = Object.freeze({
  phase: 'idle',
  queued: 0,
  needsFix: 0,
  sent: Object.freeze({ items: 0, bytes: 0 }),
  total: Object.freeze({ items: 0, bytes: 0 }),
});

/** The phase a finished sync leaves behind. */
export function phaseAfter(outcome: SyncOutcome | undefined): SyncPhase {
  switch (outcome) {
    case 'offline':
      return 'offline';
    case 'auth':
      return 'auth_required';
    case 'server_error':
    case 'client_error':
    case 'failed':
      return 'error';
    case 'ok':
    case undefined:
      return 'idle';
  }
}

/** Outcomes after which the backoff timer should try again by itself. */
export function isRetryable(outcome: SyncOutcome): boolean {
  return outcome === 'offline' || outcome === 'server_error' || outcome === 'client_error' || outcome === 'failed';
}
