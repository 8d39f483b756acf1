// Retention and data subjects' rights on the app: the NIK blind index every push uses, the
// one-off indexing of submissions stored before it existed, and the server's periodic work: the
// retention purge and the sweep of voter record updates that pushes still owe.
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
import { sweepVoterUpdates } from '../services/voter-ingest.ts';
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
/** How often stored pushes whose voter record update was lost are swept (also once at start). */
const VOTER_SWEEP_EVERY_MS = 5 * 60 * 1000;
/** The timer's sweeps leave pushes received this recently to the request still applying them. */
const VOTER_SWEEP_SPARES_MS = 60_000;

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

  // Periodic work: each job skips a tick while its last run is still going, and stops with the server.
  const purge = oneAtATime(async () => {
    try {
      const report = await runPurge(app.db, app.dialect, {
        now: new Date(),
        actor: { id: 'system', role: 'system' },
        uploadsDir: options.uploadsDir,
        shredder: options.keyStore?.() ?? app.dataKeys,
      });
      app.log.info({ purge: { ...report.counts, files: report.files, held: report.held, keysShredded: report.keysShredded } }, 'retention purge');
    } catch (err) {
      app.log.error({ err }, 'retention purge failed');
    }
  });
  const purgeEvery = options.purgeEveryMs ?? purgeEveryMsFromEnv();
  if (purgeEvery > 0) repeat(app, purgeEvery, () => void purge());

  // A push whose voter record update was lost (the process died after the commit, or the update
  // failed) keeps its mark (migration 061); this sweep applies it, once: at start, then every few
  // minutes, leaving pushes of the last minute to the request still applying them.
  const sweepVoters = oneAtATime(async (before: string) => {
    try {
      const done = await sweepVoterUpdates(app.db, app.dialect, app.dataKeys, { now: new Date().toISOString(), before });
      if (done.applied + done.failed > 0) app.log.info({ voterSweep: done }, 'voter record updates swept');
    } catch (e) {
      app.log.error({ fault: e instanceof Error ? e.name : 'unknown' }, 'voter record sweep failed');
    }
  });
  app.addHook('onReady', () => sweepVoters(new Date().toISOString()));
  repeat(app, VOTER_SWEEP_EVERY_MS, () => void sweepVoters(new Date(Date.now() - VOTER_SWEEP_SPARES_MS).toISOString()));
});

/** Wraps a job so that a call while a run is still going does nothing (a slow database never stacks runs up). */
function oneAtATime<A extends unknown[]>(job: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  let running = false;
  return async (...args) => {
    if (running) return;
    running = true;
    try {
      await job(...args);
    } finally {
      running = false;
    }
  };
}

/** Calls `tick` every `everyMs` until the server closes; the timer holds no process open. */
function repeat(app: FastifyInstance, everyMs: number, tick: () => void): void {
  const timer = setInterval(tick, everyMs);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}
