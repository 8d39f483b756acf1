// Retention and data subjects' rights on the app: the NIK blind index every push uses, the
// one-off indexing of submissions stored before it existed, and the periodic retention purge.
import { formKey } from '../repositories/forms.ts';
import { subjectIndexFromKey, type SubjectIndex } from '../crypto/subject-index.ts';
import { recordNames, recordSubjects, readMeta, submissionsAfter, writeMeta, type NameWordRow } from '../repositories/subjects.ts';
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

const BACKFILL_KEY = 'subject_index_backfill';
const NAME_BACKFILL_KEY = 'name_index_backfill';
const BACKFILL_PAGE = 500;

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

  // Submissions stored before migration 016 get their index rows once; pushes since index inline.
  app.addHook('onReady', async () => {
    if ((await readMeta(app.db, BACKFILL_KEY)) !== 'pending') return;
    let afterId = '';
    for (;;) {
      const page = await submissionsAfter(app.db, afterId, BACKFILL_PAGE);
      if (page.length === 0) break;
      afterId = page[page.length - 1]?.id ?? afterId;
      const forms = await app.repos.forms.findMany(page.map((p) => ({ formId: p.formId, version: p.formVersion })));
      const rows: { nikIndex: string; submissionId: string }[] = [];
      for (const p of page) {
        const form = forms.get(formKey(p.formId, p.formVersion));
        if (!form) continue;
        const data = JSON.parse(await app.payloads.read(p.id, p.payloadJson)) as Record<string, unknown>;
        for (const nikIndex of indexSubjects(app.subjectIndex, form, data)) rows.push({ nikIndex, submissionId: p.id });
      }
      await recordSubjects(app.db, rows);
    }
    await writeMeta(app.db, BACKFILL_KEY, 'done');
  });

  // The same once for the name index (migration 065): a page of sealed payloads at a time, opened
  // here (the key store's keys are needed), so the memory held is one page's, whatever the table's size.
  app.addHook('onReady', async () => {
    if ((await readMeta(app.db, NAME_BACKFILL_KEY)) !== 'pending') return;
    let afterId = '';
    for (;;) {
      const page = await submissionsAfter(app.db, afterId, BACKFILL_PAGE);
      if (page.length === 0) break;
      afterId = page[page.length - 1]?.id ?? afterId;
      const forms = await app.repos.forms.findMany(page.map((p) => ({ formId: p.formId, version: p.formVersion })));
      const rows: NameWordRow[] = [];
      for (const p of page) {
        const form = forms.get(formKey(p.formId, p.formVersion));
        if (!form) continue;
        const data = JSON.parse(await app.payloads.read(p.id, p.payloadJson)) as Record<string, unknown>;
        for (const wordIndex of indexNames(app.subjectIndex, form, data)) rows.push({ wordIndex, submissionId: p.id });
      }
      await recordNames(app.db, rows);
    }
    await writeMeta(app.db, NAME_BACKFILL_KEY, 'done');
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
