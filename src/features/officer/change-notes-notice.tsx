// "Apa yang berubah": after the device received a new form or SOP version, its change notes are
// shown once, Indonesian first with the English beneath, until the officer closes the notice.
import { Button } from '../../app/button.tsx';
import { useLiveQuery } from 'dexie-react-hooks';
import type { LocalText } from '../../../core/local-text.ts';
import { dismissNotes, pendingNotes } from '../../db/change-notes.ts';
import { db } from '../../db/open-db.ts';
import { useI18n } from '../../i18n/use-i18n.ts';
import { readableDate, useSopText } from './sop-text.ts';

function Notes({ notes }: { notes: LocalText }) {
  return (
    <>
      <p>{notes.id}</p>
      <p lang="en" className="meta">
        {notes.en}
      </p>
    </>
  );
}

export function ChangeNotesNotice() {
  const s = useSopText();
  const { local } = useI18n();
  const pending = useLiveQuery(() => pendingNotes(db), []);
  if (!pending || pending.forms.length + pending.sops.length === 0) return null;
  const entries = [
    ...pending.sops.map((d) => ({ key: `sop:${d.sopId}`, title: local(d.title), version: d.version, date: d.effectiveDate, notes: d.changeNotes })),
    ...pending.forms.map((f) => ({ key: f.formId, title: local(f.title), version: f.version, date: f.effectiveDate, notes: f.changeNotes as LocalText })),
  ];
  return (
    <section className="notice" role="status" aria-labelledby="what-changed" data-testid="what-changed">
      <h2 id="what-changed">{s('whatChanged')}</h2>
      <p>{s('whatChangedIntro')}</p>
      <ul>
        {entries.map((e) => (
          <li key={e.key} data-key={e.key}>
            <strong>{e.title}</strong> — {s('versionLine', { version: e.version })}
            {e.date && `, ${s('effective', { date: readableDate(e.date) })}`}
            <Notes notes={e.notes} />
          </li>
        ))}
      </ul>
      <Button onClick={() => void dismissNotes(db)} data-testid="what-changed-close">
        {s('close')}
      </Button>
    </section>
  );
}
