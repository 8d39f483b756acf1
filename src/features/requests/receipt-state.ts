// What a request's badge says: the device's own state until the province answers.
import type { AttachmentRow, ReceiptRow } from '../../db/schema.ts';
import type { MessageKey } from '../../i18n/id.ts';
import { FINAL_STATUSES } from '../../../core/protocol.ts';

export type ShownState = 'queued' | 'sent' | 'answered' | 'needs_fix';

export function shownState(r: ReceiptRow): ShownState {
  if (r.state === 'needs_fix') return 'needs_fix';
  if (r.state === 'queued') return 'queued';
  return r.status && FINAL_STATUSES.includes(r.status) ? 'answered' : 'sent';
}

export function stateLabel(r: ReceiptRow): MessageKey {
  const s = shownState(r);
  if (s === 'answered') return r.status === 'ditolak' ? 'status_ditolak' : 'status_selesai';
  if (s === 'sent' && r.status === 'diproses') return 'status_diproses';
  if (s === 'sent' && r.status === 'perlu_dilengkapi') return 'status_perlu_dilengkapi';
  return `state_${s}`;
}

/** What a file's line says: its state on the device, in the person's words. */
export function attachmentLabel(a: Pick<AttachmentRow, 'state'>): MessageKey {
  return `att_${a.state}`;
}
