// The one IndexedDB schema of the device. Versions only go up: a change is a new version number
// with the whole schema and an upgrade that carries forward the data people already hold (run on
// any older database, so each step leaves alone what an earlier release already has right).
import { Dexie, type EntityTable, type Transaction } from 'dexie';
import type { RecordRef } from '../../core/voters/record.ts';
import type { ListedVoter } from '../../core/assignments/voter-list.ts';
import type { FormDef, FormData } from '../../core/forms/definition.ts';
import type { SopDoc } from '../../core/forms/sop.ts';
import type { FieldIssue } from '../../core/forms/validate.ts';
import type { RejectReason, ServerStatus, SubmissionEnvelope } from '../../core/protocol.ts';
import type { StoredFile } from './crypto-at-rest.ts';

export const DB_NAME = 'jangkau';
/** src/auth/device-key.ts PIN_TRIES_KEY, for the v6 upgrade (the schema imports no officer code). */
const PIN_TRIES_META = 'officerPinTries';

/** A form version the device can offer and render offline. */
export interface FormRow {
  formId: string;
  version: number;
  definition: FormDef;
  retired: boolean;
  /** This version arrived after the device already held forms, and its change notes wait to be shown. */
  notesPending?: boolean;
}

/** The current version of an SOP document, for reading offline. */
export interface SopRow {
  sopId: string;
  version: number;
  doc: SopDoc;
  /** As for forms: a version the officer has not been shown the change notes of yet. */
  notesPending?: boolean;
}

/** Work in progress. Its id becomes the submission id when it is sent. */
export interface DraftRow {
  id: string;
  formId: string;
  formVersion: number;
  data: FormData;
  createdAt: number;
  updatedAt: number;
  /** The voter record a coklit draft updates and the version it was started on (issue #13). */
  record?: { id: string; baseVersion: number };
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
  /**
   * The answers as filed, kept while `envelope` travels sealed to the server's key (its `data` is
   * then `{}`): a refusal must open the fix screen with them (invariant 13). Sealed at rest with the
   * device key like every answer; gone with the row once the server acknowledged the item. Not
   * indexed, so no new version.
   */
  answers?: FormData;
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
  /**
   * When the resident handed the queued request to an officer by QR code, and the officer's name
   * if typed (src/db/handoffs.ts). Not indexed, so no new version.
   */
  handedOver?: { at: number; to?: string };
  /**
   * The office sent the request back for completion (status perlu_dilengkapi): its reason, the
   * fields to complete and the revision the completion carries (src/db/completion.ts). Kept after
   * the completion, for the request's history. Not indexed, so no new version.
   */
  returned?: { reason: string; fields: string[]; revision: number };
  /** A refusal's ground (core/office/refusal-grounds.ts) and the last day for a keberatan. Not indexed. */
  refusal?: { ground?: string; keberatanBy?: string };
}

export type AttachmentState =
  /** Chosen in a draft that has not been sent; never uploaded. */
  | 'draft'
  /** Part of a queued submission; uploaded once the submission's data was acknowledged. */
  | 'waiting'
  /** Some bytes are on the server; `uploadUrl` and `bytesSent` say where to go on. */
  | 'uploading'
  /** The server holds the verified file; the bytes may be gone, the thumbnail stays. */
  | 'done'
  /** The server refused the file (type, size, checksum): the person must choose another. */
  | 'rejected';

/**
 * A photo or document, stored under its sha256 (the same bytes are stored and sent once, whatever
 * refers to them). Submissions carry only {sha256, type, size}; the bytes live here until the
 * server has them. Nothing here ever expires on the device.
 */
export interface AttachmentRow {
  sha256: string;
  type: string;
  size: number;
  /** The bytes to send; dropped once the server holds the verified file. Sealed on an officer's device. */
  blob?: StoredFile;
  /** A small JPEG preview for the screens, kept after the bytes are dropped. Sealed like `blob`. */
  thumb?: StoredFile;
  width?: number;
  height?: number;
  state: AttachmentState;
  /** Ids of the submissions (or the draft) referring to it. */
  refs: string[];
  /** Bytes the server acknowledged (its last offset). */
  bytesSent: number;
  /** Where the upload lives on the server, kept across restarts so a resume skips the POST. */
  uploadUrl?: string;
  /** Upload throughput last observed (bytes/s), so the next try starts with a fitting chunk. */
  throughput?: number;
  /** The last try's body request the link cut, judged by the next try's first offset (src/lib/tus-client.ts). */
  cut?: { from: number; sentBytes: number };
  /** The link was seen losing what a cut request delivered: this file goes in link-sized pieces. */
  lossy?: boolean;
  /** The server's refusal code when rejected. */
  error?: string;
  createdAt: number;
  doneAt?: number;
}

/**
 * One voter of the coklit assignment the officer downloaded (the TPS voter lists of their village,
 * core/assignments/voter-list.ts). The voter is personal data, sealed at rest; the key carries only
 * the village, the TPS and the place on the list, never a NIK. Kept in the home database only (also
 * in practice mode), so logging out forgets it wherever it was worked on.
 */
export interface AssignmentRow {
  /** `<village>/<tps>/<place on the list, 5 digits>`: sorts in list order. */
  key: string;
  village: string;
  tps: string;
  /** As downloaded; `record` (key, version, outcome) when the server keeps the list as records. */
  voter: ListedVoter & { record?: RecordRef };
  /** The coklit draft (then submission: the same id) started from this voter, once opened. */
  draftId?: string;
  /** The same in practice mode (src/db/practice.ts): practice never takes over a real record. */
  practiceDraftId?: string;
  /** Server clock of the download. */
  downloadedAt: string;
}

export interface MetaRow {
  key: string;
  value: unknown;
}

/**
 * From v2: the state of receipts written by v1, which recorded none for acknowledged items. Rows
 * with a state (all of them on a phone past v1) are left alone.
 */
async function backfillReceiptState(tx: Transaction): Promise<void> {
  await tx
    .table<ReceiptRow, string>('receipts')
    .filter((r) => !r.state)
    .modify((r) => {
      r.state = r.receivedAt ? 'sent' : 'queued';
    });
}

/**
 * From v6: the officer PIN's tries are a count only (src/auth/device-key.ts): the time a wait ended
 * was read from the phone's clock, which its holder can set forward. The count is carried over;
 * the v1 lock itself (PBKDF2) is rewrapped under Argon2id at its next right PIN, which the upgrade
 * cannot do without the PIN.
 */
async function countPinTriesOnly(tx: Transaction): Promise<void> {
  const meta = tx.table<MetaRow, string>('meta');
  const tries = await meta.get(PIN_TRIES_META);
  if (!tries) return;
  const failures = (tries.value as { failures?: unknown } | undefined)?.failures;
  await meta.put({ key: PIN_TRIES_META, value: { failures: typeof failures === 'number' && failures > 0 ? Math.floor(failures) : 0 } });
}

export class JangkauDb extends Dexie {
  forms!: EntityTable<FormRow, 'formId'>;
  drafts!: EntityTable<DraftRow, 'id'>;
  outbox!: EntityTable<OutboxRow, 'id'>;
  receipts!: EntityTable<ReceiptRow, 'id'>;
  meta!: EntityTable<MetaRow, 'key'>;
  attachments!: EntityTable<AttachmentRow, 'sha256'>;
  sops!: EntityTable<SopRow, 'sopId'>;
  assignment!: EntityTable<AssignmentRow, 'key'>;

  constructor(name: string = DB_NAME) {
    super(name);
    // Only the current version is declared: Dexie reads the stores a phone's database has and adds
    // what is missing, so the history need not be replayed, and declaring it cost a slow phone's
    // cold start ~30 ms of schema parsing on every start (bench:slow-phone). What each release had,
    // as phones still running it hold it: tests/unit/db/schema-history.ts.
    //   v1: forms, drafts, outbox, receipts, meta.
    //   v2: receipts by server status, for the "answered" view.
    //   v3: photo and document bytes, by sha256; by state for the upload queue and by the
    //       submissions referring to them for a request's screen.
    //   v4: the province's SOP documents, the current version of each.
    //   v5: the downloaded coklit assignment (voters per TPS), by TPS for the field-work list.
    //   v6: no new store; the officer PIN's tries are a count only.
    this.version(6)
      .stores({
        forms: '[formId+version], formId',
        drafts: 'id, formId, updatedAt',
        outbox: 'id, state, queuedAt',
        receipts: 'id, createdAt, state, status',
        meta: 'key',
        attachments: 'sha256, state, *refs',
        sops: 'sopId',
        assignment: 'key, tps',
      })
      // Runs once on a phone whose database is older than v6, whatever its version; both steps
      // change nothing where they have nothing to do, so a phone past either step is left as it is.
      .upgrade(async (tx) => {
        await backfillReceiptState(tx);
        await countPinTriesOnly(tx);
      });
  }
}
