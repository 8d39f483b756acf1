// #/petugas: log in, or see who is logged in (role, region), go to the inbox or field work, lock,
// and log out. Logging out deletes no work: with entries still queued it says how many and offers
// a safety copy first.
import { Button } from '../../app/button.tsx';
import { useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { db, workDb } from '../../db/open-db.ts';
import { PracticeSwitch, setPracticeMode } from './practice-switch.tsx';
import { href } from '../../app/router.ts';
import { logoutOnServer } from '../../auth/officer-api.ts';
import { loadOfficerState, useOfficer } from '../../auth/officer-store.ts';
import { lockNow } from '../../auth/lock-control.ts';
import { clearSession } from '../../auth/session.ts';
import { hasPermission, isRole } from '../../../core/auth/roles.ts';
import { LoginForm } from './login-form.tsx';
import { PasswordChange } from './password-change.tsx';
import { useKpiText } from '../kpi/kpi-text.ts';
import { useRegisterText } from './register-text.ts';
import { useOfficerText, type OfficerKey } from './officer-text.ts';
import { regionName } from './region-name.ts';
import { useHandoffText } from '../handoff/handoff-text.ts';
import { ChangeNotesNotice } from './change-notes-notice.tsx';
import { useSopText } from './sop-text.ts';
import { useAccountsText } from './accounts-text.ts';
import { useConflictsText } from './conflicts-text.ts';
import { useDuplicatesText } from './duplicates-text.ts';
import { useRecapText } from './recap-text.ts';

type Leaving = { step: 'idle' } | { step: 'confirm' } | { step: 'done'; offline: boolean };

export function OfficerScreen() {
  const o = useOfficerText();
  const k = useKpiText();
  const h = useHandoffText();
  const s = useSopText();
  const acc = useAccountsText();
  const reg = useRegisterText();
  const kon = useConflictsText();
  const dup = useDuplicatesText();
  const rec = useRecapText();
  const session = useOfficer((s) => s.session);
  const queued = useLiveQuery(() => workDb().outbox.count(), [], 0);
  const [leaving, setLeaving] = useState<Leaving>({ step: 'idle' });

  if (!session) {
    return (
      <>
        <h1>{o('officerHeading')}</h1>
        {leaving.step === 'done' && (
          <p className="notice" role="status">
            {o('loggedOut')} {leaving.offline && o('logoutOffline')}
          </p>
        )}
        <p>{o('loginIntro')}</p>
        <LoginForm />
      </>
    );
  }

  const { account } = session;
  const role = isRole(account.role) ? account.role : undefined;
  const mayInbox = role !== undefined && hasPermission(role, 'inbox.list');
  const mayField = role !== undefined && hasPermission(role, 'officer_forms.submit');
  const mayManageAccounts = role !== undefined && hasPermission(role, 'accounts.manage');
  const mayRegisters = role !== undefined && hasPermission(role, 'inbox.read');
  const mayConflicts = role !== undefined && hasPermission(role, 'voters.resolve');
  const mayDuplicates = role !== undefined && hasPermission(role, 'voters.resolve');
  const mayRecap = role !== undefined && hasPermission(role, 'voters.recap');

  async function logout() {
    const answer = await logoutOnServer();
    await clearSession(db);
    // Whoever uses the device next starts with real work; the practice entries stay, apart.
    if (useOfficer.getState().practice) await setPracticeMode(false);
    await loadOfficerState();
    setLeaving({ step: 'done', offline: answer.kind === 'offline' });
  }

  return (
    <>
      <h1>{o('officerHeading')}</h1>
      <section className="card" data-testid="officer-account">
        <p>
          <strong>{o('signedInAs', { name: account.displayName, username: account.username })}</strong>
        </p>
        <p>
          {o('roleLabel')}: <span data-testid="officer-role">{role ? o(`role_${role}` as OfficerKey) : account.role}</span>
          <br />
          {o('regionLabel')}: <span data-testid="officer-region">{regionName(account.scope)}</span>
        </p>
      </section>
      {session.needsRelogin && (
        <section aria-labelledby="relogin-title">
          <p className="notice bad" role="alert" data-testid="needs-relogin">
            {o('needsRelogin')}
          </p>
          <h2 id="relogin-title">{o('reloginHeading')}</h2>
          <LoginForm defaultUsername={account.username} />
        </section>
      )}
      <ChangeNotesNotice />
      <ul className="list">
        {mayInbox && (
          <li>
            <a href={href({ name: 'inbox' })}>{o('linkInbox')}</a>
          </li>
        )}
        {mayField && (
          <li>
            <a href={href({ name: 'fieldWork' })}>{o('linkFieldWork')}</a>
          </li>
        )}
        {mayInbox && (
          <li>
            <a href={href({ name: 'kpi' })}>{k('heading')}</a>
          </li>
        )}
        {mayRegisters && (
          <li>
            <a href={href({ name: 'registers' })}>{reg('link')}</a>
          </li>
        )}
        {mayConflicts && (
          <li>
            <a href={href({ name: 'conflicts' })}>{kon('link')}</a>
          </li>
        )}
        {mayDuplicates && (
          <li>
            <a href={href({ name: 'duplicates' })}>{dup('link')}</a>
          </li>
        )}
        {mayRecap && (
          <li>
            <a href={href({ name: 'voterRecap' })}>{rec('link')}</a>
          </li>
        )}
        {mayManageAccounts && (
          <li>
            <a href={href({ name: 'accounts' })}>{acc('link')}</a>
          </li>
        )}
        <li>
          <a href={href({ name: 'carried' })}>{h('carriedLink')}</a>
        </li>
        <li>
          <a href={href({ name: 'sops' })}>{s('link')}</a>
        </li>
      </ul>
      <PracticeSwitch />
      {!session.needsRelogin && <PasswordChange />}
      {leaving.step === 'confirm' ? (
        <div className="notice bad" role="alert" data-testid="logout-confirm">
          <p>{queued > 0 ? o('logoutQueued', { n: queued }) : o('logoutConfirm')}</p>
          <div className="actions">
            {queued > 0 && (
              <a className="button" href={href({ name: 'backupSave' })}>
                {o('logoutSaveCopy')}
              </a>
            )}
            <Button onClick={() => void logout()}>
              {queued > 0 ? o('logoutKeep') : o('logoutYes')}
            </Button>
            <Button onClick={() => setLeaving({ step: 'idle' })}>
              {o('cancel')}
            </Button>
          </div>
        </div>
      ) : (
        <div className="actions">
          <Button onClick={lockNow}>
            {o('lockNow')}
          </Button>
          <Button onClick={() => setLeaving({ step: 'confirm' })}>
            {o('logout')}
          </Button>
        </div>
      )}
    </>
  );
}
