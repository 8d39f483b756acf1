// The one IndexedDB schema of the device. Versions are append-only: never edit an old version,
// add a new one with an upgrade that carries forward the data people already hold.
import { Dexie, type EntityTable } from 'dexie';
import type { FormDef, FormData } from '../../core/forms/definition.ts';
import type { FieldIssue } from '../../core/forms/validate.ts';
import type { RejectReason, ServerStatus, SubmissionEnvelope } from '../../core/protocol.ts';

export const DB_NAME = 'jangkau';

/** A form version the device can offer and render offline. */
export interface FormRow {
  formId: string;
  version: number;
  definition: FormDef;
  retired: boolean;
}

/** Work in progress. Its id becomes the submission id when it is sent. */
export interface DraftRow {
  id: string;
  formId: string;
  formVersion: number;
  data: FormData;
  createdAt: number;
  updatedAt: number;
}

export type OutboxState = 'queued' | 'needs_fix';

export interface Rejection {
  reason: RejectReason;
  errors: FieldIssue[];
}

/** A finished submission waiting for the server's acknowledgement. */
export interface OutboxRow {
  id: string;
  envelope: SubmissionEnvelope;
  /** Size of the envelope's JSON, for batching by bytes. */
  bytes: number;
  state: OutboxState;
  queuedAt: number;
  attempts: number;
  lastError?: string;
  rejection?: Rejection;
}

export type ReceiptState = 'queued' | 'sent' | 'needs_fix';

/** What the person sees of a request they filed; kept after the outbox row is gone. */
export interface ReceiptRow {
  id: string;
  formId: string;
  formVersion: number;
  /** Short label shown in lists (from the form's title field). */
  title: string;
  createdAt: number;
  state: ReceiptState;
  /** When the province acknowledged it (server clock, ISO). */
  receivedAt?: string;
  status?: ServerStatus;
  answer?: string;
  statusAt?: string;
  /** Highest change seq applied, so a replayed pull never moves a status backwards. */
  statusSeq?: number;
  /**
   * The per-submission secret, copied here only once the province acknowledged the item: status
   * checks by receipt need it after the outbox row is gone. Not indexed, so no new version.
   */
  secret?: string;
}

export interface MetaRow {
  key: string;
  value: unknown;
}

export class JangkauDb extends Dexie {
  forms!: EntityTable<FormRow, 'formId'>;
  drafts!: EntityTable<DraftRow, 'id'>;
  outbox!: EntityTable<OutboxRow, 'id'>;
  receipts!: EntityTable<ReceiptRow, 'id'>;
  meta!: EntityTable<MetaRow, 'key'>;

  constructor(name: string = DB_NAME) {
    super(name);
    // v1: the first release.
    this.version(1).stores({
      forms: '[formId+version], formId',
      drafts: 'id, formId, updatedAt',
      outbox: 'id, state, queuedAt',
      receipts: 'id, createdAt, state',
      meta: 'key',
    });
    // v2: index receipts by server status for the "answered" view; backfill the state of
    // receipts written by v1, which had none for acknowledged items.
    this.version(2)
      .stores({ receipts: 'id, createdAt, state, status' })
      .upgrade(async (tx) => {
        await tx
          .table<ReceiptRow, string>('receipts')
          .toCollection()
          .modify((r) => {
            if (!r.state) r.state = r.receivedAt ? 'sent' : 'queued';
          });
      });
  }
}
