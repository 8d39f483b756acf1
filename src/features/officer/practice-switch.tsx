// "Mode latihan" on the officer screen: any logged-in officer (a trainer running a session too)
// switches the whole app to practice and back. The mode is kept in the home database, so the
// service worker's sync counts the same queue as the page (src/sync/practice-queues.ts).
import { Button } from '../../app/button.tsx';
import { useLiveQuery } from 'dexie-react-hooks';
import { db, getPracticeDb, selectWorkDb } from '../../db/open-db.ts';
import { getMeta, setMeta } from '../../db/meta.ts';
import { useOfficer } from '../../auth/officer-store.ts';
import { useSync } from '../../app/sync-client.ts';
import { useOfficerText } from './officer-text.ts';

export async function setPracticeMode(on: boolean): Promise<void> {
  await setMeta(db, 'practiceMode', on);
  selectWorkDb(on);
  useOfficer.setState({ practice: on });
  // The queue the connection bar counts has changed; a sync recounts it (and sends what waits).
  useSync.getState().afterQueued();
}

export function PracticeSwitch() {
  const o = useOfficerText();
  const on = useOfficer((s) => s.practice);
  // What practice left unsent, shown once back in real mode: it is still sent, flagged. A device
  // that never practised has no practice database, and this does not make one.
  const waiting = useLiveQuery(
    async () => (on || (await getMeta(db, 'practiceMode')) === undefined ? 0 : getPracticeDb().outbox.where('state').equals('queued').count()),
    [on],
    0,
  );
  return (
    <section className="card" aria-labelledby="practice-title" data-testid="practice-switch">
      <h2 id="practice-title">{o('practiceHeading')}</h2>
      <p>{on ? o('practiceOnNow') : o('practiceIntro')}</p>
      {waiting > 0 && <p className="meta">{o('practiceWaiting', { n: waiting })}</p>}
      <Button variant={on ? 'primary' : 'secondary'} onClick={() => void setPracticeMode(!on)}>
        {on ? o('practiceEnd') : o('practiceStart')}
      </Button>
    </section>
  );
}
