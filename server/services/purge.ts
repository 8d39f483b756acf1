// The retention purge: deletes every submission past its form's retention (core/privacy/
// retention.ts) unless a legal hold keeps it (core/privacy/legal-hold.ts), with everything that
// names it, its files no longer referenced, and SMS rows (with their numbers) kept without a
// submission; then asks the key store to shred the data keys of what is now wholly gone. One
// audit entry per run, with counts only. Run by `jangkau purge` and by the server's daily job.
import type { Kysely } from 'kysely';
import type { FormDef } from '../../core/forms/definition.ts';
import { hasOpenKeberatan, holdsOn, KEBERATAN_FORM } from '../../core/privacy/legal-hold.ts';
import { retentionCutoff, retentionDays } from '../../core/privacy/retention.ts';
import type { Database, DialectName } from '../db/schema.ts';
import { appendAudit } from '../repositories/audit-log.ts';
import { loadForms } from '../repositories/forms.ts';
import {
  addCounts,
  deleteLooseSms,
  deleteSubmissions,
  monthsStillHeld,
  noDeletions,
  submissionsBefore,
  type DeletedCounts,
} from '../repositories/retention.ts';
import { subjectsOf, subjectsWithOpenKeberatan } from '../repositories/subjects.ts';
import { flushDeleted, unlinkFiles } from './subject-requests.ts';

/**
 * Destroys the data keys of scopes whose data is all deleted (crypto-shredding: copies of the
 * ciphertext in backups become unreadable too). The encryption at rest's key store (server-
 * encrypt's `DataKeys.shredKeysFor`) implements it; without encryption at rest there is none.
 */
export interface KeyShredder {
  shredKeysFor(scopes: readonly string[], at?: string): Promise<number>;
}

/** The data-key scope of a submission: its form and the UTC month it was received in. */
export function submissionKeyScope(formId: string, receivedAt: string): string {
  return `sub:${formId}:${receivedAt.slice(0, 7)}`;
}

/** SMS that made no submission (refused, or parts never completed) keep a number this long. */
export const LOOSE_SMS_DAYS = 30;

export interface PurgeOptions {
  now: Date;
  actor: { id: string; role: string };
  uploadsDir: string;
  /**
   * The data-key store (DataKeys): required, so that every caller (the server's job and `jangkau
   * purge`) crypto-shreds the months it empties the same way.
   */
  shredder: KeyShredder;
  /** Submissions examined per transaction. */
  pageSize?: number;
}

export interface PurgeReport {
  counts: DeletedCounts;
  files: number;
  held: number;
  keysShredded: number;
}

async function publishedVersions(db: Kysely<Database>): Promise<FormDef[]> {
  return (await loadForms(db)).map((f) => f.definition);
}

export async function runPurge(db: Kysely<Database>, dialect: DialectName, options: PurgeOptions): Promise<PurgeReport> {
  const { now } = options;
  const pageSize = options.pageSize ?? 500;
  let counts = noDeletions();
  let files = 0;
  let held = 0;
  const goneMonths = new Map<string, Set<string>>();
  const openKeberatan = await subjectsWithOpenKeberatan(db, KEBERATAN_FORM);

  for (const form of await publishedVersions(db)) {
    const days = retentionDays(form);
    const cutoff = retentionCutoff(now, days);
    let afterId = '';
    for (;;) {
      const page = await submissionsBefore(db, form.formId, form.version, cutoff, pageSize, afterId);
      if (page.length === 0) break;
      afterId = page[page.length - 1]?.id ?? afterId;
      const subjects = await subjectsOf(db, page.map((p) => p.id));
      const keberatanHeld = new Set(subjects.filter((s) => openKeberatan.has(s.nikIndex)).map((s) => s.submissionId));
      const doomed = page.filter((p) => {
        const holds = holdsOn({ formId: p.formId, status: p.status, receivedAt: p.receivedAt, retentionDays: days }, 'purge', {
          now,
          openKeberatan: keberatanHeld.has(p.id) || hasOpenKeberatan([p]),
        });
        if (holds.length > 0) held += 1;
        return holds.length === 0;
      });
      if (doomed.length === 0) continue;
      const deletion = await db.transaction().execute((trx) => deleteSubmissions(trx, doomed.map((d) => d.id)));
      counts = addCounts(counts, deletion.counts);
      files += deletion.freedFiles.length;
      await unlinkFiles(options.uploadsDir, deletion.freedFiles);
      const months = goneMonths.get(form.formId) ?? new Set<string>();
      for (const d of doomed) months.add(d.receivedAt.slice(0, 7));
      goneMonths.set(form.formId, months);
    }
  }

  const at = now.toISOString();
  const loose = await db.transaction().execute((trx) => deleteLooseSms(trx, retentionCutoff(now, LOOSE_SMS_DAYS)));
  counts = addCounts(counts, { ...noDeletions(), ...loose });

  // A month's key goes only once no submission of that form and month is left (held ones keep it).
  const scopes: string[] = [];
  for (const [formId, months] of goneMonths) {
    const still = await monthsStillHeld(db, formId, [...months]);
    for (const month of months) if (!still.has(month)) scopes.push(submissionKeyScope(formId, `${month}-01`));
  }
  const keysShredded = scopes.length > 0 ? await options.shredder.shredKeysFor(scopes, at) : 0;

  await db.transaction().execute((trx) =>
    appendAudit(trx, dialect, {
      actorId: options.actor.id,
      actorRole: options.actor.role,
      action: 'retention.purge',
      subject: 'retention',
      detail: { ...counts, files, held, keysShredded },
      at,
    }),
  );
  await flushDeleted(db, dialect);
  return { counts, files, held, keysShredded };
}
