// The coklit assignment on the field-work screen: download the voter lists of the officer's village
// (online, audited by the server), then work through them offline: visited / remaining, and each
// voter opens a coklit record prefilled from the list. Without a list, coklit starts blank.
import { SelectField } from '../../app/select-field.tsx';
import { Button } from '../../app/button.tsx';
import { useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { db, workDb } from '../../db/open-db.ts';
import { listAssignment, saveAssignment, startVoterRecord, visitedCount, voterStates, type VoterState } from '../../db/assignment.ts';
import { listOfferedForms } from '../../db/forms-cache.ts';
import { navigate } from '../../app/router.ts';
import { downloadAssignment } from '../../auth/officer-api.ts';
import { onTokenRefused } from '../../auth/lock-control.ts';
import { InputField } from '../../app/input-field.tsx';
import { useAssignmentText, type AssignmentKey } from './assignment-text.ts';

const COKLIT_FORM_ID = 'coklit-pilkada';

/** The badge colour of each state (the receipt badges' own). */
const BADGE: Record<VoterState, string> = { todo: 'draft', started: 'queued', done: 'sent', conflict: 'queued', resolved: 'answered', revisit: 'draft' };

type Notice = { key: AssignmentKey; params?: Record<string, string | number>; bad?: boolean };

export function AssignmentSection() {
  const a = useAssignmentText();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>();
  const [tps, setTps] = useState('');
  const [query, setQuery] = useState('');
  // The list is kept in the home database; the records started from it where the person works now.
  const work = workDb();
  const view = useLiveQuery(async () => {
    const rows = await listAssignment(db);
    return { rows, states: await voterStates(work, rows) };
  }, [work]);
  if (!view) return null;
  const { rows, states } = view;
  const visited = visitedCount(states.values());
  const stations = [...new Set(rows.map((r) => r.tps))];
  const needle = query.trim().toLowerCase();
  const shown = rows.filter((r) => (tps === '' || r.tps === tps) && (needle === '' || r.voter.nama.toLowerCase().includes(needle)));

  async function download() {
    setBusy(true);
    setNotice(undefined);
    const answer = await downloadAssignment();
    setBusy(false);
    if (answer.kind === 'ok') {
      const { village, lists, downloadedAt } = answer.body;
      const n = await saveAssignment(db, village, lists, downloadedAt);
      setNotice(n === 0 ? { key: 'noList' } : { key: 'downloaded', params: { n, tps: lists.length } });
    } else if (answer.kind === 'offline') setNotice({ key: 'offline', bad: true });
    else if (answer.kind === 'unauthorized') {
      await onTokenRefused();
      setNotice({ key: 'relogin', bad: true });
    } else setNotice({ key: answer.kind === 'forbidden' ? 'forbidden' : 'failed', bad: true });
  }

  async function open(key: string) {
    const row = rows.find((r) => r.key === key);
    const form = (await listOfferedForms(db)).find((f) => f.formId === COKLIT_FORM_ID);
    if (!row) return;
    if (!form) return setNotice({ key: 'noCoklitForm', bad: true });
    const started = await startVoterRecord(db, work, row, form);
    if (started.kind === 'quota') return setNotice({ key: 'quota', bad: true });
    navigate(started.kind === 'filed' ? { name: 'request', id: started.id } : { name: 'draft', draftId: started.id });
  }

  const when = rows[0] ? new Date(rows[0].downloadedAt).toLocaleString('id-ID', { timeZone: 'Asia/Jakarta' }) : '';
  return (
    <section className="card" aria-labelledby="assignment-heading" data-testid="assignment">
      <h2 id="assignment-heading">{a('heading')}</h2>
      {rows.length === 0 ? (
        <p>{a('none')}</p>
      ) : (
        <>
          <p data-testid="assignment-progress" data-visited={visited} data-remaining={rows.length - visited}>
            <strong>{a('progress', { visited, total: rows.length, remaining: rows.length - visited })}</strong>
          </p>
          <p className="meta">{a('downloadedAt', { when })}</p>
        </>
      )}
      <div className="actions">
        <Button variant={rows.length === 0 ? 'primary' : 'secondary'} disabled={busy} onClick={() => void download()} data-testid="assignment-download">
          {busy ? a('downloading') : rows.length === 0 ? a('download') : a('downloadAgain')}
        </Button>
      </div>
      {notice && (
        <p className={notice.bad ? 'notice bad' : 'notice'} role={notice.bad ? 'alert' : 'status'} data-testid="assignment-notice">
          {a(notice.key, notice.params)}
        </p>
      )}
      {rows.length > 0 && (
        <>
          {stations.length > 1 && (
            <SelectField id="assignment-tps" label={a('tps')} value={tps} onChange={(e) => setTps(e.target.value)}>
              <option value="">{a('allTps')}</option>
              {stations.map((s) => (
                <option key={s} value={s}>
                  {a('tps')} {s}
                </option>
              ))}
            </SelectField>
          )}
          <InputField id="assignment-search" label={a('search')} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
          <ul className="list" data-testid="assignment-voters">
            {shown.map((r) => {
              const state: VoterState = states.get(r.key) ?? 'todo';
              return (
                <li key={r.key}>
                  <button type="button" className="item" data-testid="assignment-voter" data-state={state} onClick={() => void open(r.key)}>
                    <span className="title">
                      <span className="badge" data-state={BADGE[state]}>
                        {a(`state_${state}`)}
                      </span>
                      {r.voter.nama}
                    </span>
                    <span className="meta">
                      {a('tps')} {r.tps} · {a('voterLine', { rt: r.voter.rt, alamat: r.voter.alamat })}
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
