// An office's answer to a request: the new status on the submission and, in the same
// transaction, a row in the change log that the filing device will pull.
import type { ExpressionBuilder, Kysely } from 'kysely';
import { detailJson, type StatusDetail } from '../../core/office/status-detail.ts';
import type { ServerStatus } from '../../core/protocol.ts';
import type { Database, DialectName } from '../db/schema.ts';
import { checkTransition, statusesLeadingTo, type TransitionError } from '../services/status-rules.ts';
import { appendAudit, type AuditInput } from './audit-log.ts';
import { appendChanges } from './change-log.ts';

export interface StatusUpdate {
  id: string;
  status: ServerStatus;
  /** Text shown to the resident; omitted means no answer text. */
  answer?: string;
  /** sha256 of an attachment the answer refers to (a letter, the requested document). */
  answerDocument?: string;
  /** The fields to complete and revision asked for (perlu_dilengkapi); a refusal's ground and keberatan date. */
  detail?: StatusDetail;
  /** Only while the request still has this revision (a return names the revision it asks to complete). */
  atRevision?: number;
  /** Who made the change, written to the audit log in the same transaction. */
  audit?: Pick<AuditInput, 'actorId' | 'actorRole'>;
  /** Only if the submission lies in this region (an officer's scope): otherwise not_found. */
  withinScope?: string;
  now?: string;
  /** More writes in the change's own transaction (the status SMS queue): both commit or neither. */
  withChange?: (trx: Kysely<Database>, change: StatusChange) => Promise<unknown>;
}

export interface StatusChange {
  id: string;
  status: ServerStatus;
  answer: string | null;
  at: string;
  detail?: StatusDetail;
}

export type StatusUpdateResult =
  | { ok: true; id: string; status: ServerStatus; at: string; regionCode: string }
  | { ok: false; error: 'not_found' }
  /** A practice (latihan) submission: it has no office and takes no status. */
  | { ok: false; error: 'practice' }
  | { ok: false; error: TransitionError; from: ServerStatus; status: ServerStatus };

export async function updateSubmissionStatus(
  db: Kysely<Database>,
  dialect: DialectName,
  update: StatusUpdate,
): Promise<StatusUpdateResult> {
  const at = update.now ?? new Date().toISOString();
  const answer = update.answer ?? null;
  return db.transaction().execute(async (trx): Promise<StatusUpdateResult> => {
    // The write comes first and carries the transition rule in its WHERE clause: it takes the
    // write lock at once (no read-then-upgrade race with a concurrent push on SQLite) and two
    // officers answering at once cannot both move the same request.
    const allowedFrom = statusesLeadingTo(update.status);
    const updated =
      allowedFrom.length === 0
        ? []
        : await trx
            .updateTable('submissions')
            .set({
              status: update.status,
              answer,
              status_at: at,
              answer_document: update.answerDocument ?? null,
              status_detail: detailJson(update.detail),
            })
            .where('id', '=', update.id)
            .$if(update.atRevision !== undefined, (q) => q.where('revision', '=', update.atRevision ?? 0))
            .where('practice', '=', 0)
            .where('status', 'in', allowedFrom)
            .$if(update.withinScope !== undefined, (q) => q.where((eb) => inRegion(eb, update.withinScope ?? '')))
            .returning(['id', 'region_code'])
            .execute();
    const done = updated[0];
    if (!done) {
      const current = await trx
        .selectFrom('submissions')
        .select(['status', 'practice'])
        .where('id', '=', update.id)
        .$if(update.withinScope !== undefined, (q) => q.where((eb) => inRegion(eb, update.withinScope ?? '')))
        .executeTakeFirst();
      if (!current) return { ok: false, error: 'not_found' };
      if (Number(current.practice) !== 0) return { ok: false, error: 'practice' };
      const error = checkTransition(current.status, update.status) ?? 'invalid_transition';
      return { ok: false, error, from: current.status, status: update.status };
    }
    if (update.audit) {
      await appendAudit(trx, dialect, {
        ...update.audit,
        action: 'submission.status',
        subject: update.id,
        regionCode: done.region_code,
        detail: {
          status: update.status,
          answered: answer !== null,
          document: update.answerDocument ?? null,
          ...(update.detail?.fields ? { fields: update.detail.fields.join(',') } : {}),
          ...(update.detail?.ground ? { ground: update.detail.ground } : {}),
        },
        at,
      });
    }
    const detail = update.detail;
    await appendChanges(trx, dialect, [{ submissionId: update.id, status: update.status, answer, at, ...(detail ? { detail } : {}) }]);
    await update.withChange?.(trx, { id: update.id, status: update.status, answer, at, ...(detail ? { detail } : {}) });
    return { ok: true, id: update.id, status: update.status, at, regionCode: done.region_code };
  });
}

/** `region_code` is `scope` or lies inside it. */
export function inRegion(eb: ExpressionBuilder<Database, 'submissions'>, scope: string) {
  return eb.or([eb('region_code', '=', scope), eb('region_code', 'like', `${scope}.%`)]);
}
