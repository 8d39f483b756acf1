// The sync protocol between device and provincial API, defined once. Its JSON Schemas live in
// protocol-schemas.ts (the server validates with them and serves them as OpenAPI); this module
// holds the constants and the types derived from those schemas, with no runtime dependency, so
// the page's first load does not carry the schema builder.
import type { Static } from 'typebox';
import type * as S from './protocol-schemas.ts';

export const API_PREFIX = '/api/v1';

/**
 * The pull's request header that reports the form and SOP versions a device holds
 * (core/forms/held-versions.ts, docs/sync-protocol.md).
 */
export const HELD_VERSIONS_HEADER = 'x-jangkau-held';
export const PROTOCOL_VERSION = 1;

/**
 * The wipe signal for a locked phone (docs/sync-protocol.md, docs/security.md): a phone that logged
 * an officer in sends `<tokenId>.<check>` (the random check it gave at login, kept in the clear)
 * with its sync requests, whatever credential they carry; once an admin revoked that token or
 * disabled the account, the answer carries `WIPE_HEADER: officer` and the phone erases the
 * officer's data without needing the device key.
 */
export const REVOCATION_CHECK_HEADER = 'x-jangkau-revocation-check';
export const WIPE_HEADER = 'x-jangkau-wipe';
/** The one value of WIPE_HEADER: erase the officer's data. */
export const WIPE_OFFICER = 'officer';

/** `<tokenId>.<check>` from REVOCATION_CHECK_HEADER, or undefined when malformed. */
export function parseRevocationCheck(header: string | undefined): { tokenId: string; check: string } | undefined {
  const m = header?.match(/^([0-9A-HJKMNP-TV-Z]{26})\.([A-Za-z0-9_-]{32,128})$/);
  return m ? { tokenId: m[1]!, check: m[2]! } : undefined;
}

/**
 * Statuses a request moves through at the KPU office. `perlu_dilengkapi`: the office sent it back
 * for completion (a reason and the fields to complete); the resident's completion, a new revision
 * under the same id (docs/sync-protocol.md, "Return for completion"), moves it back to diproses.
 */
export const SERVER_STATUSES = ['diterima', 'diproses', 'selesai', 'ditolak', 'perlu_dilengkapi'] as const;
export type ServerStatus = (typeof SERVER_STATUSES)[number];
export const FINAL_STATUSES: readonly ServerStatus[] = ['selesai', 'ditolak'];

/** Most revisions (completions after a return) one request may have. */
export const MAX_REVISION = 100;

export const MAX_ITEMS_PER_PUSH = 500;
/** Largest request body the server reads, after decompression. */
export const MAX_PUSH_BYTES = 4 * 1024 * 1024;

/** Longest sealed form of one submission (base64url): 1 MiB, far above any form's answers. */
export const MAX_SEALED_CHARS = 1024 * 1024;

/** `forbidden`: an officer form sent without an officer token whose region covers it. */
export const REJECT_REASONS = ['invalid_envelope', 'unknown_form', 'invalid_data', 'id_conflict', 'forbidden'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/**
 * Devices identify themselves with `Authorization: Device <deviceId>.<deviceSecret>`. A resident's
 * device makes both itself; the server binds the id to the secret's hash on first use.
 */
export const DEVICE_AUTH_SCHEME = 'Device';

export function deviceAuthorization(deviceId: string, deviceSecret: string): string {
  return `${DEVICE_AUTH_SCHEME} ${deviceId}.${deviceSecret}`;
}

export function parseDeviceAuthorization(header: string | undefined): { deviceId: string; secret: string } | undefined {
  const m = header?.match(/^Device ([0-9A-HJKMNP-TV-Z]{26})\.([A-Za-z0-9_-]{16,128})$/);
  return m ? { deviceId: m[1]!, secret: m[2]! } : undefined;
}

export type PushRequest = { items: SubmissionEnvelope[] };
export type SubmissionEnvelope = Static<typeof S.SubmissionEnvelopeSchema>;
export type ItemResult = Static<typeof S.ItemResultSchema>;
export type PushResponse = Static<typeof S.PushResponseSchema>;
export type Change = Static<typeof S.ChangeSchema>;
export type FollowRequest = Static<typeof S.FollowRequestSchema>;
export type FollowResponse = Static<typeof S.FollowResponseSchema>;
export type PullResponse = Static<typeof S.PullResponseSchema>;
export type ErrorResponse = Static<typeof S.ErrorResponseSchema>;
