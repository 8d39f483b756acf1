// A request's life cycle at the office, in one place: every status change (the inbox route, the
// repositories' `updateStatus`, the operator CLI) goes through `changeRequestStatus`, which writes
// the status, its change-log row and audit entry, queues the status SMS in the same transaction
// when a gateway is configured, and wakes this process's SMS sender once the change committed.
// Before, the route and the repositories plugin each wrote the SMS queueing and the wake-up out.
import type { Kysely } from 'kysely';
import type { Database, DialectName } from '../db/schema.ts';
import { queueStatusSms } from '../repositories/sms-outbox.ts';
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
}

/** The change asked for; the SMS queueing is the service's, not the caller's. */
export type StatusChangeRequest = Omit<StatusUpdate, 'withChange'>;

export async function changeRequestStatus(deps: LifecycleDeps, change: StatusChangeRequest): Promise<StatusUpdateResult> {
  const result = await updateSubmissionStatus(deps.db, deps.dialect, {
    ...change,
    ...(deps.sms.queue ? { withChange: queueStatusSms } : {}),
  });
  // Committed with its SMS queued (if the request came by SMS): send it now.
  if (result.ok) deps.sms.wake?.();
  return result;
}

/** The lifecycle dependencies of a running server: its database and its status SMS sender. */
export function serverLifecycle(app: {
  db: Kysely<Database>;
  dialect: DialectName;
  statusSms: { wake(): void } | null;
}): LifecycleDeps {
  const sender = app.statusSms;
  return { db: app.db, dialect: app.dialect, sms: sender ? { queue: true, wake: () => sender.wake() } : { queue: false } };
}
