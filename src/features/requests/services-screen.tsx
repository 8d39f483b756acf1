// The list of services this device can offer, from the forms it holds (works offline).
import { useLiveQuery } from 'dexie-react-hooks';
import { db } from '../../db/open-db.ts';
import { listOfferedForms } from '../../db/forms-cache.ts';
import { useI18n } from '../../i18n/use-i18n.ts';
import { href } from '../../app/router.ts';

export function ServicesScreen() {
  const { t, local } = useI18n();
  const forms = useLiveQuery(() => listOfferedForms(db), []);
  return (
    <>
      <h1>{t('servicesHeading')}</h1>
      <p>{t('servicesIntro')}</p>
      {forms?.map((form) => (
        <section className="card" key={form.formId} aria-labelledby={`svc-${form.formId}`}>
          <h2 id={`svc-${form.formId}`}>{local(form.title)}</h2>
          <p>{local(form.summary)}</p>
          <a className="button" href={href({ name: 'new', formId: form.formId })}>
            {t('startForm')}
          </a>
        </section>
      ))}
    </>
  );
}
