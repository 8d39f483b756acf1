// The review inbox's entries as the API answers them: one definition for the server, which builds
// them (server/repositories/inbox.ts, server/services/inbox-view.ts), and the officer screens,
// which read them (src/auth/officer-api.ts).
import type { LocalText } from './local-text.ts';
import type { ServerStatus } from './protocol.ts';

/** A request as stored, without personal data. */
export interface InboxEntry {
  id: string;
  formId: string;
  formVersion: number;
  regionCode: string;
  status: ServerStatus;
  receivedAt: string;
  statusAt: string;
  /** WIB date 'YYYY-MM-DD' the answer is due; null for a service without an SLA. */
  dueOn: string | null;
  extended: boolean;
  overdue: boolean;
  fromOfficer: boolean;
}

/** A request in an inbox: with its form's name (null for a form version the server no longer holds). */
export interface InboxItem extends InboxEntry {
  formTitle: LocalText | null;
}

/**
 * A listed request. For roles that may read requests, also what tells it apart: its subject (the
 * form's titleField) and the requester's name, decrypted on the server; the page read is audited
 * once (action submission.list). Absent for the other roles (observers).
 */
export interface InboxListItem extends InboxItem {
  subject?: LocalText | null;
  requester?: string | null;
}

/** One request opened: its answers (personal data; each read is audited) and the office's answer. */
export interface InboxRequest extends InboxItem {
  createdAt: string;
  data: Record<string, unknown>;
  answer: string | null;
  answerDocument: string | null;
  /** Perlu dilengkapi: the revision the completion must carry and the fields the office named. */
  revision?: number;
  fields?: string[];
  /** Ditolak: the refusal's ground (core/office/refusal-grounds.ts) and the keberatan's last day. */
  ground?: string;
  keberatanBy?: string;
  /** The versions the request went through (0: as first filed). */
  revisions?: { revision: number; receivedAt: string; fields: string[] }[];
  /** Internal notes, oldest first: staff only, never sent to the resident. */
  notes?: { id: string; accountId: string; author: string | null; text: string; at: string }[];
  /** The staff member in charge, if any. */
  assignedTo?: { id: string; name: string | null } | null;
  /** Its photos and documents: the current ones by field, and those a completion replaced. */
  files?: RequestFileView[];
}

/** A photo or document of a request as staff see it. */
export interface RequestFileView {
  /** The field's path ('bukti', 'anggota[1].pasFoto'). */
  field: string;
  sha256: string;
  type: string;
  size: number;
  /** The file reached the province, complete and verified. */
  arrived: boolean;
  /** Absent: the current answers' file. n: the field's file up to version n, replaced by a completion and kept with that version. */
  revision?: number;
}

/** As sent: with the receipt number formatted for people (core/ids.ts formatReceipt). */
export type WithReceipt<T extends InboxEntry> = T & { receipt: string };
