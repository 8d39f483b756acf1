// Field work for Pantarlih, PPS, PPK and KPPS: the officer forms (coklit, TPS survey) filled offline
// with the ordinary form screen, and the progress of each: recorded, waiting to be sent, sent.
// Pantarlih and PPS also get their village's voter lists (assignment-section.tsx); without a list,
// coklit entries start blank.
import { useLiveQuery } from 'dexie-react-hooks';
import { db, workDb } from '../../db/open-db.ts';
import { listOfferedForms } from '../../db/forms-cache.ts';
import { href } from '../../app/router.ts';
import { useI18n } from '../../i18n/use-i18n.ts';
import { useOfficer } from '../../auth/officer-store.ts';
import { useOfficerText } from './officer-text.ts';
import { AssignmentSection } from './assignment-section.tsx';
import { hasPermission, isRole } from '../../../core/auth/roles.ts';

export interface FormProgress {
  filed: number;
  waiting: number;
  sent: number;
  drafts: number;
}

/** Counts per form id from the device's receipts, queue and drafts. */
export async function fieldProgress(formIds: readonly string[]): Promise<Map<string, FormProgress>> {
  const wanted = new Set(formIds);
  const out = new Map<string, FormProgress>(formIds.map((f) => [f, { filed: 0, waiting: 0, sent: 0, drafts: 0 }]));
  const work = workDb();
  const [receipts, queued, drafts] = await Promise.all([work.receipts.toArray(), work.outbox.where('state').equals('queued').primaryKeys(), work.drafts.toArray()]);
  const waiting = new Set(queued);
  for (const r of receipts) {
    if (!wanted.has(r.formId)) continue;
    const p = out.get(r.formId)!;
    p.filed++;
    if (waiting.has(r.id)) p.waiting++;
    else if (r.receivedAt) p.sent++;
  }
  for (const d of drafts) if (wanted.has(d.formId)) out.get(d.formId)!.drafts++;
  return out;
}

export function FieldWorkScreen() {
  const o = useOfficerText();
  const { local } = useI18n();
  const session = useOfficer((s) => s.session);
  const forms = useLiveQuery(async () => (await listOfferedForms(db)).filter((f) => f.audience === 'officer'), []);
  const progress = useLiveQuery(async () => (forms ? fieldProgress(forms.map((f) => f.formId)) : undefined), [forms]);
  if (!forms || !progress) return null;

  return (
    <>
      <h1>{o('fieldHeading')}</h1>
      {!session && (
        <p className="notice bad" role="alert">
          {o('loginFirst')} <a href={href({ name: 'officer' })}>{o('loginButton')}</a>
        </p>
      )}
      <p>{o('fieldIntro')}</p>
      {session && isRole(session.account.role) && hasPermission(session.account.role, 'assignments.download') && <AssignmentSection />}
      {forms.map((form) => {
        const p = progress.get(form.formId) ?? { filed: 0, waiting: 0, sent: 0, drafts: 0 };
        return (
          <section key={form.formId} className="card" aria-labelledby={`field-${form.formId}`} data-testid="field-form" data-form={form.formId}>
            <h2 id={`field-${form.formId}`}>{local(form.title)}</h2>
            <p data-testid="field-progress" data-filed={p.filed} data-waiting={p.waiting} data-sent={p.sent}>
              {o('fieldProgress', { filed: p.filed, waiting: p.waiting, sent: p.sent })}
            </p>
            {p.drafts > 0 && (
              <p>
                <a href={href({ name: 'requests' })}>{o('fieldDrafts', { n: p.drafts })}</a>
              </p>
            )}
            <a className="button primary" href={href({ name: 'new', formId: form.formId })}>
              {o('fieldNew')}
              <span className="visually-hidden">: {local(form.title)}</span>
            </a>
          </section>
        );
      })}
      <p>
        <a className="link-row" href={href({ name: 'officer' })}>{o('back')}</a>
      </p>
    </>
  );
}
