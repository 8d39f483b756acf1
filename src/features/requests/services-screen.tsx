// The list of services this device can offer, from the forms it holds (works offline). Forms for
// residents come first; officers' field forms follow under their own heading, for a logged-in officer.
import { useLiveQuery } from 'dexie-react-hooks';
import type { FormDef } from '../../../core/forms/definition.ts';
import { db } from '../../db/open-db.ts';
import { listOfferedForms } from '../../db/forms-cache.ts';
import { useI18n } from '../../i18n/use-i18n.ts';
import { href } from '../../app/router.ts';
import { useOfficer } from '../../auth/officer-store.ts';

/**
 * Residents' cards sit right under the page's h1, officers' under their own h2: a heading level
 * skipped (h1 → h3) breaks the outline screen-reader users jump through.
 */
function ServiceCard({ form, level }: { form: FormDef; level: 2 | 3 }) {
  const { t, local } = useI18n();
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section className="card" aria-labelledby={`svc-${form.formId}`} data-form={form.formId}>
      <Heading id={`svc-${form.formId}`}>{local(form.title)}</Heading>
      <p>{local(form.summary)}</p>
      <a className="button" href={href({ name: 'new', formId: form.formId })}>
        {t('startForm')}
        <span className="visually-hidden">: {local(form.title)}</span>
      </a>
    </section>
  );
}

export function ServicesScreen() {
  const { t } = useI18n();
  const forms = useLiveQuery(() => listOfferedForms(db), []);
  // Officers' field forms only with an officer logged in: a resident cannot send them anyway.
  const officer = useOfficer((s) => s.session !== undefined);
  const publicForms = forms?.filter((f) => f.audience === 'public') ?? [];
  const officerForms = officer ? (forms?.filter((f) => f.audience === 'officer') ?? []) : [];
  return (
    <>
      <h1>{t('servicesHeading')}</h1>
      <p>{t('servicesIntro')}</p>
      {publicForms.map((form) => (
        <ServiceCard key={form.formId} form={form} level={2} />
      ))}
      {officerForms.length > 0 && (
        <>
          <h2>{t('officerFormsHeading')}</h2>
          <p>{t('officerFormsIntro')}</p>
          {officerForms.map((form) => (
            <ServiceCard key={form.formId} form={form} level={3} />
          ))}
        </>
      )}
    </>
  );
}
