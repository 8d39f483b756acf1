// The tables as Kysely sees them. Timestamps are ISO 8601 UTC strings on both dialects, so they
// sort as text and read back identically from SQLite and PostgreSQL.
import type { ColumnType, Generated, Kysely } from 'kysely';
import type { ServerStatus } from '../../core/protocol.ts';

export type DialectName = 'sqlite' | 'postgres';

/**
 * Who a device row belongs to, and so which credential may act as it: `phone` a device that made
 * its own id and secret (`Authorization: Device`); `officer` an officer's device token (`Bearer`
 * only, checked against `device_tokens`); `channel` the server's own SMS and QR hand-off devices
 * (no request from outside at all). Migration 011 made the last two reserved.
 */
export type DeviceKind = 'phone' | 'officer' | 'channel';

export interface DevicesTable {
  id: string;
  /** sha256 of a phone's secret; empty for officer and channel rows, which no secret opens. */
  secret_hash: string;
  created_at: string;
  last_seen_at: string;
  kind: ColumnType<DeviceKind, DeviceKind | undefined, DeviceKind>;
}

export interface FormVersionsTable {
  form_id: string;
  version: number;
  definition_json: string;
  published_at: string;
  retired_at: string | null;
}

export interface SubmissionsTable {
  /** The ULID the device made: idempotency key and receipt number. */
  id: string;
  form_id: string;
  form_version: number;
  /** Device clock, as sent. */
  created_at: string;
  /** Server clock at the first accepted push. */
  received_at: string;
  /**
   * The `data` object as canonical JSON, encrypted at rest (server/crypto/data-keys.ts,
   * `j1.<dekId>.<…>`); read it through server/repositories/submission-fields.ts.
   */
  payload_json: string;
  /** sha256 of canonicalJson({formId, formVersion, createdAt, data}); tells a retry from a clash. */
  payload_hash: string;
  /** sha256 of the per-submission secret. */
  secret_hash: string;
  /** The device that first delivered it. */
  device_id: string;
  status: ColumnType<ServerStatus, ServerStatus | undefined, ServerStatus>;
  answer: string | null;
  status_at: string;
  /** The region the submission concerns (core/auth/submission-scope.ts): whose inbox shows it. */
  region_code: ColumnType<string, string | undefined, string>;
  /** The officer account whose device token pushed it; null for residents' devices. */
  account_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** WIB date the answer is due (the form's SLA in working days), null without an SLA. */
  due_on: ColumnType<string | null, string | null | undefined, string | null>;
  /** When the due date was extended (once at most). */
  extended_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** sha256 of the attachment an answer refers to. */
  answer_document: ColumnType<string | null, string | null | undefined, string | null>;
  /** 1 for a practice (latihan) submission: kept out of KPIs, inboxes and exports. */
  practice: ColumnType<number, number | undefined, number>;
  /** Coklit KPI columns (migration 011), in the clear: village, TPS, outcome (`hasil`). */
  kpi_village: ColumnType<string | null, string | null | undefined, string | null>;
  kpi_tps: ColumnType<string | null, string | null | undefined, string | null>;
  kpi_outcome: ColumnType<string | null, string | null | undefined, string | null>;
  /** The voter counted: `nik:` + keyed hash of the NIK (DataKeys.blindIndex), or `id:<submission id>`. */
  kpi_voter: ColumnType<string | null, string | null | undefined, string | null>;
  /**
   * The voter record update this submission still owes (migration 061), null once done or when it
   * owes none: a coklit's `{"id","baseVersion"}` (JSON), or 'tanggapan'. Written with the push,
   * cleared after the update; server/services/voter-ingest.ts sweeps what stays marked.
   */
  voter_pending: ColumnType<string | null, string | null | undefined, string | null>;
  /** Completions taken after returns (migration 030); 0 as first filed. */
  revision: ColumnType<number, number | undefined, number>;
  /** JSON StatusDetail of the current status (server/repositories/status.ts), or null. */
  status_detail: ColumnType<string | null, string | null | undefined, string | null>;
  /** The staff account in charge, and since when. */
  assigned_to: ColumnType<string | null, string | null | undefined, string | null>;
  assigned_at: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface SubmissionDevicesTable {
  device_id: string;
  submission_id: string;
}

export interface ChangesTable {
  /** PostgreSQL returns bigint as a string; repositories convert with Number(). */
  seq: ColumnType<number | string, never, never>;
  submission_id: string;
  status: ServerStatus;
  answer: string | null;
  at: string;
  /** JSON StatusDetail (migration 030), or null. */
  detail: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A superseded version of a request's answers (migration 030). */
export interface SubmissionVersionsTable {
  submission_id: string;
  revision: number;
  /** Sealed like submissions.payload_json, under its own associated data. */
  payload_json: string;
  /** The payload hash of the item that brought this version (revision 0: the first filing's). */
  payload_hash: string;
  received_at: string;
  /** JSON: the fields this revision completed; null for revision 0. */
  fields: string | null;
}

/** An internal note of the office on a request (migration 030); body sealed; never sent to a device. */
export interface RequestNotesTable {
  id: string;
  submission_id: string;
  account_id: string;
  body: string;
  at: string;
}

/** A file field of a submission and the file (sha256) it refers to. */
export interface SubmissionAttachmentsTable {
  submission_id: string;
  /** Path of the field in the answers: 'foto', 'anggota[1].pasFoto'. */
  field: string;
  sha256: string;
  type: string;
  size: number;
}

/** A file that arrived complete and passed the type and sha256 checks. */
export interface AttachmentArrivalsTable {
  sha256: string;
  type: string;
  size: number;
  arrived_at: string;
}

export interface AccountsTable {
  id: string;
  username: string;
  /** scrypt$N$r$p$salt$hash (server/auth/password.ts). */
  password_hash: string;
  role: string;
  scope: string;
  display_name: string;
  created_at: string;
  created_by: string | null;
  disabled_at: string | null;
}

export interface DeviceTokensTable {
  /** Also the id of the `devices` row this device pushes and pulls as. */
  id: string;
  account_id: string;
  /** sha256 of the bearer token; the token itself is never stored. */
  token_hash: string;
  label: string;
  created_at: string;
  last_used_at: string;
  revoked_at: string | null;
  revoked_by: string | null;
  /**
   * Why it was revoked (server/repositories/tokens.ts RevokeReason); null while live, and for
   * tokens revoked before migration 019.
   */
  revoked_reason: string | null;
  /**
   * sha256 of the random revocation check the phone gave at login (migration 021): a locked phone
   * sends the check to hear that this token was revoked with a wipe. Null: a login without one.
   */
  revocation_check_hash: string | null;
}

export interface AuditLogTable {
  /** Written explicitly (last + 1); PostgreSQL returns bigint as a string. */
  seq: ColumnType<number | string, number, never>;
  at: string;
  actor_id: string;
  actor_role: string;
  action: string;
  subject: string;
  region_code: string | null;
  detail_json: string;
  prev_hash: string;
  hash: string;
}

/** Voters on the list handed to the Pantarlih of one TPS: what coklit coverage is measured against. */
export interface TpsAssignmentsTable {
  village_code: string;
  /** Three-digit TPS number, as the coklit form records it. */
  tps: string;
  voters: number;
  updated_at: string;
}

/** One voter on the list of one TPS (migration 008): the coklit assignment a Pantarlih downloads. */
export interface AssignmentVotersTable {
  village_code: string;
  tps: string;
  /** 0-based place on the uploaded list. */
  position: number;
  /** The voter (core/assignments/voter-list.ts ListedVoter) as canonical JSON: personal data, encrypted at rest. */
  voter_json: string;
  uploaded_at: string;
  /** The account that uploaded the list. */
  uploaded_by: string;
  /** The record's stable key (migration 050): kept across a re-upload that still lists the same NIK. */
  record_id: string;
  /** Raised by one with every accepted change (upload that changed the voter, coklit, staff, resolution). */
  version: Generated<number>;
  /** Blind index of the NIK (DataKeys.blindIndex); null only for rows stored before 050 until the start backfill. */
  nik_hash: string | null;
  /** 'list' | 'baru' */
  origin: Generated<string>;
  /** null (not visited) | 'sesuai' | 'ubah' | 'baru' | 'tms' */
  outcome: string | null;
  /** The TMS code (the election's code list) when outcome is 'tms'. */
  tms_code: string | null;
  /** 'L' | 'P', clear for the recap. */
  sex: string | null;
  /** 1 when the record names a disability, clear for the recap. */
  disabled: Generated<number>;
  updated_at: string | null;
  updated_by: string | null;
}

/** One entry of a voter record's history (migration 050). */
export interface VoterRecordEventsTable {
  id: string;
  record_id: string;
  village_code: string;
  version: number | null;
  kind: string;
  submission_id: string | null;
  outcome: string | null;
  /** The fields the event set, sealed (personal data). */
  change_json: string | null;
  actor_id: string;
  actor_role: string;
  at: string;
}

/** A stale update kept beside the record it could not overwrite (migration 050). */
export interface VoterConflictsTable {
  id: string;
  record_id: string;
  village_code: string;
  tps: string;
  base_version: number | null;
  current_version: number;
  current_json: string;
  incoming_json: string;
  incoming_kind: string;
  incoming_submission_id: string | null;
  current_submission_id: string | null;
  incoming_by: string;
  status: string;
  resolution: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  created_at: string;
}

/** Pemilih ganda (migration 060): the blind keys of one voter record (server/crypto/match-keys.ts). */
export interface VoterMatchKeysTable {
  /** The voter record's stable key. */
  record_key: string;
  village_code: string;
  tps: string;
  nik_key: string;
  name_birth_key: string;
  birth_village_key: string;
  birth_kk_key: string;
  /** The voter record's version the keys were made from (assignment_voters.version). */
  record_version: number;
  /** The record's card (nama, nik, tanggalLahir, kk, desa, tps) as JSON, encrypted at rest under its village's voters key. */
  card: string;
  /** 0 once the record left the list. */
  active: number;
  updated_at: string;
}

/** A pair of voter records the duplicate search found, and the staff's decision on it. */
export interface VoterDuplicatePairsTable {
  id: string;
  key_a: string;
  key_b: string;
  village_a: string;
  village_b: string;
  kind: string;
  score: number;
  status: string;
  found_at: string;
  seen_at: string;
  decided_at: string | null;
  decided_by: string | null;
  tms_key: string | null;
}

/** A published SOP version (migration 007); never rewritten. */
export interface SopDocumentsTable {
  sop_id: string;
  version: number;
  /** The SopDoc (core/forms/sop.ts) as JSON. */
  doc_json: string;
  published_at: string;
  /** The account that published it. */
  published_by: string;
}

/** The newest version of a form (formId) or SOP (`sop:<sopId>`) a device last reported holding. */
export interface DeviceVersionsTable {
  device_id: string;
  item_id: string;
  version: number;
  reported_at: string;
}

/** A data key (server/crypto/data-keys.ts), wrapped by the KEK; `wrapped` null once shredded. */
export interface DataKeysTable {
  id: string;
  scope: string;
  kek_id: string;
  wrapped: string | null;
  created_at: string;
  shredded_at: string | null;
}

/** One NIK a submission holds, as its keyed blind index (server/crypto/subject-index.ts); migration 016. */
export interface SubmissionSubjectsTable {
  nik_index: string;
  submission_id: string;
}

/** The keyed blind index of the words of a submission's names (migration 065), for the inbox's name search. */
export interface SubmissionNamesTable {
  word_index: string;
  submission_id: string;
}

/** A data subject's request to the office (UU 27/2022): access, correction or erasure. */
export interface SubjectRequestsTable {
  id: string;
  kind: string;
  /** The NIK's blind index; the NIK itself is not stored. */
  nik_index: string;
  /** The office's region the request was made to: which staff may act on it, which records it reaches. */
  region_code: string;
  received_at: string;
  /** received_at + 3×24 h (core/privacy/subject-request.ts). */
  due_at: string;
  created_at: string;
  created_by: string;
  answered_at: string | null;
  /** What was done, as JSON counts (never personal data). */
  outcome: string | null;
}

export interface ServerMetaTable {
  key: string;
  value: string;
}

/**
 * SMS rows (migrations 004, 010) as far as the retention purge and the subject export touch them.
 * Since migration 020 `sender` and `recipient` hold a number's keyed blind index and `*_sealed`
 * the number encrypted (server/crypto/sms-numbers.ts); `*_sealed` null: a row from before, its
 * number still in the key column until a server start converts it.
 */
export interface SmsMessagesTable {
  sender: string;
  sender_sealed: string | null;
  message_id: string;
  outcome: string;
  reason: string | null;
  submission_id: string | null;
  completed_at: string;
}

export interface SmsPartsTable {
  sender: string;
  sender_sealed: string | null;
  message_id: string;
  part_index: number;
  part_total: number;
  payload: string;
  gateway_id: string;
  received_at: string;
}

export interface SmsOutboxTable {
  submission_id: string;
  status: string;
  recipient: string;
  recipient_sealed: string | null;
  text: string;
  queued_at: string;
  state: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  sent_at: string | null;
}

export interface Database {
  data_keys: DataKeysTable;
  accounts: AccountsTable;
  device_tokens: DeviceTokensTable;
  audit_log: AuditLogTable;
  devices: DevicesTable;
  form_versions: FormVersionsTable;
  submissions: SubmissionsTable;
  submission_devices: SubmissionDevicesTable;
  changes: ChangesTable;
  submission_versions: SubmissionVersionsTable;
  request_notes: RequestNotesTable;
  submission_attachments: SubmissionAttachmentsTable;
  attachment_arrivals: AttachmentArrivalsTable;
  tps_assignments: TpsAssignmentsTable;
  assignment_voters: AssignmentVotersTable;
  voter_record_events: VoterRecordEventsTable;
  voter_conflicts: VoterConflictsTable;
  voter_match_keys: VoterMatchKeysTable;
  voter_duplicate_pairs: VoterDuplicatePairsTable;
  sop_documents: SopDocumentsTable;
  device_versions: DeviceVersionsTable;
  submission_subjects: SubmissionSubjectsTable;
  submission_names: SubmissionNamesTable;
  subject_requests: SubjectRequestsTable;
  server_meta: ServerMetaTable;
  sms_messages: SmsMessagesTable;
  sms_parts: SmsPartsTable;
  sms_outbox: SmsOutboxTable;
}

/** An open database and the facts about it that code must branch on. */
export interface OpenedDatabase {
  db: Kysely<Database>;
  dialect: DialectName;
  /** Closes the pool or the file. */
  close(): Promise<void>;
}
