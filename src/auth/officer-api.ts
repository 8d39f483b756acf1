// The officer endpoints of the provincial API (login, me, logout, inbox, account admin), called from the page
// only. Every outcome is a value; the screens turn each into a message beside what caused it.
import type { ListedVoter } from '../../core/assignments/voter-list.ts';
import type { AccountView } from '../../core/auth/account-rules.ts';
import type { Role } from '../../core/auth/roles.ts';
import type { InboxListItem, InboxRequest as CoreInboxRequest, WithReceipt } from '../../core/inbox.ts';
import type { SubjectRequestView } from '../../core/privacy/subject-request.ts';
import type { ConflictResolution, VoterConflict, VoterHistoryEntry } from '../../core/voters/conflicts.ts';
import type { DuplicateDecision, DuplicatePairsPage, DuplicateStatus } from '../../core/voters/duplicate-pairs.ts';
import { API_PREFIX, type ServerStatus } from '../../core/protocol.ts';
import { db } from '../db/open-db.ts';
import { getSession, type OfficerAccount } from './session.ts';

export type OfficerResult<T> =
  | { kind: 'ok'; body: T }
  | { kind: 'offline' }
  /** The token is unknown or revoked (or the password wrong, for login). */
  | { kind: 'unauthorized'; code: string }
  | { kind: 'forbidden' }
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  | { kind: 'refused'; status: number; code: string };

export interface LoginAnswer {
  token: string;
  deviceId: string;
  account: OfficerAccount & { createdAt: string; disabled: boolean };
}

export type RequestStatus = ServerStatus;
export type InboxItem = WithReceipt<InboxListItem>;
export type InboxRequest = WithReceipt<CoreInboxRequest>;

export interface InboxPage {
  items: InboxItem[];
  more: boolean;
  today: string;
}

/** GET /assignments: the voter lists of the officer's village (empty where none was uploaded). */
export interface AssignmentAnswer {
  village: string;
  downloadedAt: string;
  lists: { tps: string; uploadedAt: string; voters: ListedVoter[] }[];
}

const TIMEOUT_MS = 30_000;

/** `token` null sends no credential (login: a stored, revoked token would be refused first). */
async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown, token?: string | null): Promise<OfficerResult<T>> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const bearer = token === null ? undefined : (token ?? (await getSession(db))?.token);
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  let response: Response;
  let parsed: unknown;
  try {
    response = await fetch(`${API_PREFIX}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await response.text();
    parsed = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return { kind: 'offline' };
  }
  // The server's stable error code (core/protocol.ts ErrorResponse: { error, message }).
  const code = typeof (parsed as { error?: unknown })?.error === 'string' ? (parsed as { error: string }).error : '';
  if (response.ok) return { kind: 'ok', body: parsed as T };
  if (response.status === 401) return { kind: 'unauthorized', code };
  if (response.status === 403) return { kind: 'forbidden' };
  if (response.status === 429) return { kind: 'rate_limited', retryAfterSeconds: Number(response.headers.get('retry-after')) || 60 };
  if (response.status >= 500) return { kind: 'offline' };
  return { kind: 'refused', status: response.status, code };
}

/** `revocationCheck`: the phone's random check for the locked phone's wipe signal (src/sync/wipe-signal.ts). */
export function login(username: string, password: string, deviceLabel: string, revocationCheck: string): Promise<OfficerResult<LoginAnswer>> {
  return call('POST', '/auth/login', { username, password, deviceLabel, revocationCheck }, null);
}

export function logoutOnServer(): Promise<OfficerResult<{ ok: true }>> {
  return call('POST', '/auth/logout');
}

export interface InboxFilter {
  status?: RequestStatus;
  /** A service (form id). */
  form?: string;
  /** A region inside the account's scope. */
  region?: string;
  /** me: assigned to the caller; none: to nobody. */
  assigned?: 'me' | 'none';
  /** WIB dates, inclusive. */
  receivedFrom?: string;
  receivedTo?: string;
  overdue?: boolean;
  /** Open requests due within this many days, the overdue included. */
  dueWithin?: number;
  /** A receipt number, a NIK or words of the requester's name (each search is audited on the server). */
  q?: string;
  sort?: 'received' | 'due';
  offset?: number;
}

export function listInbox(filter: InboxFilter): Promise<OfficerResult<InboxPage>> {
  const q = new URLSearchParams();
  if (filter.status) q.set('status', filter.status);
  if (filter.form) q.set('form', filter.form);
  if (filter.region) q.set('region', filter.region);
  if (filter.assigned) q.set('assigned', filter.assigned);
  if (filter.receivedFrom) q.set('receivedFrom', filter.receivedFrom);
  if (filter.receivedTo) q.set('receivedTo', filter.receivedTo);
  if (filter.overdue) q.set('overdue', 'true');
  if (filter.dueWithin !== undefined) q.set('dueWithin', String(filter.dueWithin));
  if (filter.q) q.set('q', filter.q);
  if (filter.sort === 'due') q.set('sort', 'due');
  if (filter.offset) q.set('offset', String(filter.offset));
  const qs = q.toString();
  return call('GET', `/inbox${qs ? `?${qs}` : ''}`);
}

export function readRequest(id: string): Promise<OfficerResult<InboxRequest>> {
  return call('GET', `/inbox/${encodeURIComponent(id)}`);
}

export function changeStatus(
  id: string,
  status: Exclude<RequestStatus, 'diterima'>,
  answer: string,
  ground?: string,
): Promise<OfficerResult<{ id: string; status: RequestStatus; at: string }>> {
  return call('POST', `/inbox/${encodeURIComponent(id)}/status`, { status, ...(answer.trim() ? { answer: answer.trim() } : {}), ...(ground ? { ground } : {}) });
}

/** Sends a request back for completion (perlu dilengkapi) with the reason and the form's fields to complete. */
export function returnForCompletion(id: string, reason: string, fields: readonly string[]): Promise<OfficerResult<{ id: string; status: RequestStatus; at: string }>> {
  return call('POST', `/inbox/${encodeURIComponent(id)}/return`, { reason: reason.trim(), fields });
}

/** An internal note on a request (sealed on the server; never sent to the resident). */
export function addNote(id: string, text: string): Promise<OfficerResult<{ id: string }>> {
  return call('POST', `/inbox/${encodeURIComponent(id)}/notes`, { text: text.trim() });
}

/** Puts a staff member in charge of a request (null: nobody). */
export function assignRequest(id: string, accountId: string | null): Promise<OfficerResult<{ id: string; assignedTo: string | null }>> {
  return call('POST', `/inbox/${encodeURIComponent(id)}/assign`, { accountId });
}

/** Data subjects' requests to offices in the officer's region not yet answered, soonest due first. */
export function listOpenSubjectRequests(): Promise<OfficerResult<{ items: SubjectRequestView[]; now: string }>> {
  return call('GET', '/subject-requests?open=true');
}

export function downloadAssignment(): Promise<OfficerResult<AssignmentAnswer>> {
  return call('GET', '/assignments');
}

/** Changes the own password; the server logs out the account's other devices and says how many. */
export function changePassword(currentPassword: string, newPassword: string): Promise<OfficerResult<{ ok: true; revokedDevices: number }>> {
  return call('POST', '/auth/password', { currentPassword, newPassword });
}

/** An account as the admin endpoints answer it. */
export type ManagedAccount = AccountView;

export interface ManagedDevice {
  id: string;
  label: string;
  createdAt: string;
  lastUsedAt: string;
  revoked: boolean;
}

/** Accounts within the caller's scope, a page at a time. */
export function listAccounts(offset = 0): Promise<OfficerResult<{ accounts: ManagedAccount[]; more: boolean }>> {
  return call('GET', `/admin/accounts?limit=50${offset ? `&offset=${offset}` : ''}`);
}

export function createAccount(input: { username: string; password: string; role: Role; scope: string; displayName: string }): Promise<OfficerResult<ManagedAccount>> {
  return call('POST', '/admin/accounts', input);
}

export function disableAccount(id: string): Promise<OfficerResult<{ ok: true }>> {
  return call('POST', `/admin/accounts/${encodeURIComponent(id)}/disable`, {});
}

export function resetPassword(id: string, newPassword: string): Promise<OfficerResult<{ ok: true; revokedDevices: number }>> {
  return call('POST', `/admin/accounts/${encodeURIComponent(id)}/password`, { newPassword });
}

export function listDevices(accountId: string): Promise<OfficerResult<{ devices: ManagedDevice[] }>> {
  return call('GET', `/admin/accounts/${encodeURIComponent(accountId)}/devices`);
}

export function revokeDevice(deviceId: string): Promise<OfficerResult<{ ok: true }>> {
  return call('POST', `/admin/devices/${encodeURIComponent(deviceId)}/revoke`, {});
}

/** The open conflicts in the officer's region (reading them is audited on the server). */
export function listVoterConflicts(): Promise<OfficerResult<{ conflicts: VoterConflict[] }>> {
  return call('GET', '/voters/conflicts');
}

export function resolveVoterConflict(id: string, body: ConflictResolution): Promise<OfficerResult<{ version: number }>> {
  return call('POST', `/voters/conflicts/${encodeURIComponent(id)}/resolve`, body);
}

export function voterRecordHistory(recordId: string): Promise<OfficerResult<{ history: VoterHistoryEntry[] }>> {
  return call('GET', `/voters/records/${encodeURIComponent(recordId)}/history`);
}

/** Pairs touching the officer's region, surest first (each page is audited on the server). */
export function listDuplicatePairs(status: DuplicateStatus, after?: string): Promise<OfficerResult<DuplicatePairsPage>> {
  const q = new URLSearchParams({ status, limit: '20' });
  if (after) q.set('after', after);
  return call('GET', `/voters/duplicates?${q.toString()}`);
}

/** Ganda (the record `tms` gets TMS kode 2) or bukan ganda; a decided pair is refused 409 already_decided. */
export function decideDuplicatePair(id: string, decision: DuplicateDecision): Promise<OfficerResult<{ id: string; status: DuplicateStatus; tmsKey?: string; record?: string }>> {
  return call('POST', `/voters/duplicates/${encodeURIComponent(id)}/decision`, decision);
}

/** Province staff: search the whole province's voter records for pairs (decided pairs stay decided). */
export function searchDuplicatePairs(): Promise<OfficerResult<{ found: number; opened: number; closed: number }>> {
  return call('POST', '/voters/duplicates/search');
}
