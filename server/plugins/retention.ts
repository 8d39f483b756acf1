// Retention and data subjects' rights on the app: the NIK blind index every push uses, the
// one-off indexing of submissions stored before it existed, and the periodic retention purge.
import { formKey } from '../repositories/forms.ts';
import type { SubjectIndex } from '../crypto/subject-index.ts';
import { recordSubjects, readMeta, submissionsAfter, writeMeta } from '../repositories/subjects.ts';
import { runPurge, type KeyShredder } from '../services/purge.ts';
import { indexSubjects } from '../services/subject-requests.ts';
import { sharedPlugin } from './shared-plugin.ts';

declare module 'fastify' {
  interface FastifyInstance {
    subjectIndex: SubjectIndex;
  }
}

export interface RetentionOptions {
  subjectIndex: SubjectIndex;
  uploadsDir: string;
  /** How often the purge runs (PURGE_INTERVAL_HOURS, 24 by default); 0 turns the job off. */
  purgeEveryMs?: number;
  /** The data-key store's shredder, when encryption at rest is on. */
  shredder?: () => KeyShredder | undefined;
}

const BACKFILL_KEY = 'subject_index_backfill';
const BACKFILL_PAGE = 500;

export function purgeEveryMsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.PURGE_INTERVAL_HOURS;
  if (raw === undefined || raw.trim() === '') return 24 * 60 * 60 * 1000;
  const hours = Number(raw);
  if (!Number.isFinite(hours) || hours < 0) throw new Error(`PURGE_INTERVAL_HOURS must be a number ≥ 0 (0: off), got ${raw}`);
  return hours * 60 * 60 * 1000;
}

export const retentionPlugin = sharedPlugin<RetentionOptions>('jangkau-retention', async (app, options) => {
  app.decorate('subjectIndex', options.subjectIndex);

  // Submissions stored before migration 016 get their index rows once; pushes since index inline.
  app.addHook('onReady', async () => {
    if ((await readMeta(app.db, BACKFILL_KEY)) !== 'pending') return;
    let afterId = '';
    for (;;) {
      const page = await submissionsAfter(app.db, afterId, BACKFILL_PAGE);
      if (page.length === 0) break;
      afterId = page[page.length - 1]?.id ?? afterId;
      const forms = await app.repos.forms.findMany(page.map((p) => ({ formId: p.formId, version: p.formVersion })));
      const rows = page.flatMap((p) => {
        const form = forms.get(formKey(p.formId, p.formVersion));
        if (!form) return [];
        return indexSubjects(options.subjectIndex, form, JSON.parse(p.payloadJson) as Record<string, unknown>).map((nikIndex) => ({ nikIndex, submissionId: p.id }));
      });
      await recordSubjects(app.db, rows);
    }
    await writeMeta(app.db, BACKFILL_KEY, 'done');
  });

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
        ...(options.shredder?.() ? { shredder: options.shredder() } : {}),
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
