// A request's life cycle at the office, in one place. Every status change (the inbox routes, the
// repositories' `updateStatus`, the operator CLI) goes through `changeRequestStatus`, which writes
// the status, its change-log row and audit entry, queues the status SMS in the same transaction
// when a gateway is configured, and wakes this process's SMS sender once the change committed.
// Before, the route and the repositories plugin each wrote the SMS queueing and the wake-up out.
// The office's other acts on a request live here too: return for completion (a reason and the
// fields to complete), reasoned refusals (a ground from core/office/refusal-grounds.ts), internal
// notes and assignment. The resident's side of a return, the completion, is completion.ts.
import type { Kysely } from 'kysely';
import { hasPermission, isRole } from '../../core/auth/roles.ts';
import type { FormDef } from '../../core/forms/definition.ts';
import { keberatanDeadline } from '../../core/office/keberatan.ts';
import { needsRefusalGround, refusalGround } from '../../core/office/refusal-grounds.ts';
import { completable } from '../../core/office/return-fields.ts';
import type { StatusDetail } from '../../core/office/status-detail.ts';
import { MAX_REVISION } from '../../core/protocol.ts';
import { submissionScope, type DataKeys } from '../crypto/data-keys.ts';
import type { Database, DialectName } from '../db/schema.ts';
import { addNote, assignRequest, findAssignee, requestFacts } from '../repositories/office.ts';
import { queueStatusSms } from '../repositories/sms-outbox.ts';
import { checkTransition } from './status-rules.ts';
import { updateSubmissionStatus, type StatusUpdate, type StatusUpdateResult } from '../repositories/status.ts';

/** What a status change needs from its surroundings. */
export interface LifecycleDeps {
  db: Kysely<Database>;
  dialect: DialectName;
  /**
   * Whether status SMS are queued (a gateway is configured), and the sender to wake once a change
   * committed: the server's in-process worker, or absent where another process sends (the CLI,
   * whose queued rows the running server's worker finds within a minute).
   */
  sms: { queue: boolean; wake?: () => void };
  /** The form versions (a return names fields of the request's form). */
  findForm?: (formId: string, version: number) => Promise<FormDef | undefined>;
  /** Seals internal notes. */
  keys?: DataKeys;
  now?: () => Date;
}

/** The change asked for; the SMS queueing is the service's, not the caller's. */
export type StatusChangeRequest = Omit<StatusUpdate, 'withChange' | 'detail'> & {
  /** ditolak: the refusal's ground (core/office/refusal-grounds.ts); required for PPID requests. */
  ground?: string;
};

export type LifecycleResult =
  | StatusUpdateResult
  /** A PPID refusal without a ground, or with one not on the list. */
  | { ok: false; error: 'ground_required' | 'unknown_ground' };

export async function changeRequestStatus(deps: LifecycleDeps, change: StatusChangeRequest): Promise<LifecycleResult> {
  const { ground, ...update } = change;
  const at = update.now ?? (deps.now?.() ?? new Date()).toISOString();
  let detail: StatusDetail | undefined;
  if (update.status === 'ditolak') {
    if (ground !== undefined && !refusalGround(ground)) return { ok: false, error: 'unknown_ground' };
    if (ground === undefined) {
      // Only where a refusal could take: a final request still answers final_status, as before.
      const facts = await requestFacts(deps.db, update.id, update.withinScope);
      if (facts && needsRefusalGround(facts.formId) && checkTransition(facts.status, 'ditolak') === undefined) {
        return { ok: false, error: 'ground_required' };
      }
    }
    // Every refusal opens the keberatan path (UU 14/2008 art. 35(1)); its last day travels with it.
    detail = { ...(ground !== undefined ? { ground } : {}), keberatanBy: keberatanDeadline(at) };
  }
  return commitChange(deps, { ...update, now: at, ...(detail ? { detail } : {}) });
}

async function commitChange(deps: LifecycleDeps, update: Omit<StatusUpdate, 'withChange'>): Promise<StatusUpdateResult> {
  const result = await updateSubmissionStatus(deps.db, deps.dialect, {
    ...update,
    ...(deps.sms.queue ? { withChange: queueStatusSms } : {}),
  });
  // Committed with its SMS queued (if the request came by SMS): send it now.
  if (result.ok) deps.sms.wake?.();
  return result;
}

export interface ReturnRequest {
  id: string;
  /** Why, in words the resident understands (shown on the phone). */
  reason: string;
  /** Names of the form's fields the resident must complete. */
  fields: readonly string[];
  withinScope: string;
  audit: NonNullable<StatusUpdate['audit']>;
}

export type ReturnResult =
  | StatusUpdateResult
  /** Not a field of the form, or one no completion can answer (a section, core/office/return-fields.ts). */
  | { ok: false; error: 'unknown_field'; fields: string[] }
  | { ok: false; error: 'too_many_revisions' };

/**
 * Sends a request back for completion (perlu dilengkapi). The change names the revision the
 * completion must carry (the request's current revision + 1) and is written only while the
 * request still has its current revision, so a completion racing the return cannot be lost.
 */
export async function returnForCompletion(deps: LifecycleDeps, r: ReturnRequest): Promise<ReturnResult> {
  const facts = await requestFacts(deps.db, r.id, r.withinScope);
  if (!facts) return { ok: false, error: 'not_found' };
  const form = await deps.findForm?.(facts.formId, facts.formVersion);
  const byName = new Map((form?.fields ?? []).map((f) => [f.name, f]));
  const fields = [...new Set(r.fields)];
  const unknown = fields.filter((f) => {
    const def = byName.get(f);
    return def === undefined || !completable(def);
  });
  if (unknown.length > 0 || fields.length === 0) return { ok: false, error: 'unknown_field', fields: unknown };
  if (facts.revision + 1 > MAX_REVISION) return { ok: false, error: 'too_many_revisions' };
  return commitChange(deps, {
    id: r.id,
    status: 'perlu_dilengkapi',
    answer: r.reason,
    withinScope: r.withinScope,
    audit: r.audit,
    atRevision: facts.revision,
    detail: { fields, revision: facts.revision + 1 },
    now: (deps.now?.() ?? new Date()).toISOString(),
  });
}

export type NoteResult = { ok: true; id: string } | { ok: false; error: 'not_found' };

/** An internal note on a request in scope (sealed; audited; never sent to a device). */
export async function noteOnRequest(
  deps: LifecycleDeps,
  n: { id: string; text: string; withinScope: string; accountId: string; audit: NonNullable<StatusUpdate['audit']> },
): Promise<NoteResult> {
  if (!deps.keys) throw new Error('notes need the data keys');
  const facts = await requestFacts(deps.db, n.id, n.withinScope);
  if (!facts) return { ok: false, error: 'not_found' };
  const id = await addNote(deps.db, deps.dialect, deps.keys, {
    submissionId: n.id,
    regionCode: facts.regionCode,
    scope: submissionScope(facts.formId, facts.receivedAt),
    accountId: n.accountId,
    text: n.text,
    at: (deps.now?.() ?? new Date()).toISOString(),
    audit: n.audit,
  });
  return { ok: true, id };
}

export type AssignResult = { ok: true } | { ok: false; error: 'not_found' | 'assignee_out_of_scope' };

/** `r` lies in `scope` (the scope itself or inside it). */
function covers(scope: string, region: string): boolean {
  return region === scope || region.startsWith(`${scope}.`);
}

/**
 * Puts a staff member in charge of a request in scope (null: nobody). The assignee must be an
 * active account that may read requests and whose own scope covers the request's region.
 */
export async function assignStaff(
  deps: LifecycleDeps,
  a: { id: string; accountId: string | null; withinScope: string; audit: NonNullable<StatusUpdate['audit']> },
): Promise<AssignResult> {
  const facts = await requestFacts(deps.db, a.id, a.withinScope);
  if (!facts) return { ok: false, error: 'not_found' };
  if (a.accountId !== null) {
    const who = await findAssignee(deps.db, a.accountId);
    if (!who || !isRole(who.role) || !hasPermission(who.role, 'inbox.read') || !covers(who.scope, facts.regionCode)) {
      return { ok: false, error: 'assignee_out_of_scope' };
    }
  }
  await assignRequest(deps.db, deps.dialect, {
    submissionId: a.id,
    regionCode: facts.regionCode,
    accountId: a.accountId,
    at: (deps.now?.() ?? new Date()).toISOString(),
    audit: a.audit,
  });
  return { ok: true };
}

/** The lifecycle dependencies of a running server: its database, forms, keys and status SMS sender. */
export function serverLifecycle(app: {
  db: Kysely<Database>;
  dialect: DialectName;
  statusSms: { wake(): void } | null;
  dataKeys: DataKeys;
  repos: { forms: { findMany(keys: readonly { formId: string; version: number }[]): Promise<Map<string, FormDef>> } };
}): LifecycleDeps {
  const sender = app.statusSms;
  return {
    db: app.db,
    dialect: app.dialect,
    sms: sender ? { queue: true, wake: () => sender.wake() } : { queue: false },
    findForm: async (formId, version) => (await app.repos.forms.findMany([{ formId, version }])).values().next().value,
    keys: app.dataKeys,
  };
}
