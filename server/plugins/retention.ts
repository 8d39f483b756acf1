// Retention and data subjects' rights on the app: the NIK blind index every push uses, the
// one-off indexing of submissions stored before it existed, and the periodic retention purge.
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { FormDef } from '../../core/forms/definition.ts';
import type { Database } from '../db/schema.ts';
import { formKey } from '../repositories/forms.ts';
import { subjectIndexFromKey, type SubjectIndex } from '../crypto/subject-index.ts';
import { recordNames, recordSubjects, readMeta, submissionsAfter, writeMeta } from '../repositories/subjects.ts';
import { runPurge, type KeyShredder } from '../services/purge.ts';
import { payloadCodec, type FieldCipher, type PayloadCodec } from '../services/payload-codec.ts';
import { indexNames, indexSubjects } from '../services/subject-requests.ts';
import { sharedPlugin } from './shared-plugin.ts';

declare module 'fastify' {
  interface FastifyInstance {
    subjectIndex: SubjectIndex;
    /** Stored answers opened and sealed through the encryption at rest's key store, when it is on. */
    payloads: PayloadCodec;
  }
}

export interface RetentionOptions {
  /** The NIK blind index; by default keyed by the data-key store's `subject-index` secret (kept across KEK rotations). */
  subjectIndex?: SubjectIndex;
  uploadsDir: string;
  /** How often the purge runs (PURGE_INTERVAL_HOURS, 24 by default); 0 turns the job off. */
  purgeEveryMs?: number;
  /** The data-key store (shredder and field cipher), when encryption at rest is on; read at call time. */
  keyStore?: () => (KeyShredder & FieldCipher) | undefined;
}

const BACKFILL_PAGE = 500;

/** A keyed index that submissions stored before it existed get once, at start-up; pushes since index inline. */
interface IndexBackfill {
  /** Its flag in server_meta: 'pending' (set by its migration) until the pass has run. */
  key: string;
  /** The index values of one submission's answers. */
  values: (index: SubjectIndex, form: FormDef, data: Record<string, unknown>) => string[];
  /** Writes one page's rows. */
  record: (db: Kysely<Database>, rows: readonly { value: string; submissionId: string }[]) => Promise<void>;
}

const BACKFILLS: readonly IndexBackfill[] = [
  // The NIK index (migration 016).
  {
    key: 'subject_index_backfill',
    values: indexSubjects,
    record: (db, rows) => recordSubjects(db, rows.map((r) => ({ nikIndex: r.value, submissionId: r.submissionId }))),
  },
  // The name index (migration 065).
  {
    key: 'name_index_backfill',
    values: indexNames,
    record: (db, rows) => recordNames(db, rows.map((r) => ({ wordIndex: r.value, submissionId: r.submissionId }))),
  },
];

/**
 * Runs the pending backfills in one pass over the submissions: a page of sealed payloads at a
 * time, each opened once here (the key store's keys are needed, so a migration cannot), so the
 * memory held is one page's, whatever the table's size. A flag turns 'done' only after the whole
 * pass; a pass cut short runs again at the next start (the writes ignore rows already there).
 */
async function backfillIndexes(app: FastifyInstance): Promise<void> {
  const pending: IndexBackfill[] = [];
  for (const backfill of BACKFILLS) if ((await readMeta(app.db, backfill.key)) === 'pending') pending.push(backfill);
  if (pending.length === 0) return;
  let afterId = '';
  for (;;) {
    const page = await submissionsAfter(app.db, afterId, BACKFILL_PAGE);
    if (page.length === 0) break;
    afterId = page[page.length - 1]?.id ?? afterId;
    const forms = await app.repos.forms.findMany(page.map((p) => ({ formId: p.formId, version: p.formVersion })));
    const writes = pending.map((backfill) => ({ backfill, rows: [] as { value: string; submissionId: string }[] }));
    for (const p of page) {
      const form = forms.get(formKey(p.formId, p.formVersion));
      if (!form) continue;
      const data = JSON.parse(await app.payloads.read(p.id, p.payloadJson)) as Record<string, unknown>;
      for (const { backfill, rows } of writes) {
        for (const value of backfill.values(app.subjectIndex, form, data)) rows.push({ value, submissionId: p.id });
      }
    }
    for (const { backfill, rows } of writes) await backfill.record(app.db, rows);
  }
  for (const backfill of pending) await writeMeta(app.db, backfill.key, 'done');
}

export function purgeEveryMsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.PURGE_INTERVAL_HOURS;
  if (raw === undefined || raw.trim() === '') return 24 * 60 * 60 * 1000;
  const hours = Number(raw);
  if (!Number.isFinite(hours) || hours < 0) throw new Error(`PURGE_INTERVAL_HOURS must be a number ≥ 0 (0: off), got ${raw}`);
  return hours * 60 * 60 * 1000;
}

export const retentionPlugin = sharedPlugin<RetentionOptions>('jangkau-retention', async (app, options) => {
  app.decorate('subjectIndex', options.subjectIndex ?? subjectIndexFromKey(await app.dataKeys.secretKey('subject-index')));
  // Resolved per call: the key store's plugin may register after this one.
  const cipher = (): FieldCipher | undefined => options.keyStore?.();
  app.decorate('payloads', {
    read: (id, stored) => payloadCodec(cipher()).read(id, stored),
    write: (s, json) => payloadCodec(cipher()).write(s, json),
  } satisfies PayloadCodec);

  app.addHook('onReady', () => backfillIndexes(app));

  const every = options.purgeEveryMs ?? purgeEveryMsFromEnv();
  if (every > 0) {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      runPurge(app.db, app.dialect, {
        now: new Date(),
        actor: { id: 'system', role: 'system' },
        uploadsDir: options.uploadsDir,
        shredder: options.keyStore?.() ?? app.dataKeys,
      })
        .then((report) => app.log.info({ purge: { ...report.counts, files: report.files, held: report.held, keysShredded: report.keysShredded } }, 'retention purge'))
        .catch((err: unknown) => app.log.error({ err }, 'retention purge failed'))
        .finally(() => {
          running = false;
        });
    }, every);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }
});
