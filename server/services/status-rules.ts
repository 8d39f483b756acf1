// Which status an office may move a request to. Final answers stay final: a device that already
// showed "selesai" must never see the request reopen under the same receipt.
import { FINAL_STATUSES, SERVER_STATUSES, type ServerStatus } from '../../core/protocol.ts';

// A returned request (perlu_dilengkapi) comes back to diproses only by the resident's completion
// (server/services/completion.ts), never by an office's status change; the office may still refuse it.
const NEXT: Readonly<Record<ServerStatus, readonly ServerStatus[]>> = {
  diterima: ['diproses', 'selesai', 'ditolak', 'perlu_dilengkapi'],
  diproses: ['selesai', 'ditolak', 'perlu_dilengkapi'],
  selesai: [],
  ditolak: [],
  perlu_dilengkapi: ['ditolak'],
};

export type TransitionError = 'final_status' | 'invalid_transition';

export function isServerStatus(value: unknown): value is ServerStatus {
  return typeof value === 'string' && (SERVER_STATUSES as readonly string[]).includes(value);
}

export function checkTransition(from: ServerStatus, to: ServerStatus): TransitionError | undefined {
  if (NEXT[from].includes(to)) return undefined;
  return FINAL_STATUSES.includes(from) ? 'final_status' : 'invalid_transition';
}

/** The statuses from which `to` may be reached; lets a write check the rule in its WHERE clause. */
export function statusesLeadingTo(to: ServerStatus): ServerStatus[] {
  return SERVER_STATUSES.filter((from) => NEXT[from].includes(to));
}
