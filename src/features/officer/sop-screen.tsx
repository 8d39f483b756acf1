// #/petugas/sop: "SOP & formulir". The SOP documents and the forms in force, as this device holds
// them (so offline too): version, effective date, what changed, and each SOP's text.
import { useLiveQuery } from 'dexie-react-hooks';
import { href } from '../../app/router.ts';
import { listOfferedForms } from '../../db/forms-cache.ts';
import { db } from '../../db/open-db.ts';
import { useI18n } from '../../i18n/use-i18n.ts';
import { ChangeNotesNotice } from './change-notes-notice.tsx';
import { readableDate, useSopText } from './sop-text.ts';

function VersionLine({ version, date }: { version: number; date: string | undefined }) {
  const s = useSopText();
  return (
    <p className="meta">
      {s('versionLine', { version })}
      {date && ` · ${s('effective', { date: readableDate(date) })}`}
    </p>
  );
}

export function SopScreen() {
  const s = useSopText();
  const { t, local } = useI18n();
  const sops = useLiveQuery(() => db.sops.orderBy('sopId').toArray(), []);
  const forms = useLiveQuery(() => listOfferedForms(db), []);
  return (
    <>
      <h1>{s('sopHeading')}</h1>
      <p>{s('sopIntro')}</p>
      <ChangeNotesNotice />
      <section aria-labelledby="sop-list" data-testid="sop-list">
        <h2 id="sop-list">{s('sopSection')}</h2>
        {sops && sops.length === 0 && <p>{s('sopNone')}</p>}
        {sops?.map(({ doc }) => (
          <article key={doc.sopId} className="card" data-key={doc.sopId}>
            <h3>{local(doc.title)}</h3>
            <VersionLine version={doc.version} date={doc.effectiveDate} />
            <p>
              <strong>{s('changes')}:</strong> {local(doc.changeNotes)}
            </p>
            <details>
              <summary>{s('read')}</summary>
              {doc.body.split(/\n\s*\n/).map((paragraph, i) => (
                <p key={i} className="answer">
                  {paragraph}
                </p>
              ))}
            </details>
          </article>
        ))}
      </section>
      <section aria-labelledby="form-list" data-testid="form-list">
        <h2 id="form-list">{s('formsSection')}</h2>
        <ul className="list">
          {forms?.map((f) => (
            <li key={f.formId} data-key={f.formId}>
              <strong>{local(f.title)}</strong>
              <VersionLine version={f.version} date={f.effectiveDate} />
              {f.changeNotes && (
                <p>
                  <strong>{s('changes')}:</strong> {local(f.changeNotes)}
                </p>
              )}
            </li>
          ))}
        </ul>
      </section>
      <p>
        <a className="link-row" href={href({ name: 'officer' })}>{t('back')}</a>
      </p>
    </>
  );
}
