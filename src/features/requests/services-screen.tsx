// The list of services this device can offer, from the forms it holds (works offline). Forms for
// residents come first; officers' field forms follow under their own heading.
import { useLiveQuery } from 'dexie-react-hooks';
import type { FormDef } from '../../../core/forms/definition.ts';
import { db } from '../../db/open-db.ts';
import { listOfferedForms } from '../../db/forms-cache.ts';
import { useI18n } from '../../i18n/use-i18n.ts';
import { href } from '../../app/router.ts';

function ServiceCard({ form }: { form: FormDef }) {
  const { t, local } = useI18n();
  return (
    <section className="card" aria-labelledby={`svc-${form.formId}`} data-form={form.formId}>
      <h3 id={`svc-${form.formId}`}>{local(form.title)}</h3>
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
  const publicForms = forms?.filter((f) => f.audience === 'public') ?? [];
  const officerForms = forms?.filter((f) => f.audience === 'officer') ?? [];
  return (
    <>
      <h1>{t('servicesHeading')}</h1>
      <p>{t('servicesIntro')}</p>
      {publicForms.map((form) => (
        <ServiceCard key={form.formId} form={form} />
      ))}
      {officerForms.length > 0 && (
        <>
          <h2>{t('officerFormsHeading')}</h2>
          <p>{t('officerFormsIntro')}</p>
          {officerForms.map((form) => (
            <ServiceCard key={form.formId} form={form} />
          ))}
        </>
      )}
    </>
  );
}
