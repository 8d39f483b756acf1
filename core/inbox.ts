// The review inbox's entries as the API answers them: one definition for the server, which builds
// them (server/repositories/inbox.ts), and the officer screens, which read them (src/auth/officer-api.ts).
import type { ServerStatus } from './protocol.ts';

/** A request in an inbox list: no personal data. */
export interface InboxItem {
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

/** One request opened: its answers (personal data; each read is audited) and the office's answer. */
export interface InboxRequest extends InboxItem {
  createdAt: string;
  data: Record<string, unknown>;
  answer: string | null;
  answerDocument: string | null;
}

/** As sent: with the receipt number formatted for people (core/ids.ts formatReceipt). */
export type WithReceipt<T extends InboxItem> = T & { receipt: string };
